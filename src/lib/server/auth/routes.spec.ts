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

	it('orders the roles: each does what the one before it does', () => {
		for (const [i, r] of ROLES.entries()) for (const [j, need] of ROLES.entries()) expect(atLeast(r, need)).toBe(i >= j);
	});
});
