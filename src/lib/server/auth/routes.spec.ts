import { describe, expect, it } from 'vitest';
import { atLeast, ROLES } from '../../shared/roles';
import { listRoutes } from './route-list';
import { embedOpens } from './embed-scope';
import { ROUTE_RULES, needOf, tokenAllows } from './routes';

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
		const missing = routes.flatMap((r) =>
			r.methods
				.filter((m) => needOf(r.id, m, new URL(`http://x${r.id}`)) === null)
				.map((m) => `${m} ${r.id}`)
		);
		expect(missing).toEqual([]);
		const ids = new Set(routes.map((r) => r.id));
		expect(Object.keys(ROUTE_RULES).filter((id) => !ids.has(id))).toEqual([]);
	});

	it('refuses what has no rule, and replaying a moment needs an analyst', () => {
		expect(needOf('/wall', 'POST', new URL('http://x/wall'))).toBeNull();
		expect(needOf('/somewhere-new', 'GET', new URL('http://x/somewhere-new'))).toBeNull();
		expect(needOf('/wall', 'GET', new URL('http://x/wall'))).toBe('leader');
		expect(needOf('/wall', 'HEAD', new URL('http://x/wall?at=2026-11-03T07:45'))).toBe('analyst');
		expect(
			needOf(
				'/districts/[id]/export.csv',
				'GET',
				new URL('http://x/districts/ninh-kieu/export.csv')
			)
		).toBe('analyst');
	});

	it('gives each role what the issue says: leaders view, analysts drill down, replay and export, admins manage', () => {
		const need = (id: string, path: string, method = 'GET') =>
			needOf(id, method, new URL(`http://x${path}`));
		// leaders: the wall, any district or school, Plan 83
		expect([
			need('/wall', '/wall'),
			need('/districts/[id]', '/districts/co-do'),
			need('/schools/[id]', '/schools/ct-916-001'),
			need('/plan83', '/plan83')
		]).toEqual(['leader', 'leader', 'leader', 'leader']);
		// analysts: replay and every export
		expect([
			need('/api/wall/replay', '/api/wall/replay'),
			need('/schools/[id]', '/schools/ct-916-001?at=2026-11-03T07:45'),
			need('/plan83/export.csv', '/plan83/export.csv'),
			need('/schools/[id]/[table].csv', '/schools/ct-916-001/devices.csv')
		]).toEqual(['analyst', 'analyst', 'analyst', 'analyst']);
		// admins: accounts and the audit log, read and changed
		expect([
			need('/admin/users', '/admin/users'),
			need('/admin/users', '/admin/users', 'POST'),
			need('/admin/audit', '/admin/audit')
		]).toEqual(['admin', 'admin', 'admin']);
		// nobody needs an account to sign in, or for the health probe
		expect([
			need('/login', '/login'),
			need('/login', '/login', 'POST'),
			need('/api/health', '/api/health')
		]).toEqual(['public', 'public', 'public']);
	});

	it('orders the roles: each does what the one before it does', () => {
		for (const [i, r] of ROLES.entries())
			for (const [j, need] of ROLES.entries()) expect(atLeast(r, need)).toBe(i >= j);
	});

	it('a wall token opens the live wall and its data only; an embed token its one view', () => {
		const u = (p: string) => new URL(`http://x${p}`);
		const wall = { kind: 'wall' as const, scope: { view: 'wall' as const } };
		expect(tokenAllows(wall, '/wall', u('/wall?rotate=city,co-do'))).toBe(true);
		expect(tokenAllows(wall, '/wall', u('/wall?at=2026-11-03T07:45'))).toBe(false);
		expect(tokenAllows(wall, '/api/live', u('/api/live?topics=wall.kpis,wall.health'))).toBe(true);
		expect(tokenAllows(wall, '/api/live', u('/api/live'))).toBe(false);
		expect(tokenAllows(wall, '/districts/[id]', u('/districts/co-do'))).toBe(false);
		expect(tokenAllows(wall, '/embed/city', u('/embed/city'))).toBe(false);

		const d = { view: 'district' as const, district: 'ninh-kieu' };
		expect(embedOpens(d, '/embed/district/[id]', u('/embed/district/ninh-kieu'))).toBe(true);
		expect(embedOpens(d, '/embed/district/[id]', u('/embed/district/cai-rang'))).toBe(false);
		expect(embedOpens(d, '/embed/city', u('/embed/city'))).toBe(false);
		expect(
			embedOpens(d, '/embed/district/[id]', u('/embed/district/ninh-kieu?at=2026-11-03T07:45'))
		).toBe(false);
		expect(embedOpens(d, '/api/ioc/kpis', u('/api/ioc/kpis'))).toBe(true);
		const k = { view: 'kpi' as const, kpi: 'uptime' as const, district: 'co-do' };
		expect(embedOpens(k, '/embed/kpi/[kpi]', u('/embed/kpi/uptime?district=co-do'))).toBe(true);
		expect(embedOpens(k, '/embed/kpi/[kpi]', u('/embed/kpi/uptime'))).toBe(false);
		expect(embedOpens(k, '/embed/kpi/[kpi]', u('/embed/kpi/attendance?district=co-do'))).toBe(
			false
		);
		expect(tokenAllows({ kind: 'embed', scope: d }, '/wall', u('/wall'))).toBe(false);
	});
});
