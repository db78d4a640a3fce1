/**
 * The wall's numbers, computed from ClickHouse. Each query's result is kept until its inputs
 * change (new events of its kind, the uptime window moving to the next minute, a new day), so a
 * wall whose data stands still costs no queries at all, and a thousand screens cost one.
 */
import { TELEMETRY_KINDS, type TelemetryKind } from '../../shared/contract';
import { dayStartMs, localDay } from '../../shared/calendar';
import type { IngestSnapshot } from '../../shared/health';
import type { WallHistory, WallKpis } from '../../shared/wall';
import type { CH } from '../platform/clickhouse/client';
import type { RegistryCache } from '../platform/registry/cache';
import { DAY_MS, floorMinute, type DayClock } from '../kpi/day-clock';
import {
	attendanceBySchool,
	dailyBySchool,
	dailyDays,
	deviceHoursBySchool,
	type AttendanceRow,
	type DailyRow,
	type DeviceHourRow
} from '../kpi/queries';
import {
	buildWallNumbers,
	libraryRanges,
	numbersHoldUntil,
	type WallInputs,
	type WallNumbers
} from '../kpi/snapshot';
import { districtResolver, type Registry, type School } from '../../shared/registry';
import type { AreaFilter } from '../../shared/scope';
import { libraryCache } from '../kpi/library-cache';
import { completenessCache } from '../kpi/completeness-cache';
import { prevDayAttendance } from '../kpi/prev-day-cache';
import {
	FIELD,
	eachSchool,
	knownVersions,
	type DayKind,
	type DaySpan,
	type DayTable
} from '../kpi/day-cache';
import { COMPLETENESS_LOOKBACK_DAYS } from '../kpi/flows';
import { DeviceWindowCache, deviceDayAndWindow, type DeviceWindow } from '../kpi/device-window';

/** Minutes of heartbeats the "uptime now" value covers (the last full minutes). */
export const UPTIME_WINDOW_MIN = 15;
/** Days in the sparklines and trend charts. */
export const HISTORY_DAYS = 14;

type Versions = Record<TelemetryKind, string>;
/** A day table's attendance as attendanceBySchool gives it: the schools with reports. */
function attendanceOfDay(t: DayTable): Map<string, AttendanceRow> {
	const out = new Map<string, AttendanceRow>();
	eachSchool(t, (school_id, v, i) => {
		if (v[i + FIELD.reports] > 0)
			out.set(school_id, {
				school_id,
				reports: v[i + FIELD.reports],
				enrolled: v[i + FIELD.enrolled],
				present: v[i + FIELD.present],
				absent_excused: v[i + FIELD.excused],
				absent_unexcused: v[i + FIELD.unexcused]
			});
	});
	return out;
}

/** A day table's library activity per school (loans, returns, e-book opens and visits), as libraryOver gives it. */
function libraryOfDay(t: DayTable): Map<string, number> {
	const out = new Map<string, number>();
	eachSchool(t, (id, v, i) => {
		if (v[i + FIELD.lib]) out.set(id, v[i + FIELD.lib]);
	});
	return out;
}

/** No previous school day: the same (empty) counts every tick, so the kept numbers hold */
const NO_PREV_DAY = new Map<string, AttendanceRow>();

