/**
 * The one scope of a request, whoever asks: a signed-in account's own scope (store/users scopeOf),
 * or an embed token's district (a district view, or a district's KPI panel); a wall token and a
 * city embed see the city. Every read that narrows (pages, exports, the JSON API, the live feed)
 * starts here, so an account and a token scoped to the same district see the same numbers.
 */
import { CITY, areaFilter, type AreaFilter, type Scope } from '../../shared/scope';
import type { Registry } from '../../shared/registry';
import { scopeOf } from '../store/users';
import { scopeDistrict } from './embed-scope';

/** The scope of a request from its `locals` (the account first, then a token; neither is the city). */
export function requestScope(locals: Pick<App.Locals, 'user' | 'token'>): Scope {
	if (locals.user) return scopeOf(locals.user);
	const d = scopeDistrict(locals.token?.scope);
	return d ? { kind: 'district', district: d } : CITY;
}

/** The request's scope resolved against the registry: which schools and districts it lets through. */
export function requestFilter(
	locals: Pick<App.Locals, 'user' | 'token'>,
	registry: Registry
): AreaFilter {
	return areaFilter(requestScope(locals), registry);
}
