import { describe, expect, it } from 'vitest';
import { atLeast, ROLES } from '../../shared/roles';
import { listRoutes } from './route-list';
import { ROUTE_RULES, needOf } from './routes';

describe('route rules', () => {
	const routes = listRoutes();

	it('finds the routes of src/routes, with their methods', () => {
		const byId = Object.fromEntries(routes.map((r) => [r.id, r.methods]));
		expect(byId['/wall']).toEqual(['GET']);
		expect(byId['/login']).toEqual(['GET', 'POST']);
		expect(byId['/logout']).toEqual(['POST']);
		expect(byId['/api/live']).toEqual(['GET']);
		expect(routes.length).toBeGreaterThan(12);
	});

	it('has a rule for every route and method, and none for routes that are gone', () => {
		const missing = routes.flatMap((r) => r.methods.filter((m) => needOf(r.id, m, new URL(`http://x${r.id}`)) === null).map((m) => `${m} ${r.id}`));
		expect(missing).toEqual([]);
		const ids = new Set(routes.map((r) => r.id));
		expect(Object.keys(ROUTE_RULES).filter((id) => !ids.has(id))).toEqual([]);
	});

	it('refuses what has no rule, and replaying a moment needs an analyst', () => {
		expect(needOf('/wall', 'POST', new URL('http://x/wall'))).toBeNull();
		expect(needOf('/somewhere-new', 'GET', new URL('http://x/somewhere-new'))).toBeNull();
		expect(needOf('/wall', 'GET', new URL('http://x/wall'))).toBe('leader');
		expect(needOf('/wall', 'HEAD', new URL('http://x/wall?at=2026-11-03T07:45'))).toBe('analyst');
		expect(needOf('/districts/[id]/export.csv', 'GET', new URL('http://x/districts/ninh-kieu/export.csv'))).toBe('analyst');
	});

	it('gives each role what the issue says: leaders view, analysts drill down, replay and export, admins manage', () => {
		const need = (id: string, path: string, method = 'GET') => needOf(id, method, new URL(`http://x${path}`));
		// leaders: the wall, any district or school, Plan 83
		expect([need('/wall', '/wall'), need('/districts/[id]', '/districts/co-do'), need('/schools/[id]', '/schools/ct-916-001'), need('/plan83', '/plan83')]).toEqual(['leader', 'leader', 'leader', 'leader']);
		// analysts: replay and every export
		expect([need('/api/wall/replay', '/api/wall/replay'), need('/schools/[id]', '/schools/ct-916-001?at=2026-11-03T07:45'), need('/plan83/export.csv', '/plan83/export.csv'), need('/schools/[id]/[table].csv', '/schools/ct-916-001/devices.csv')]).toEqual(['analyst', 'analyst', 'analyst', 'analyst']);
		// admins: accounts and the audit log, read and changed
		expect([need('/admin/users', '/admin/users'), need('/admin/users', '/admin/users', 'POST'), need('/admin/audit', '/admin/audit')]).toEqual(['admin', 'admin', 'admin']);
		// nobody needs an account to sign in, or for the health probe
		expect([need('/login', '/login'), need('/login', '/login', 'POST'), need('/api/health', '/api/health')]).toEqual(['public', 'public', 'public']);
	});

	it('orders the roles: each does what the one before it does', () => {
		for (const [i, r] of ROLES.entries()) for (const [j, need] of ROLES.entries()) expect(atLeast(r, need)).toBe(i >= j);
	});
});
