/**
 * The wall's numbers, computed from ClickHouse. Each query's result is kept until its inputs
 * change (new events of its kind, the uptime window moving to the next minute, a new day), so a
 * wall whose data stands still costs no queries at all, and a thousand screens cost one.
 */
import { TELEMETRY_KINDS, type TelemetryKind } from '../../shared/contract';
import { dayStartMs } from '../../shared/calendar';
import type { IngestSnapshot } from '../../shared/health';
import type { WallHistory, WallKpis } from '../../shared/wall';
import type { CH } from '../platform/clickhouse/client';
import type { RegistryCache } from '../platform/registry/cache';
import { DAY_MS, MINUTE_MS, floorMinute, type DayClock } from '../kpi/day-clock';
import {
	attendanceBySchool,
	dailyBySchool,
	dailyDays,
	deviceHoursBySchool,
	devicesBySchool,
	newestDeviceMinute,
	type AttendanceRow
} from '../kpi/queries';
import { buildWallNumbers, districtResolver, libraryRanges } from '../kpi/snapshot';
import { libraryCache } from '../kpi/library-cache';
import { completenessCache } from '../kpi/completeness-cache';
import { prevDayAttendance } from '../kpi/prev-day-cache';
import { knownVersions, type DayKind, type DaySpan } from '../kpi/day-cache';
import { COMPLETENESS_LOOKBACK_DAYS } from '../kpi/flows';

/** Minutes of heartbeats the "uptime now" value covers (the last full minutes). */
export const UPTIME_WINDOW_MIN = 15;
/** Days in the sparklines and trend charts. */
export const HISTORY_DAYS = 14;

type Versions = Record<TelemetryKind, string>;

export class WallService {
	private memo = new Map<string, { key: string; value: Promise<unknown> }>();
	private prevDayStart: number | null = null;
	/** a replay's days, read by history() for kpis() of the same moment (see the constructor) */
	private momentRead: { dayStart: number; span: DaySpan } | null = null;
	/** queries run, by name: the hub's tests and the benchmark read it */
	readonly queries: Record<string, number> = {};

	/**
	 * `replay`: this service answers one past moment, history() then kpis() (wall/replay.ts).
	 * history() then reads the days of the completeness lookback too, and kpis() takes the earlier
	 * days' versions from that read instead of reading them again. A live wall does not: its
	 * kpis() run long after its history(), and must see a late event at once.
	 */
	constructor(
		private readonly ch: CH,
		private readonly registry: RegistryCache,
		readonly clock: DayClock,
		private readonly opts: { replay?: boolean } = {}
	) {}

	/** The earlier days' versions of `kind` a replay's history() read for this day, if any. */
	private known(kind: DayKind, dayStart: number): ReadonlyMap<number, string> | undefined {
		const m = this.momentRead;
		return m && m.dayStart === dayStart ? knownVersions(m.span.tables, kind) : undefined;
	}

	private cached<T>(name: string, key: string, run: () => Promise<T>): Promise<T> {
		const hit = this.memo.get(name);
		if (hit && hit.key === key) return hit.value as Promise<T>;
		this.queries[name] = (this.queries[name] ?? 0) + 1;
		const value = run();
		this.memo.set(name, { key, value });
		value.catch(() => {
			if (this.memo.get(name)?.value === value) this.memo.delete(name);
		});
		return value;
	}

	/** What invalidates each kind's cached query: its writes so far and its newest write. */
	static versions(ingest: IngestSnapshot): Versions {
		const v = {} as Versions;
		for (const k of TELEMETRY_KINDS)
			v[k] = `${ingest.events_by_kind?.[k] ?? ''}|${ingest.last_event_at_by_kind[k] ?? ''}`;
		return v;
	}

