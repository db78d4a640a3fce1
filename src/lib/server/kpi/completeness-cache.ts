/**
 * Completeness (each school's latest report per dataset, looking back 35 days from the start of
 * the day) for the wall, the alerts and the views' cuts: what stood at the start of the day is
 * kept per process, and only the day's own reports are read.
 * Merging 35 days of `argMax` states for every school was the costliest query of a replayed wall
 * frame, and of the live wall whenever a sync arrived.
 * - Kept per (lookback start, day start), and used only while the versions of the days it covers
 *   (day_versions, migration 0008: completeness events ever written per day) are those it was
 *   read at: a late report or an import reads it again. Versions are read before the rows.
 * - The day's reports are all later than the kept ones, so a dataset reported today takes
 *   today's latest values, as one `argMax` over the whole span would. A cut in an earlier day
 *   keeps its day's part too (a replay, a previous period's end), under that day's version.
 */
import { MINUTE_MS, localDay } from '../../shared/calendar';
import { rows, type CH, perClient } from '../platform/clickhouse/client';
import { spanVersion } from './day-cache';
import { VersionedCache } from './versioned-cache';
import { COMPLETENESS_LOOKBACK_DAYS } from './flows';
import { rollupSource } from './source';
import { msParam } from '../platform/clickhouse/sql';
import type { CompletenessRow } from './queries';

interface DatasetState {
	req: number;
	fil: number;
	dep: number;
	mins: number;
}
type States = Map<string, Map<string, DatasetState>>;

/** Spans kept at most (a wall asks one a day; a view up to four cuts, each a span and a part day). */
const MAX_SPANS = 32;

/** Each school's latest state per dataset over [from, to) (argMax over the rollups' states). */
async function statesOver(ch: CH, from: number, to: number, now: number): Promise<States> {
	const out: States = new Map();
	if (to <= from) return out;
	const src = rollupSource('completeness', from, to, { now, dailyAligned: false, prefix: 'src' });
	const r = await rows<Record<string, string>>(
		ch,
		`SELECT school_id, dataset, argMaxMerge(required_fields) AS req, argMaxMerge(filled_fields) AS fil,
		        toUnixTimestamp64Milli(max(last_sync_department)) AS dep, toUnixTimestamp64Milli(max(last_sync_ministry)) AS mins
		 FROM ${src.sql} GROUP BY school_id, dataset`,
		src.params
	);
	for (const x of r) {
		let s = out.get(x.school_id);
		if (!s) out.set(x.school_id, (s = new Map()));
		s.set(x.dataset, {
			req: Number(x.req),
			fil: Number(x.fil),
			dep: Number(x.dep),
			mins: Number(x.mins)
		});
	}
	return out;
}

export class CompletenessCache {
	private readonly spans = new VersionedCache<string, States>(MAX_SPANS);
	readonly stats = this.spans.stats;
	/** the day in progress, as last read (inProgress) */
	private today: {
		from: number;
		version: string;
		cut: number;
		clear: boolean;
		states: States;
	} | null = null;
	readonly todayStats = { hits: 0, reads: 0 };

	constructor(private readonly ch: CH) {}

