/**
 * Turning a drill-down request's URL into a resolved view query, or a 400 that says what is
 * wrong, before any query runs; and the district or school it names, or a 404.
 */
import { error } from '@sveltejs/kit';
import { parseLocale, t, type Locale } from '../../i18n/dictionary';
import { resolveRange, type ResolvedRange } from '../../shared/range';
import type { Area, Registry, School } from '../../shared/registry';
import { parseViewQuery, type ViewError, type ViewQuery } from '../../shared/views';
import { appRuntime, type Runtime } from '../app-runtime';
import { districtOf, districtView } from '../drill/district';
import { schoolView } from '../drill/school';

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
	registry: Registry;
	now: number;
	view: ViewQuery;
	range: ResolvedRange;
}

/** A request for a district's page or export: the district, or a 404; the view, or a 400. */
export async function districtRequest(
	id: string,
	url: URL
): Promise<DrillRequest & { area: Area }> {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const registry = rt.registry.registry;
	const area = districtOf(registry, id);
	if (!area) error(404, t(locale, 'drill.error.no_district', { id }));
	const now = Date.now();
	return { locale, rt, registry, area, now, ...viewRequest(url, locale, now, rt.clock.shiftMs) };
}

/** A request for a school's page or export: the school, or a 404; the view, or a 400. */
export async function schoolRequest(
	id: string,
	url: URL
): Promise<DrillRequest & { school: School }> {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const registry = rt.registry.registry;
	const school = registry.schools.find((s) => s.school_id === id);
	if (!school) error(404, t(locale, 'drill.error.no_school', { id }));
	const now = Date.now();
	return { locale, rt, registry, school, now, ...viewRequest(url, locale, now, rt.clock.shiftMs) };
}

/** A district's request and its view (the page and its CSV export read the same numbers). */
export async function districtData(id: string, url: URL) {
	const r = await districtRequest(id, url);
	const data = (await districtView({
		ch: r.rt.ch,
		clock: r.rt.clock,
		registry: r.registry,
		now: r.now,
		districtId: r.area.area_id,
		range: r.range,
		view: r.view
	}))!;
	return { ...r, data };
}

/** A school's request and its view (the page and its CSV tables read the same numbers). */
export async function schoolData(id: string, url: URL) {
	const r = await schoolRequest(id, url);
	const data = (await schoolView({
		ch: r.rt.ch,
		clock: r.rt.clock,
		registry: r.registry,
		now: r.now,
		schoolId: r.school.school_id,
		range: r.range
	}))!;
	return { ...r, data };
}
