/**
 * Time ranges for the drill-down views, as they appear in the URL:
 *   range=today|7d|30d|year|custom   (custom needs from=YYYY-MM-DD&to=YYYY-MM-DD, both days included)
 *   at=YYYY-MM-DDTHH:MM              replay: the view as it stood at that local (Vietnam) minute
 *   compare=1                        also the previous period of the same length
 * Parsing never touches a database: a bad or absurd range is refused with a message key before
 * any query runs. Days are the wall's measured days (see DayClock: shifted by `shiftMs` under the
 * demo clock), and every moment is a real wall-clock time.
 */
import {
	DAY_MS,
	MINUTE_MS,
	SCHOOL_YEAR_START,
	civil,
	dayOf,
	dayStartMs,
	localDay,
	localMinute
} from './calendar';

export const RANGE_PRESETS = ['today', '7d', '30d', 'year', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** How far back a range may reach: the raw tables keep 400 days (the rollups longer). */
export const RETENTION_DAYS = 400;

export interface RangeQuery {
	preset: RangePreset;
	/** custom only: first and last day, `YYYY-MM-DD` */
	from: string | null;
	to: string | null;
	/** replay moment, `YYYY-MM-DDTHH:MM` local time; null = live */
	at: string | null;
	compare: boolean;
}

export const DEFAULT_RANGE: RangeQuery = {
	preset: 'today',
	from: null,
	to: null,
	at: null,
	compare: false
};

/** A message for the person who typed the URL: a dictionary key and its parameters. */
export interface RangeError {
	key:
		| 'range.error.preset'
		| 'range.error.date'
		| 'range.error.at'
		| 'range.error.custom_needs_dates'
		| 'range.error.end_before_start'
		| 'range.error.future'
		| 'range.error.retention'
		| 'range.error.wall_replay'
		| 'range.error.compare';
	params: Record<string, string | number>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: RangeError };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Local day number of `YYYY-MM-DD`, or null when it is not a real calendar date. */
export function parseDay(s: string): number | null {
	const m = DATE_RE.exec(s);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const day = dayOf(y, mo, d);
	const c = civil(day);
	return c.year === y && c.month === mo && c.day === d && y >= 2000 && y <= 2100 ? day : null;
}

/** `YYYY-MM-DD` of a local day number. */
export function formatDay(day: number): string {
	const c = civil(day);
	return `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

/** The moment of `YYYY-MM-DDTHH:MM` (local), or null. */
export function parseAt(s: string): number | null {
	const m = AT_RE.exec(s);
	if (!m) return null;
	const day = parseDay(`${m[1]}-${m[2]}-${m[3]}`);
	const [h, mi] = [Number(m[4]), Number(m[5])];
	if (day === null || h > 23 || mi > 59) return null;
	return dayStartMs(day) + (h * 60 + mi) * MINUTE_MS;
}

/** `YYYY-MM-DDTHH:MM` (local) of a moment, to the minute. */
export function formatAt(ms: number): string {
	const m = localMinute(ms);
	return `${formatDay(localDay(ms))}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Read the range out of URL parameters: syntax only (no clock needed). */
export function parseRangeQuery(p: URLSearchParams): Parsed<RangeQuery> {
	const presetRaw = p.get('range') ?? (p.get('from') || p.get('to') ? 'custom' : 'today');
	if (!(RANGE_PRESETS as readonly string[]).includes(presetRaw))
		return {
			ok: false,
			error: {
				key: 'range.error.preset',
				params: { value: presetRaw, allowed: RANGE_PRESETS.join(', ') }
			}
		};
	const preset = presetRaw as RangePreset;
	let from: string | null = null;
	let to: string | null = null;
	if (preset === 'custom') {
		from = p.get('from');
		to = p.get('to');
		if (!from || !to)
			return { ok: false, error: { key: 'range.error.custom_needs_dates', params: {} } };
		for (const [name, v] of [
			['from', from],
			['to', to]
		] as const)
			if (parseDay(v) === null)
				return { ok: false, error: { key: 'range.error.date', params: { name, value: v } } };
	}
	const at = p.get('at') || null;
	if (at !== null && parseAt(at) === null)
		return { ok: false, error: { key: 'range.error.at', params: { value: at } } };
	const cmp = p.get('compare');
	if (cmp !== null && cmp !== '1' && cmp !== '0')
		return { ok: false, error: { key: 'range.error.compare', params: { value: cmp } } };
	return { ok: true, value: { preset, from, to, at, compare: cmp === '1' } };
}

/** The range as URL parameters, defaults left out, in a fixed order (a link is one canonical string). */
export function rangeParams(q: RangeQuery): [string, string][] {
	const out: [string, string][] = [];
	if (q.preset !== 'today') out.push(['range', q.preset]);
	if (q.preset === 'custom') out.push(['from', q.from ?? ''], ['to', q.to ?? '']);
	if (q.at) out.push(['at', q.at]);
	if (q.compare) out.push(['compare', '1']);
	return out;
}

/** A range made concrete against a clock: measured days and moments. */
export interface ResolvedRange {
	query: RangeQuery;
	/** first and last measured day (local day numbers, both included) */
	fromDay: number;
	toDay: number;
	/** [from, to): moments; `to` is `at`, now, or the end of the last day, whichever is first */
	from: number;
	to: number;
	/** the previous period of the same number of days, ending at the same time of day */
	prevFrom: number;
	prevTo: number;
	/** the moment the view shows: `at` when replaying, else now */
	asOf: number;
	replay: boolean;
	days: number;
}

/**
 * Make a range concrete. `now` is the server's clock; `shiftMs` the demo clock's shift (0 for the
 * real clock). Refuses ranges that end before they start, lie in the future or reach back past
 * the retention.
 */
export function resolveRange(q: RangeQuery, now: number, shiftMs = 0): Parsed<ResolvedRange> {
	const measuredDay = (ms: number) => localDay(ms - shiftMs);
	const startOf = (day: number) => dayStartMs(day) + shiftMs;
	const todayNow = measuredDay(now);
	let asOf = now;
	if (q.at) {
		const at = parseAt(q.at)!;
		if (at > now)
			return { ok: false, error: { key: 'range.error.future', params: { value: q.at } } };
		asOf = at;
	}
	const anchor = measuredDay(asOf);
	let fromDay: number;
	let toDay = anchor;
	switch (q.preset) {
		case 'today':
			fromDay = anchor;
			break;
		case '7d':
			fromDay = anchor - 6;
			break;
		case '30d':
			fromDay = anchor - 29;
			break;
		case 'year': {
			const c = civil(anchor);
			const opened = dayOf(c.year, SCHOOL_YEAR_START.month, SCHOOL_YEAR_START.day);
			fromDay =
				anchor >= opened
					? opened
					: dayOf(c.year - 1, SCHOOL_YEAR_START.month, SCHOOL_YEAR_START.day);
			break;
		}
		case 'custom': {
			fromDay = parseDay(q.from!)!;
			toDay = parseDay(q.to!)!;
			if (toDay < fromDay)
				return {
					ok: false,
					error: { key: 'range.error.end_before_start', params: { from: q.from!, to: q.to! } }
				};
			if (toDay > anchor)
				return { ok: false, error: { key: 'range.error.future', params: { value: q.to! } } };
			break;
		}
	}
	if (fromDay < todayNow - RETENTION_DAYS)
		return {
			ok: false,
			error: {
				key: 'range.error.retention',
				params: { days: RETENTION_DAYS, value: formatDay(fromDay) }
			}
		};
	const from = startOf(fromDay);
	const to = Math.min(startOf(toDay + 1), asOf);
	const days = toDay - fromDay + 1;
	return {
		ok: true,
		value: {
			query: q,
			fromDay,
			toDay,
			from,
			to,
			prevFrom: from - days * DAY_MS,
			prevTo: to - days * DAY_MS,
			asOf,
			replay: q.at !== null,
			days
		}
	};
}

/** The wall replays from its minute rollups: this many days back. */
export const WALL_REPLAY_DAYS = 34;

/** A wall replay moment: `YYYY-MM-DDTHH:MM`, not in the future, within WALL_REPLAY_DAYS. */
export function checkWallReplay(at: string | null, now: number): Parsed<number> {
	const ms = at === null ? null : parseAt(at);
	if (ms === null)
		return { ok: false, error: { key: 'range.error.at', params: { value: at ?? '' } } };
	if (ms > now) return { ok: false, error: { key: 'range.error.future', params: { value: at! } } };
	if (ms < now - WALL_REPLAY_DAYS * DAY_MS)
		return {
			ok: false,
			error: { key: 'range.error.wall_replay', params: { days: WALL_REPLAY_DAYS, value: at! } }
		};
	return { ok: true, value: ms };
}