	/** The live numbers at `now`. `seq` is the events-written counter read before this call. */
	async kpis(now: number, ingest: IngestSnapshot): Promise<WallKpis> {
		const v = WallService.versions(ingest);
		const dayStart = this.clock.dayStart(now);
		const minute = floorMinute(now);
		// The window ends at the last full minute, or where the stream has got to if ingest is
		// behind: minutes not yet received are not devices down.
		const newest = await this.cached('device_newest', `${minute}|${v.device}`, () =>
			newestDeviceMinute(this.ch, minute - 2 * UPTIME_WINDOW_MIN * MINUTE_MS)
		);
		const w1 = newest === null ? minute : Math.min(minute, newest + MINUTE_MS);
		const w0 = w1 - UPTIME_WINDOW_MIN * MINUTE_MS;
		const prevStart = this.prevDayStart;
		const reg = this.registry.registry;
		const regKey = String(this.registry.loadedAt);

		const [attendance, attendancePrev, devices, library, completeness] = await Promise.all([
			this.cached('attendance', `${dayStart}|${v.attendance}`, () =>
				attendanceBySchool(this.ch, dayStart, Math.min(dayStart + DAY_MS, now), now)
			),
			prevStart === null
				? Promise.resolve(new Map<string, AttendanceRow>())
				: this.cached('attendance_prev', `${prevStart}`, () =>
						prevDayAttendance(this.ch).get(prevStart, now, this.known('attendance', dayStart))
					),
			this.cached('devices', `${w1}|${v.device}`, () =>
				devicesBySchool(this.ch, w0, w1, w0 - DAY_MS, w1 - DAY_MS)
			),
			// the baseline runs "up to the same time of day", so it moves with the minute too
			this.cached('library', `${dayStart}|${minute}|${v.library}`, () =>
				libraryCache(this.ch).bySchool(
					libraryRanges(dayStart, now),
					Date.now(),
					this.known('library', dayStart)
				)
			),
			this.cached('completeness', `${dayStart}|${v.completeness}`, () =>
				completenessCache(this.ch).bySchool(
					dayStart,
					now,
					now,
					this.known('completeness', dayStart)
				)
			)
		]);

		// Heartbeats only count as missing from when the stream covers the window: if not one school
		// was heard in its first minutes (this system or the city's network was down), those minutes
		// are "no data", not devices down.
		const firsts = [...devices.values()].map((d) => d.first_ms).filter((t) => t > 0);
		const covered = firsts.length ? Math.max(w0, Math.min(...firsts)) : w0;
		const key = [
			dayStart,
			prevStart,
			w1,
			covered,
			minute,
			regKey,
			ingest.events_total,
			...Object.values(v)
		].join('|');
		// the whole payload is kept with its key: unchanged data gives the same object (and `at`),
		// so the hub sends no frame and screens redraw nothing
		return this.cached('kpis', key, async (): Promise<WallKpis> => ({
			at: new Date(now).toISOString(),
			seq: ingest.events_total,
			day: this.clock.dayLabel(now),
			day_start: new Date(dayStart).toISOString(),
			prev_day: prevStart === null ? null : new Date(prevStart).toISOString(),
			uptime_window: { from: new Date(covered).toISOString(), to: new Date(w1).toISOString() },
			...buildWallNumbers({
				now,
				clock: this.clock,
				schools: reg.schools,
				districtOf: districtResolver(reg.areas),
				districts: reg.areas.filter((a) => a.level === 'district'),
				attendance,
				attendancePrev,
				devices,
				window: [covered, w1],
				library,
				completeness
			}),
			last_event_at: Object.fromEntries(
				TELEMETRY_KINDS.filter((k) => ingest.last_event_at_by_kind[k]).map((k) => [
					k,
					ingest.last_event_at_by_kind[k]!
				])
			)
		}));
	}

