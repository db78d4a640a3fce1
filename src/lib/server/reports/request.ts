/**
 * What a report request asks for, checked before any query: the kind (the yearly Plan 83 report,
 * a district's or a school's report), its year or range, its area, and whether the asker's scope
 * covers that area. The page, the JSON endpoint and `npm run report` all read requests here, so
 * an unknown year, district or school, a range outside the retention or an area outside the
 * asker's scope gets the same clear message everywhere, and no query runs.
 *
 * - plan83: `year` (a plan year up to the current one, whose 1 January is within the retention),
 *   and optionally `district` (a district office's own plan report); the period is 1 January to
 *   31 December, or to today for the current year.
 * - district: `district` and a range (`from`/`to`, or a preset as on the drill-down pages).
 * - school: `school` and a range.
 */
import { t, type Locale, type MessageKey } from '../../i18n/dictionary';
import { civil, dayOf, localDay } from '../../shared/calendar';
import {
	RETENTION_DAYS,
	formatDay,
	parseRangeQuery,
	resolveRange,
	type ResolvedRange
} from '../../shared/range';
import { districtResolver, type Area, type Registry, type School } from '../../shared/registry';
import { districtInScope, schoolInScope, scopeName, type Scope } from '../../shared/scope';
import { planYears, PLAN83 } from '../plan83/view';

export const REPORT_KINDS = ['plan83', 'district', 'school'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ['pdf', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportSpec {
	kind: ReportKind;
	/** plan83: the report's year */
	year: number | null;
	/** the district (plan83 for one district, or a district report), or null for the city */
	district: Area | null;
	school: School | null;
	range: ResolvedRange;
	/** the schools the report covers */
	schools: School[];
	/** asked by a scoped account: no city-wide figure is shown (docs/scopes.md) */
	scoped: boolean;
}

export type ReportRequestResult =
	| { ok: true; value: ReportSpec }
	| { ok: false; status: 400 | 404; key: MessageKey; params: Record<string, string | number> };

const bad = (
	status: 400 | 404,
	key: MessageKey,
	params: Record<string, string | number> = {}
): ReportRequestResult => ({ ok: false, status, key, params });

/** Years a yearly report may be asked for at `now`: the plan's first year to the current one. */
export function reportYears(now: number, shiftMs = 0): number[] {
	const first = planYears(PLAN83)[0];
	const current = civil(localDay(now - shiftMs)).year;
	const ys: number[] = [];
	for (let y = first; y <= current; y++) ys.push(y);
	return ys;
}

/**
 * Read a request. `scope` is the asker's: an id outside it answers exactly as an unknown id (404),
 * and a city-wide report asked by a scoped account says which area the account covers.
 */
export function parseReportRequest(
	p: URLSearchParams,
	ctx: { registry: Registry; now: number; shiftMs: number; scope: Scope }
): ReportRequestResult {
	const reg = ctx.registry;
	const kind = p.get('kind') ?? 'plan83';
	if (!(REPORT_KINDS as readonly string[]).includes(kind))
		return bad(400, 'report.error.kind', { value: kind, allowed: REPORT_KINDS.join(', ') });
	const districtOf = districtResolver(reg.areas);

	// the area: a district, a school, or the city
	const districtId = p.get('district') || null;
	const schoolId = p.get('school') || null;
	let district: Area | null = null;
	let school: School | null = null;
	if (districtId !== null) {
		district = reg.areas.find((a) => a.area_id === districtId && a.level === 'district') ?? null;
		if (!district || !districtInScope(ctx.scope, district.area_id))
			return bad(404, 'report.error.district', { id: districtId });
	}
	if (kind === 'school') {
		if (schoolId === null) return bad(400, 'report.error.needs_school');
		school = reg.schools.find((s) => s.school_id === schoolId) ?? null;
		if (!school || !schoolInScope(ctx.scope, school, districtOf))
			return bad(404, 'report.error.school', { id: schoolId });
		district = null;
	} else if (kind === 'district' && district === null)
		return bad(400, 'report.error.needs_district');
	if (kind !== 'school' && district === null && ctx.scope.kind !== 'city')
		return bad(400, 'report.error.scope_city', { area: scopeName(ctx.scope, reg, 'vi') ?? '' });
	if (kind !== 'school' && district !== null && ctx.scope.kind === 'school')
		return bad(404, 'report.error.district', { id: district.area_id });

	// the period
	let range: ResolvedRange;
	let year: number | null = null;
	if (kind === 'plan83') {
		const y = p.get('year');
		const years = reportYears(ctx.now, ctx.shiftMs);
		const n = y === null ? years[years.length - 1] : /^\d{4}$/.test(y) ? Number(y) : NaN;
		if (!years.includes(n))
			return bad(400, 'report.error.year', {
				value: y ?? '',
				first: years[0],
				last: years[years.length - 1]
			});
		year = n;
		const today = localDay(ctx.now - ctx.shiftMs);
		const from = dayOf(n, 1, 1);
		const to = Math.min(dayOf(n, 12, 31), today);
		if (from < today - RETENTION_DAYS)
			return bad(400, 'report.error.year_retention', {
				year: n,
				days: RETENTION_DAYS,
				first: formatDay(today - RETENTION_DAYS)
			});
		const q = new URLSearchParams({ from: formatDay(from), to: formatDay(to) });
		const rq = parseRangeQuery(q);
		if (!rq.ok) return bad(400, rq.error.key, rq.error.params);
		const rr = resolveRange(rq.value, ctx.now, ctx.shiftMs);
		if (!rr.ok) return bad(400, rr.error.key, rr.error.params);
		range = rr.value;
	} else {
		if (!p.get('from') && !p.get('to') && !p.get('range'))
			return bad(400, 'report.error.needs_range');
		const q = new URLSearchParams();
		for (const k of ['range', 'from', 'to']) {
			const v = p.get(k);
			if (v) q.set(k, v);
		}
		// a district or school report compares with the period before
		q.set('compare', '1');
		const rq = parseRangeQuery(q);
		if (!rq.ok) return bad(400, rq.error.key, rq.error.params);
		const rr = resolveRange(rq.value, ctx.now, ctx.shiftMs);
		if (!rr.ok) return bad(400, rr.error.key, rr.error.params);
		range = rr.value;
		// the period before must lie within the retention too, or there is nothing to compare with
		if (range.fromDay - range.days < localDay(ctx.now - ctx.shiftMs) - RETENTION_DAYS) {
			const q2 = new URLSearchParams(q);
			q2.delete('compare');
			const r2 = parseRangeQuery(q2);
			const rr2 = r2.ok ? resolveRange(r2.value, ctx.now, ctx.shiftMs) : null;
			if (rr2?.ok) range = rr2.value;
		}
	}

	const schools = school
		? [school]
		: district
			? reg.schools.filter((s) => districtOf(s) === district!.area_id)
			: reg.schools.filter((s) => schoolInScope(ctx.scope, s, districtOf));
	return {
		ok: true,
		value: {
			kind: kind as ReportKind,
			year,
			district,
			school,
			range,
			schools,
			scoped: ctx.scope.kind !== 'city'
		}
	};
}

/** A refused request's message in the asker's language. */
export function requestMessage(
	locale: Locale,
	r: Extract<ReportRequestResult, { ok: false }>
): string {
	return t(locale, r.key, r.params);
}
