/**
 * Who may reach each route: one rule per SvelteKit route id and method, checked in `handle`
 * (hooks.server.ts) before any load, action or endpoint runs. A route without a rule is refused
 * (and the role × route test, generated from src/routes, fails), so a new route cannot slip out
 * unguarded.
 *
 * - public: anyone (the sign-in page; the health probe, which names no person)
 * - a role: a signed-in account with that role or a higher one (roles.ts)
 * - a function: decided from the URL (replaying a moment is drill-down: analysts and up)
 */
import type { Role } from '../../shared/roles';
import type { TokenKind, TokenScope } from '../../shared/tokens';
import { embedOpens } from './embed-scope';

export type Need = 'public' | Role;
type Rule = Need | ((url: URL) => Need);
export type Method = 'GET' | 'POST';

/** Pages that show a moment in the past when `?at=` is given. */
const replayable: Rule = (url) => (url.searchParams.has('at') ? 'analyst' : 'leader');

export const ROUTE_RULES: Record<string, Partial<Record<Method, Rule>>> = {
	'/': { GET: 'leader' },
	'/login': { GET: 'public', POST: 'public' },
	'/logout': { POST: 'leader' },
	'/api/health': { GET: 'public' },
	'/api/live': { GET: 'leader' },
	'/api/wall': { GET: 'leader' },
	'/api/wall/replay': { GET: 'analyst' },
	'/wall': { GET: replayable },
	'/districts/[id]': { GET: replayable },
	'/districts/[id]/export.csv': { GET: 'analyst' },
	'/districts/[id]/reports.csv': { GET: 'analyst' },
	'/schools/[id]': { GET: replayable },
	'/schools/[id]/[table].csv': { GET: 'analyst' },
	'/plan83': { GET: 'leader' },
	'/plan83/export.csv': { GET: 'analyst' },
	'/admin/users': { GET: 'admin', POST: 'admin' },
	'/admin/audit': { GET: 'admin' },
	'/admin/tokens': { GET: 'admin', POST: 'admin' },
	// embeds open with an embed token only (tokenAllows); an account sees the same view
	'/embed/city': { GET: 'leader' },
	'/embed/district/[id]': { GET: 'leader' },
	'/embed/kpi/[kpi]': { GET: 'leader' },
	'/api/ioc/kpis': { GET: 'leader' },
	'/api/ioc/alerts': { GET: 'leader' },
	// the operator console: see, acknowledge, comment, resolve, silence
	'/alerts': { GET: 'operator', POST: 'operator' },
	'/alerts/rules': { GET: 'admin', POST: 'admin' },
	// one alert as a notification opens it: acknowledge with a note, comment
	'/alerts/[id]': { GET: 'operator', POST: 'operator' },
	// everyone with an account chooses how alerts reach them, and registers devices for push
	'/settings/notifications': { GET: 'leader', POST: 'leader' },
	'/settings/notifications/push': { POST: 'leader' },
	// reports to file (exports of a kind): ask for one, follow it, download its PDF and DOCX
	'/reports': { GET: 'analyst', POST: 'analyst' },
	'/reports/[job]': { GET: 'analyst' },
	'/reports/[job]/[format]': { GET: 'analyst' },
	// webhooks, escalation contacts, the delivery log
	'/admin/notifications': { GET: 'admin', POST: 'admin' }
};

/** What a request needs, or null when the route has no rule for the method (refused). HEAD is GET. */
export function needOf(routeId: string, method: string, url: URL): Need | null {
	const m = (method === 'HEAD' ? 'GET' : method) as Method;
	const rule = ROUTE_RULES[routeId]?.[m];
	if (!rule) return null;
	return typeof rule === 'function' ? rule(url) : rule;
}

/**
 * What a wall or embed token may open (GET only: tokens are read-only). A wall token: the wall
 * live (not a replay), its data and its live topics. Embed tokens: their one view (embed.ts).
 */
export const WALL_TOKEN_ROUTES: Record<string, (url: URL) => boolean> = {
	'/wall': (url) => !url.searchParams.has('at'),
	'/api/wall': () => true,
	'/api/live': (url) =>
		(url.searchParams.get('topics') ?? '').split(',').every((t) => t.startsWith('wall.'))
};

/** Whether a valid token opens this route (GET). */
export function tokenAllows(
	t: { kind: TokenKind; scope: TokenScope },
	routeId: string,
	url: URL
): boolean {
	if (t.kind === 'wall') return WALL_TOKEN_ROUTES[routeId]?.(url) ?? false;
	return embedAllows(t.scope, routeId, url);
}

function embedAllows(scope: TokenScope, routeId: string, url: URL): boolean {
	return embedOpens(scope, routeId, url);
}
