/**
 * Turning a drill-down request's URL into a resolved view query, or a 400 that says what is
 * wrong, before any query runs; and the district or school it names, or a 404. A district or
 * school outside the request's scope is a 404 with the very message of one that does not exist,
 * and the views read a registry narrowed to the scope's schools (its "city" is its own area).
 */
import { error } from '@sveltejs/kit';
import { parseLocale, t, type Locale } from '../../i18n/dictionary';
import { resolveRange, type ResolvedRange } from '../../shared/range';
import type { Area, Registry, School } from '../../shared/registry';
import { parseViewQuery, type ViewError, type ViewQuery } from '../../shared/views';
import { narrowRegistry, type AreaFilter } from '../../shared/scope';
import { appRuntime, type Runtime } from '../app-runtime';
import { requestFilter } from '../auth/request-scope';
import { districtOf, districtView } from '../drill/district';
import { schoolView } from '../drill/school';
import { asView } from '../kpi/tick-shared';

export function message(locale: Locale, e: ViewError): string {
	return t(locale, e.key, e.params);
}

/** The view and its concrete range, or a 400 with a message in the reader's language. */
export function viewRequest(
	url: URL,
	locale: Locale,
	now: number,
	shiftMs: number
): { view: ViewQuery; range: ResolvedRange } {
	const q = parseViewQuery(url.searchParams);
	if (!q.ok) error(400, message(locale, q.error));
	const r = resolveRange(q.value.range, now, shiftMs);
	if (!r.ok) error(400, message(locale, r.error));
	return { view: q.value, range: r.value };
}

export interface DrillRequest {
	locale: Locale;
	rt: Runtime;
	/** the registry as the request's scope sees it (narrowRegistry): every area, its schools only */
	registry: Registry;
	scope: AreaFilter;
	now: number;
	view: ViewQuery;
	range: ResolvedRange;
}

/** Who asks (the hook filled `locals`): an account or a token, each with its scope. */
export type Asker = Pick<App.Locals, 'user' | 'token'>;

/** A request for a district's page or export: the district, or a 404; the view, or a 400. */
export async function districtRequest(
	id: string,
	url: URL,
	locals: Asker
): Promise<DrillRequest & { area: Area }> {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const scope = requestFilter(locals, rt.registry.registry);
	const area = districtOf(rt.registry.registry, id);
	if (!area || !scope.opensDistrict(area.area_id))
		error(404, t(locale, 'drill.error.no_district', { id }));
	const registry = narrowRegistry(rt.registry.registry, scope);
	const now = Date.now();
	return {
		locale,
		rt,
		registry,
		scope,
		area,
		now,
		...viewRequest(url, locale, now, rt.clock.shiftMs)
	};
}

/** A request for a school's page or export: the school, or a 404; the view, or a 400. */
export async function schoolRequest(
	id: string,
	url: URL,
	locals: Asker
): Promise<DrillRequest & { school: School }> {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const scope = requestFilter(locals, rt.registry.registry);
	const registry = narrowRegistry(rt.registry.registry, scope);
	const school = registry.schools.find((s) => s.school_id === id);
	if (!school) error(404, t(locale, 'drill.error.no_school', { id }));
	const now = Date.now();
	return {
		locale,
		rt,
		registry,
		scope,
		school,
		now,
		...viewRequest(url, locale, now, rt.clock.shiftMs)
	};
}

/** A district's request and its view (the page and its CSV export read the same numbers). */
export async function districtData(id: string, url: URL, locals: Asker) {
	const r = await districtRequest(id, url, locals);
	// a view: shared reads are not read again for this process's own writes (kpi/tick-shared.ts)
	const data = (await asView(() =>
		districtView({
			ch: r.rt.ch,
			clock: r.rt.clock,
			registry: r.registry,
			now: r.now,
			districtId: r.area.area_id,
			range: r.range,
			view: r.view,
			scoped: !r.scope.all
		})
	))!;
	return { ...r, data };
}

/** A school's request and its view (the page and its CSV tables read the same numbers). */
export async function schoolData(id: string, url: URL, locals: Asker) {
	const r = await schoolRequest(id, url, locals);
	const data = (await asView(() =>
		schoolView({
			ch: r.rt.ch,
			clock: r.rt.clock,
			registry: r.registry,
			now: r.now,
			schoolId: r.school.school_id,
			range: r.range,
			scoped: !r.scope.all
		})
	))!;
	return { ...r, data };
}