export class WallService {
	private memo = new Map<string, { key: string; value: Promise<unknown> }>();
	private prevDayStart: number | null = null;
	/** a replay's days, read by history() for kpis() of the same moment (see the constructor) */
	private momentRead: { dayStart: number; span: DaySpan } | null = null;
	/** a replay's uptime window, read by history() with the day's hours for kpis() at the same minute */
	private momentWindow: { minute: number; window: DeviceWindow } | null = null;
	/** queries run, by name: the hub's tests and the benchmark read it */
	readonly queries: Record<string, number> = {};
	/** the uptime window, read again only when it can have changed (its tests read its stats) */
	readonly deviceWindow: DeviceWindowCache;
	/** the last numbers built, and what they were built from (numbers()) */
	private kept: {
		key: string;
		inputs: WallInputs;
		from: number;
		until: number;
		value: WallNumbers;
	} | null = null;

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
		private readonly opts: {
			replay?: boolean;
			/** a replay's newest device minute before its moment: history() then reads its uptime window with the day's hours (deviceDayAndWindow) */
			deviceHeard?: Promise<number | null>;
		} = {}
	) {
		this.deviceWindow = new DeviceWindowCache(ch, UPTIME_WINDOW_MIN);
	}

	/** The earlier days' versions of `kind` a replay's history() read for this day, if any. */
	private known(kind: DayKind, dayStart: number): ReadonlyMap<number, string> | undefined {
		const m = this.momentRead;
		return m && m.dayStart === dayStart ? knownVersions(m.span.tables, kind) : undefined;
	}

	/**
	 * A replay's day up to the moment, as history() read it: [dayStart, now) exactly (the day's
	 * table of a read ending at `now`, measured days being Vietnam days), or null.
	 */
	private momentDay(dayStart: number, now: number): DayTable | null {
		const m = this.momentRead;
		if (
			!m ||
			m.dayStart !== dayStart ||
			m.span.to !== now ||
			dayStartMs(localDay(now)) !== dayStart
		)
			return null;
		return m.span.tables.find((t) => t.day === localDay(now)) ?? null;
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

	/**
	 * The numbers of `inp`, kept while its counts (the same results, so the same objects), window
	 * and registry (`key`) hold and its clock has not passed numbersHoldUntil: the feed's events
	 * move the payload's counters every tick, a school's numbers much less often. Kept numbers are
	 * the same objects, so the hub's patch skips them without comparing 5,000 schools.
	 */
	private numbers(inp: WallInputs, key: string): WallNumbers {
		const k = this.kept;
		if (
			k &&
			k.key === key &&
			inp.now >= k.from &&
			inp.now <= k.until &&
			k.inputs.clock === inp.clock &&
			k.inputs.schools === inp.schools &&
			k.inputs.attendance === inp.attendance &&
			k.inputs.attendancePrev === inp.attendancePrev &&
			k.inputs.devices === inp.devices &&
			k.inputs.library === inp.library &&
			k.inputs.completeness === inp.completeness
		)
			return k.value;
		const value = buildWallNumbers(inp);
		this.kept = { key, inputs: inp, from: inp.now, until: numbersHoldUntil(inp), value };
		return value;
	}

	/** What invalidates each kind's cached query: its writes so far and its newest write. */
	static versions(ingest: IngestSnapshot): Versions {
		const v = {} as Versions;
		for (const k of TELEMETRY_KINDS)
			v[k] = `${ingest.events_by_kind?.[k] ?? ''}|${ingest.last_event_at_by_kind[k] ?? ''}`;
		return v;
	}

	/**
	 * The live numbers at `now`. `seq` is the events-written counter read before this call.
	 * `history`: a history() call in flight (a replay asks both at once); the previous school day
	 * it finds is waited for by the one read that needs it, the others start at once.
	 */
	async kpis(now: number, ingest: IngestSnapshot, history?: Promise<unknown>): Promise<WallKpis> {
		const v = WallService.versions(ingest);
		const dayStart = this.clock.dayStart(now);
		const minute = floorMinute(now);
		// The window ends at the last full minute, or where the stream has got to if ingest is
		// behind: minutes not yet received are not devices down. Its schools' rows are read again
		// only when the window moved or a late heartbeat landed in it (kpi/device-window.ts).
		const winRead = this.cached('device_window', `${minute}|${v.device}`, async () => {
			// a replay: read with the day's hours by history(), when it answered the same minute
			await history?.catch(() => undefined);
			const m = this.momentWindow;
			return m && m.minute === minute ? m.window : this.deviceWindow.at(minute);
		});
		const prevRead = history
			? history.then(() => this.prevDayStart)
			: Promise.resolve(this.prevDayStart);
		// a replay: today up to the moment is in the history's read already (null otherwise)
		const momentDay = history
			? history.then(() => this.momentDay(dayStart, now))
			: Promise.resolve(null);
		// its failure is the history's, reported there; unread (a kept answer), it must not go unhandled
		momentDay.catch(() => undefined);
		const reg = this.registry.registry;
		const regKey = String(this.registry.loadedAt);

		// the window's two reads and the other kinds' side by side
		const [win, [attendance, attendancePrev, library, completeness]] = await Promise.all([
			winRead,
			Promise.all([
				this.cached('attendance', `${dayStart}|${v.attendance}`, async () => {
					const t = await momentDay;
					return t
						? attendanceOfDay(t)
						: attendanceBySchool(this.ch, dayStart, Math.min(dayStart + DAY_MS, now), now);
				}),
				prevRead.then((prevStart) =>
					prevStart === null
						? NO_PREV_DAY
						: this.cached('attendance_prev', `${prevStart}`, () =>
								prevDayAttendance(this.ch).get(prevStart, now, this.known('attendance', dayStart))
							)
				),
				// the baseline runs "up to the same time of day", so it moves with the minute too
				this.cached('library', `${dayStart}|${minute}|${v.library}`, async () => {
					const t = await momentDay;
					return libraryCache(this.ch).bySchool(
						libraryRanges(dayStart, now),
						Date.now(),
						this.known('library', dayStart),
						t ? { from: dayStart, to: now, bySchool: libraryOfDay(t) } : undefined
					);
				}),
				this.cached('completeness', `${dayStart}|${v.completeness}`, () =>
					completenessCache(this.ch).bySchool(
						dayStart,
						now,
						now,
						this.known('completeness', dayStart)
					)
				)
			])
		]);
		const { w0, w1 } = win;
		const devices = win.schools;
		const prevStart = await prevRead;

		// Heartbeats only count as missing from when the stream covers the window: if not one school
		// was heard in its first minutes (this system or the city's network was down), those minutes
		// are "no data", not devices down.
		const covered = win.firstHeard === null ? w0 : Math.max(w0, win.firstHeard);
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
		return this.cached('kpis', key, async (): Promise<WallKpis> => {
			const inputs: WallInputs = {
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
			};
			const payload: WallKpis = {
				at: new Date(now).toISOString(),
				seq: ingest.events_total,
				day: this.clock.dayLabel(now),
				day_start: new Date(dayStart).toISOString(),
				prev_day: prevStart === null ? null : new Date(prevStart).toISOString(),
				uptime_window: { from: new Date(covered).toISOString(), to: new Date(w1).toISOString() },
				...this.numbers(inputs, `${dayStart}|${prevStart}|${w1}|${covered}|${regKey}`),
				last_event_at: Object.fromEntries(
					TELEMETRY_KINDS.filter((k) => ingest.last_event_at_by_kind[k]).map((k) => [
						k,
						ingest.last_event_at_by_kind[k]!
					])
				)
			};
			KPI_INPUTS.set(payload, inputs);
			return payload;
		});
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
		// today's hours need nothing of the days' read: both at once; a replay reads its uptime
		// window with them (one query, for kpis() of the same moment)
		const heard = this.opts.deviceHeard;
		const hoursRead: Promise<DeviceHourRow[]> = heard
			? heard.then(async (t) => {
					const minute = floorMinute(now);
					const r = await deviceDayAndWindow(
						this.ch,
						dayStart,
						until,
						minute,
						UPTIME_WINDOW_MIN,
						t
					);
					this.momentWindow = { minute, window: r.window };
					return r.hours;
				})
			: deviceHoursBySchool(this.ch, dayStart, until);
		const [read] = await Promise.all([dailyDays(this.ch, readFrom, until, off, now), hoursRead]);
		if (this.opts.replay && read) this.momentRead = { dayStart, span: read };
		const [att, lib, comp, hours] = await Promise.all([
			dailyBySchool(this.ch, 'attendance', from - 14 * DAY_MS, until, off, now, read),
			dailyBySchool(this.ch, 'library', from, until, off, now, read),
			dailyBySchool(this.ch, 'completeness', from, until, off, now, read),
			hoursRead
		]);
		const reg = this.registry.registry;
		const days = Array.from({ length: HISTORY_DAYS }, (_, i) => today - HISTORY_DAYS + 1 + i);

		// the previous school day: the latest earlier day with attendance reported
		const attDays = att.filter((r) => r.day < today && r.b > 0).map((r) => r.day);
		this.prevDayStart = attDays.length
			? dayStartMs(Math.max(...attDays)) + this.clock.shiftMs
			: null;

		const inputs: HistoryInputs = {
			now,
			dayStart,
			days,
			clock: this.clock,
			att,
			lib,
			comp,
			hours
		};
		const payload = historyOf(
			inputs,
			reg,
			reg.schools,
			reg.areas.filter((a) => a.level === 'district').map((a) => a.area_id)
		);
		HISTORY_INPUTS.set(payload, inputs);
		return payload;
	}
}

