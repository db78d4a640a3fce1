/** What an embed token opens (a pure rule, for the hook and the tests): its one view and that view's live data. */
import type { TokenScope } from '../../shared/tokens';

/** Whether an embed token's scope opens this route and URL (its own view, and its live data). */
export function embedOpens(scope: TokenScope, routeId: string, url: URL): boolean {
	if (scope.view === 'wall') return false;
	if (routeId === '/api/live')
		return (url.searchParams.get('topics') ?? '').split(',').every((t) => t.startsWith('wall.'));
	if (routeId === '/api/ioc/kpis' || routeId === '/api/ioc/alerts') return true;
	if (url.searchParams.has('at')) return false;
	const seg = url.pathname.split('/');
	if (scope.view === 'city') return routeId === '/embed/city';
	if (scope.view === 'district')
		return routeId === '/embed/district/[id]' && seg[3] === scope.district;
	return (
		routeId === '/embed/kpi/[kpi]' &&
		seg[3] === scope.kpi &&
		(url.searchParams.get('district') ?? undefined) === scope.district
	);
}

/** The district a scope is limited to (a district view, or a district's KPI panel), if any. */
export function scopeDistrict(scope: TokenScope | undefined): string | undefined {
	return scope && (scope.view === 'district' || scope.view === 'kpi') ? scope.district : undefined;
}
