/**
 * The drill-down views' state, all of it in the URL: a link reproduces the view and the back
 * button walks through what the analyst did. Parse → state → `viewSearch` gives one canonical
 * string, so the same view always has the same link.
 */
import { KPI_IDS, type KpiId } from './kpi';
import { parseRangeQuery, rangeParams, type RangeError, type RangeQuery } from './range';
import { SCHOOL_LEVELS, type SchoolLevel } from './registry';

export const SORT_KEYS = ['name', 'status', ...KPI_IDS] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SETTINGS = ['urban', 'rural'] as const;
/** Urban = a ward (phường) or town (thị trấn); rural = a commune (xã). */
export type Setting = (typeof SETTINGS)[number];

export interface ViewQuery {
	range: RangeQuery;
	/** the KPI the trend, movers and map colour follow */
	kpi: KpiId;
	sort: SortKey;
	dir: 'asc' | 'desc';
	level: SchoolLevel | null;
	setting: Setting | null;
}

export interface ViewError {
	key: RangeError['key'] | 'view.error.param';
	params: Record<string, string | number>;
}

const DEFAULTS = { kpi: 'attendance', sort: 'status', dir: 'desc' } as const;

type Checked<T> = { ok: true; value: T } | { ok: false; error: ViewError };

function oneOf<T extends string>(
	p: URLSearchParams,
	name: string,
	allowed: readonly T[]
): Checked<T | null> {
	const v = p.get(name);
	if (v === null || v === '') return { ok: true, value: null };
	if ((allowed as readonly string[]).includes(v)) return { ok: true, value: v as T };
	return {
		ok: false,
		error: { key: 'view.error.param', params: { name, value: v, allowed: allowed.join(', ') } }
	};
}

/** Parse a drill-down view's URL parameters; an unknown value is refused with what is allowed. */
export function parseViewQuery(p: URLSearchParams): Checked<ViewQuery> {
	const range = parseRangeQuery(p);
	if (!range.ok) return range;
	const kpi = oneOf(p, 'kpi', KPI_IDS);
	if (!kpi.ok) return kpi;
	const sort = oneOf(p, 'sort', SORT_KEYS);
	if (!sort.ok) return sort;
	const dir = oneOf(p, 'dir', ['asc', 'desc'] as const);
	if (!dir.ok) return dir;
	const level = oneOf(p, 'level', SCHOOL_LEVELS);
	if (!level.ok) return level;
	const setting = oneOf(p, 'setting', SETTINGS);
	if (!setting.ok) return setting;
	return {
		ok: true,
		value: {
			range: range.value,
			kpi: kpi.value ?? DEFAULTS.kpi,
			sort: sort.value ?? DEFAULTS.sort,
			dir: dir.value ?? DEFAULTS.dir,
			level: level.value,
			setting: setting.value
		}
	};
}

/** The view as a query string (`?…`, or '' for all defaults), canonical order, defaults left out. */
export function viewSearch(q: ViewQuery, extra: Record<string, string | null> = {}): string {
	const out: [string, string][] = [...rangeParams(q.range)];
	if (q.kpi !== DEFAULTS.kpi) out.push(['kpi', q.kpi]);
	if (q.sort !== DEFAULTS.sort) out.push(['sort', q.sort]);
	if (q.dir !== DEFAULTS.dir) out.push(['dir', q.dir]);
	if (q.level) out.push(['level', q.level]);
	if (q.setting) out.push(['setting', q.setting]);
	for (const [k, v] of Object.entries(extra)) if (v !== null) out.push([k, v]);
	const s = new URLSearchParams(out).toString();
	return s ? `?${s}` : '';
}

/** The same view with some fields changed (for links: sort headers, presets, filters). */
export function withView(
	q: ViewQuery,
	patch: Partial<Omit<ViewQuery, 'range'>> & { range?: Partial<RangeQuery> }
): ViewQuery {
	return { ...q, ...patch, range: { ...q.range, ...(patch.range ?? {}) } };
}

/** Whether a ward name is urban (phường, thị trấn) or rural (xã). */
export function settingOfWard(ward: string): Setting {
	return /^xã(\s|$)/iu.test(ward.trim().normalize('NFC')) ? 'rural' : 'urban';
}