	/** Daily series for the last HISTORY_DAYS days and today's uptime by hour. Also finds the previous school day. */
	async history(now: number): Promise<WallHistory> {
		const today = this.clock.day(now);
		const dayStart = this.clock.dayStart(now);
		const from = dayStart - (HISTORY_DAYS - 1) * DAY_MS;
		const to = dayStart + DAY_MS;
		const off = this.clock.sqlDayOffsetSeconds;
		// nothing after `now`: the live wall has nothing later, and a replay must not see it
		const until = Math.min(to, now);
		this.queries.history = (this.queries.history ?? 0) + 1;
		// one read of the days for the three series (when the day cache can serve them); a replay's
		// reaches back over the completeness lookback, for its kpis()
		const readFrom = Math.min(
			from - 14 * DAY_MS,
			this.opts.replay ? dayStart - COMPLETENESS_LOOKBACK_DAYS * DAY_MS : Infinity
		);
		const read = await dailyDays(this.ch, readFrom, until, off, now);
		if (this.opts.replay && read) this.momentRead = { dayStart, span: read };
		const [att, lib, comp, hours] = await Promise.all([
			dailyBySchool(this.ch, 'attendance', from - 14 * DAY_MS, until, off, now, read),
			dailyBySchool(this.ch, 'library', from, until, off, now, read),
			dailyBySchool(this.ch, 'completeness', from, until, off, now, read),
			deviceHoursBySchool(this.ch, dayStart, until)
		]);
		const reg = this.registry.registry;
		const districtOf = districtResolver(reg.areas);
		const schoolDistrict = new Map(reg.schools.map((s) => [s.school_id, districtOf(s)]));
		const districts = reg.areas.filter((a) => a.level === 'district').map((a) => a.area_id);
		const days = Array.from({ length: HISTORY_DAYS }, (_, i) => today - HISTORY_DAYS + 1 + i);

		// the previous school day: the latest earlier day with attendance reported
		const attDays = att.filter((r) => r.day < today && r.b > 0).map((r) => r.day);
		this.prevDayStart = attDays.length
			? dayStartMs(Math.max(...attDays)) + this.clock.shiftMs
			: null;

		type Acc = Map<string, { a: number[]; b: number[] }>;
		const sum = (rows: typeof att): Acc => {
			const acc: Acc = new Map([['city', { a: days.map(() => 0), b: days.map(() => 0) }]]);
			for (const d of districts) acc.set(d, { a: days.map(() => 0), b: days.map(() => 0) });
			for (const r of rows) {
				const i = r.day - days[0];
				if (i < 0 || i >= days.length) continue;
				for (const k of ['city', schoolDistrict.get(r.school_id)]) {
					const t = k ? acc.get(k) : undefined;
					if (!t) continue;
					t.a[i] += r.a;
					t.b[i] += r.b;
				}
			}
			return acc;
		};
		const rate = (x: { a: number[]; b: number[] }) =>
			x.a.map((a, i) => (x.b[i] > 0 ? Math.round((a / x.b[i]) * 10000) / 10000 : null));
		const total = (x: { a: number[] }) => x.a.map((a) => (a > 0 ? a : null));
		const A = sum(att);
		const L = sum(lib);
		const C = sum(comp);
		const series = (k: string) => ({
			attendance: rate(A.get(k)!),
			library: total(L.get(k)!),
			completeness: rate(C.get(k)!)
		});

		// today's uptime per hour: up seconds over devices × scheduled seconds (to now in the current hour)
		const hourStarts = Array.from({ length: 24 }, (_, i) => dayStart + i * 3600_000).filter(
			(h) => h <= now
		);
		/** one zeroed row per hour for the city and each district */
		const perArea = () =>
			new Map<string, number[]>(['city', ...districts].map((a) => [a, hourStarts.map(() => 0)]));
		const up = perArea();
		const sched = perArea();
		const hb = perArea();
		const upBy = new Map(hours.map((h) => [`${h.school_id}|${h.hour}`, h]));
		const scheduled = this.clock.scheduledMinutesMemo();
		// as for "uptime now": minutes before the stream first covered an hour are no data, not down
		const coveredFrom = new Map<number, number>();
		for (const h of hours)
			if (h.first_ms > 0)
				coveredFrom.set(h.hour, Math.min(coveredFrom.get(h.hour) ?? Infinity, h.first_ms));
		for (const s of reg.schools) {
			const devices = s.devices ?? 0;
			if (!devices) continue;
			hourStarts.forEach((h, i) => {
				const schedS =
					devices *
					scheduled(s.levels, Math.max(h, coveredFrom.get(h) ?? h), Math.min(h + 3600_000, now)) *
					60;
				if (!schedS) return;
				const row = upBy.get(`${s.school_id}|${h}`);
				for (const k of ['city', schoolDistrict.get(s.school_id)]) {
					if (!k || !up.has(k)) continue;
					up.get(k)![i] += Math.min(row?.up_seconds ?? 0, schedS);
					sched.get(k)![i] += schedS;
					hb.get(k)![i] += row?.heartbeats ?? 0;
				}
			});
		}
		const hourly = (k: string) =>
			up
				.get(k)!
				.map((u, i) =>
					sched.get(k)![i] > 0 && hb.get(k)![i] > 0
						? Math.round((u / sched.get(k)![i]) * 10000) / 10000
						: null
				);

		const label = (d: number) => this.clock.dayLabel(dayStartMs(d) + this.clock.shiftMs);
		return {
			at: new Date(now).toISOString(),
			days: days.map(label),
			city: series('city'),
			districts: Object.fromEntries(districts.map((d) => [d, series(d)])),
			uptime_hours: {
				hours: hourStarts.map((h) => new Date(h).toISOString()),
				city: hourly('city'),
				districts: Object.fromEntries(districts.map((d) => [d, hourly(d)]))
			}
		};
	}
}