	/**
	 * What completenessBySchool(asOf, until) gives: the latest report per dataset before `until`
	 * and before `asOf` (a day's start), looking back COMPLETENESS_LOOKBACK_DAYS from `asOf`.
	 */
	async bySchool(
		asOf: number,
		until: number,
		now: number,
		known?: ReadonlyMap<number, string>,
		/** only these schools (a view's: at 5,000 schools merging every school's datasets for each
		 * of a view's cuts cost ~35 ms of the event loop a view) */
		only?: readonly string[]
	): Promise<Map<string, CompletenessRow>> {
		const from = Math.min(asOf, until) - COMPLETENESS_LOOKBACK_DAYS * 86_400_000;
		// the real time chooses the rollups (what the minute rollups still hold); `now` may be a replayed moment
		const real = Math.max(now, Date.now());
		const before = await this.before(from, Math.min(asOf, until), real, known);
		const today = await this.partDay(Math.min(asOf, until), until, real, known);
		const out = new Map<string, CompletenessRow>();
		const ids = only ?? new Set([...before.keys(), ...today.keys()]);
		const none = new Map<string, DatasetState>();
		for (const id of ids) {
			if (only && !before.has(id) && !today.has(id)) continue;
			const b = before.get(id) ?? none;
			const t = today.get(id) ?? none;
			const row: CompletenessRow = {
				school_id: id,
				datasets: 0,
				required: 0,
				filled: 0,
				datasets_prev: 0,
				required_prev: 0,
				filled_prev: 0,
				last_sync_department: null,
				last_sync_ministry: null
			};
			let dep = 0;
			let mins = 0;
			// each dataset once: the day's latest report, else the one before the day (no sets made:
			// a district view merges its ~500 schools at up to four cuts)
			const add = (
				latest: DatasetState,
				p: DatasetState | undefined,
				own: DatasetState | undefined
			) => {
				row.datasets++;
				row.required += latest.req;
				row.filled += latest.fil;
				if (p) {
					row.datasets_prev++;
					row.required_prev += p.req;
					row.filled_prev += p.fil;
				}
				dep = Math.max(dep, p?.dep ?? 0, own?.dep ?? 0);
				mins = Math.max(mins, p?.mins ?? 0, own?.mins ?? 0);
			};
			for (const [ds, p] of b) {
				const own = t.get(ds);
				add(own ?? p, p, own);
			}
			for (const [ds, own] of t) if (!b.has(ds)) add(own, undefined, own);
			row.last_sync_department = dep > 0 ? dep : null;
			row.last_sync_ministry = mins > 0 ? mins : null;
			out.set(id, row);
		}
		return out;
	}

	/**
	 * The day's own reports over [from, to) (`from`: the day's start). Today's are read each time;
	 * a cut in an earlier day (a replayed moment, the end of a previous period at the same time of
	 * day) is kept like the earlier days, while that day's version holds.
	 */
	private async partDay(
		from: number,
		to: number,
		now: number,
		known?: ReadonlyMap<number, string>
	): Promise<States> {
		if (to <= from) return new Map();
		// Vietnam days (one, or two under a shifted demo clock)
		const [d0, d1] = [localDay(from), localDay(to - 1)];
		if (d1 >= localDay(now)) return this.inProgress(from, to, now, d0, d1);
		const version = await spanVersion(this.ch, 'completeness', d0, d1, known);
		return this.spans.get(`part|${from}|${to}`, version, () => statesOver(this.ch, from, to, now));
	}

	/**
	 * The day in progress up to `to`: kept from a read at an earlier cut while the days' versions
	 * hold and nothing stored then was at or after that cut (a report stamped ahead), so a later cut
	 * holds the same reports. The wall asks at every completeness report, and every district and
	 * school view at once: at 5,000 schools a merge of each school's datasets, ~150-400 ms of chDB.
	 * The reports come at night and at 06:00, so by day it stands still.
	 */
	private async inProgress(
		from: number,
		to: number,
		now: number,
		d0: number,
		d1: number
	): Promise<States> {
		const version = await spanVersion(this.ch, 'completeness', d0, d1);
		const k = this.today;
		if (k && k.from === from && k.version === version && k.cut <= to && k.clear) {
			this.todayStats.hits++;
			return k.states;
		}
		this.todayStats.reads++;
		const [states, newest] = await Promise.all([
			statesOver(this.ch, from, to, now),
			rows<{ t: string }>(
				this.ch,
				`SELECT toUnixTimestamp(max(bucket)) * 1000 AS t FROM completeness_rollup WHERE grain = 1 AND bucket >= ${msParam('from')}`,
				{ from }
			)
		]);
		// the minute rollup's newest minute: every report stored is before the cut when it ends by then
		const clear = Number(newest[0]?.t ?? 0) + MINUTE_MS <= to;
		this.today = { from, version, cut: to, clear, states };
		return states;
	}

	/**
	 * The states over [from, to) (earlier days), from memory while their days' versions hold.
	 * `known`: completeness versions the caller already read (a view's day cache); used when they
	 * cover every day of the span.
	 */
	private async before(
		from: number,
		to: number,
		now: number,
		known?: ReadonlyMap<number, string>
	): Promise<States> {
		if (to <= from) return new Map();
		const version = await spanVersion(
			this.ch,
			'completeness',
			localDay(from),
			localDay(to - 1),
			known
		);
		return this.spans.get(`${from}|${to}`, version, () => statesOver(this.ch, from, to, now));
	}
}

/** The completeness cache of a ClickHouse client (one per client, made on first use). */
export const completenessCache = perClient((ch) => new CompletenessCache(ch));