/** What a history payload was summed from: kept so a scope's series are summed from the same rows. */
interface HistoryInputs {
	now: number;
	dayStart: number;
	days: number[];
	clock: DayClock;
	att: DailyRow[];
	lib: DailyRow[];
	comp: DailyRow[];
	hours: DeviceHourRow[];
}

/**
 * The inputs of each payload the services made (a payload is made once and shared by every screen,
 * so this holds one entry per live payload and lets go of it with the payload): a scope's numbers
 * are summed again from them over the scope's schools only.
 */
const KPI_INPUTS = new WeakMap<WallKpis, WallInputs>();
const HISTORY_INPUTS = new WeakMap<WallHistory, HistoryInputs>();

/** The series over `schools`, summed for the city (those schools) and each of `districts`. */
function historyOf(
	h: HistoryInputs,
	reg: Registry,
	schools: readonly School[],
	districts: readonly string[]
): WallHistory {
	const { now, dayStart, days } = h;
	const districtOf = districtResolver(reg.areas);
	const schoolDistrict = new Map(schools.map((s) => [s.school_id, districtOf(s)]));
	type Acc = Map<string, { a: number[]; b: number[] }>;
	const sum = (rows: DailyRow[]): Acc => {
		const acc: Acc = new Map([['city', { a: days.map(() => 0), b: days.map(() => 0) }]]);
		for (const d of districts) acc.set(d, { a: days.map(() => 0), b: days.map(() => 0) });
		for (const r of rows) {
			const i = r.day - days[0];
			if (i < 0 || i >= days.length) continue;
			// a school not in `schools` (another scope's) is not summed at all
			if (!schoolDistrict.has(r.school_id)) continue;
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
	const A = sum(h.att);
	const L = sum(h.lib);
	const C = sum(h.comp);
	const series = (k: string) => ({
		attendance: rate(A.get(k)!),
		library: total(L.get(k)!),
		completeness: rate(C.get(k)!)
	});

	// today's uptime per hour: up seconds over devices × scheduled seconds (to now in the current hour)
	const hourStarts = Array.from({ length: 24 }, (_, i) => dayStart + i * 3600_000).filter(
		(x) => x <= now
	);
	/** one zeroed row per hour for the city and each district */
	const perArea = () =>
		new Map<string, number[]>(['city', ...districts].map((a) => [a, hourStarts.map(() => 0)]));
	const up = perArea();
	const sched = perArea();
	const hb = perArea();
	const upBy = new Map(h.hours.map((x) => [`${x.school_id}|${x.hour}`, x]));
	const scheduled = h.clock.scheduledMinutesMemo();
	// as for "uptime now": minutes before the stream first covered an hour are no data, not down
	// (the stream's coverage is the whole city's, whatever the scope)
	const coveredFrom = new Map<number, number>();
	for (const x of h.hours)
		if (x.first_ms > 0)
			coveredFrom.set(x.hour, Math.min(coveredFrom.get(x.hour) ?? Infinity, x.first_ms));
	for (const s of schools) {
		const devices = s.devices ?? 0;
		if (!devices) continue;
		hourStarts.forEach((hs, i) => {
			const schedS =
				devices *
				scheduled(s.levels, Math.max(hs, coveredFrom.get(hs) ?? hs), Math.min(hs + 3600_000, now)) *
				60;
			if (!schedS) return;
			const row = upBy.get(`${s.school_id}|${hs}`);
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

	const label = (d: number) => h.clock.dayLabel(dayStartMs(d) + h.clock.shiftMs);
	return {
		at: new Date(now).toISOString(),
		days: days.map(label),
		city: series('city'),
		districts: Object.fromEntries(districts.map((d) => [d, series(d)])),
		uptime_hours: {
			hours: hourStarts.map((x) => new Date(x).toISOString()),
			city: hourly('city'),
			districts: Object.fromEntries(districts.map((d) => [d, hourly(d)]))
		}
	};
}

/**
 * The wall's numbers over a scope's schools only: the same counts the payload was built from,
 * summed again over those schools (rates from sums, exact), so the scope's "city" is its own
 * area and no other district appears. The city's filter gives the payload itself.
 */
export function narrowKpis(k: WallKpis, f: AreaFilter): WallKpis {
	if (f.all) return k;
	const inputs = KPI_INPUTS.get(k);
	if (!inputs) throw new Error('narrowKpis: the payload was not made by WallService.kpis');
	return {
		...k,
		...buildWallNumbers({
			...inputs,
			schools: inputs.schools.filter((s) => f.schools.has(s.school_id)),
			districts: inputs.districts.filter((d) => f.districts.has(d.area_id))
		})
	};
}

/** The daily and hourly series over a scope's schools only (summed from the same rows). */
export function narrowHistory(h: WallHistory, f: AreaFilter, reg: Registry): WallHistory {
	if (f.all) return h;
	const inputs = HISTORY_INPUTS.get(h);
	if (!inputs) throw new Error('narrowHistory: the payload was not made by WallService.history');
	return historyOf(
		inputs,
		reg,
		reg.schools.filter((s) => f.schools.has(s.school_id)),
		[...f.districts].sort()
	);
}
