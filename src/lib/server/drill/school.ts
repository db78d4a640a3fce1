/**
 * The school view: the four KPIs with trends, attendance by grade and session, every device with
 * its uptime and outages, library use against its own weekday baseline, completeness per dataset
 * with the missing fields named, and the school's plan-83 roll-out.
 * Flows come from the rollups (measure.ts); each device's days from its own daily rollup
 * (devices.ts); the per-grade and per-dataset detail from the raw tables, which keep 400 days.
 */
import { DAY_MS, MINUTE_MS, dayStartMs, schoolHours } from '../../shared/calendar';
import type { DatasetRow, GradeSessionRow, OutageRun, SchoolView } from '../../shared/drill';
import { KPI_IDS, type KpiId } from '../../shared/kpi';
import { formatDay, type ResolvedRange } from '../../shared/range';
import type { Registry, School } from '../../shared/registry';
import { settingOfWard } from '../../shared/views';
import { rows, type CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';
import type { DayClock } from '../kpi/day-clock';
import { districtResolver } from '../kpi/snapshot';
import { COMPLETENESS_LOOKBACK_DAYS } from '../kpi/flows';
import { sharedPerClient, upToAbout } from '../kpi/tick-shared';
import { dailySeries, heardOver, rangeStatus } from './ledger';
import { CUT, measure, rangeInfo } from './measure';
import { areaValues, districtOf, schoolRows, schoolsOfDistrict } from './district';
import { deviceMinutes, deviceTotals } from './devices';

const n = (v: unknown): number => Number(v ?? 0);
type Raw = Record<string, string>;
const iso = (ms: number) => new Date(ms).toISOString();

export async function attendanceByGrade(
	ch: CH,
	school: string,
	from: number,
	to: number
): Promise<GradeSessionRow[]> {
	const r = await rows<Raw>(
		ch,
		`SELECT grade, session, count() AS reports, sum(enrolled) AS enrolled, sum(present) AS present,
		        sum(absent_excused) AS excused, sum(absent_unexcused) AS unexcused
		 FROM attendance_raw WHERE school_id = {s:String} AND ts >= ${msParam('from')} AND ts < ${msParam('to')}
		 GROUP BY grade, session ORDER BY grade, session`,
		{ s: school, from, to }
	);
	return r.map((x) => ({
		grade: n(x.grade),
		session: x.session,
		reports: n(x.reports),
		enrolled: n(x.enrolled),
		present: n(x.present),
		absent_excused: n(x.excused),
		absent_unexcused: n(x.unexcused)
	}));
}

export async function datasets(ch: CH, school: string, to: number): Promise<DatasetRow[]> {
	const r = await rows<Raw>(
		ch,
		`SELECT dataset, argMax(required_fields, ts) AS req, argMax(filled_fields, ts) AS fil, argMax(records, ts) AS rec,
		        argMax(missing_fields, ts) AS missing, toUnixTimestamp64Milli(max(ts)) AS last_ms,
		        toUnixTimestamp64Milli(max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC')))) AS dep,
		        toUnixTimestamp64Milli(max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC')))) AS mins
		 FROM completeness_raw WHERE school_id = {s:String} AND ts >= ${msParam('from')} AND ts < ${msParam('to')}
		 GROUP BY dataset ORDER BY dataset`,
		{ s: school, from: to - COMPLETENESS_LOOKBACK_DAYS * DAY_MS, to }
	);
	return r.map((x) => ({
		dataset: x.dataset,
		required: n(x.req),
		filled: n(x.fil),
		records: n(x.rec),
		missing_fields: (x.missing as unknown as string[]) ?? [],
		last_report: iso(n(x.last_ms)),
		last_sync_department: n(x.dep) > 0 ? iso(n(x.dep)) : null,
		last_sync_ministry: n(x.mins) > 0 ? iso(n(x.mins)) : null
	}));
}

/** Runs of one state per device over the school hours of a day, up to `to`. */
export function outageRuns(
	minutes: Map<number, 'up' | 'down'> | undefined,
	hours: [number, number][],
	to: number
): OutageRun[] {
	const runs: OutageRun[] = [];
	for (const [a, b] of hours) {
		for (let t = a; t < Math.min(b, to); t += MINUTE_MS) {
			const state = minutes?.get(t) ?? 'missing';
			const last = runs[runs.length - 1];
			if (last && last.state === state && Date.parse(last.to) === t) last.to = iso(t + MINUTE_MS);
			else runs.push({ from: iso(t), to: iso(t + MINUTE_MS), state });
		}
	}
	return runs;
}

export interface SchoolInput {
	ch: CH;
	clock: DayClock;
	registry: Registry;
	now: number;
	schoolId: string;
	range: ResolvedRange;
	/** the reader's scope holds only the registry's schools (it is narrowed): no city-wide sums */
	scoped?: boolean;
}

/**
 * The school's own reads of the raw tables (grades, devices, the outage timeline, datasets),
 * shared for a tick by every view of the same school up to about the same moment
 * (kpi/tick-shared.ts): a school on a screen and an analyst's page, or a page reloaded.
 */
const schoolReads = sharedPerClient<unknown, number>({ max: 64, fits: upToAbout }, null);
const shared = <V>(ch: CH, key: string, to: number, read: (to: number) => Promise<V>) =>
	schoolReads(ch).get(key, to, read) as Promise<V>;

export async function schoolView(inp: SchoolInput): Promise<SchoolView | null> {
	const s: School | undefined = inp.registry.schools.find((x) => x.school_id === inp.schoolId);
	if (!s) return null;
	const r = inp.range;
	const districtId = districtResolver(inp.registry.areas)(s);
	const area = districtId ? districtOf(inp.registry, districtId) : null;
	const peers = area ? schoolsOfDistrict(inp.registry, area.area_id) : [s];
	const dayStart = dayStartMs(r.toDay) + inp.clock.shiftMs;
	const hours = schoolHours({ day: r.toDay }, s.levels).map(([a, b]): [number, number] => [
		dayStart + a * MINUTE_MS,
		dayStart + b * MINUTE_MS
	]);

	const [m, grades, { devices, coversFrom }, minutes, sets] = await Promise.all([
		// the district's schools count together (for its numbers); only this one gets its own rows
		measure(inp.ch, inp.clock, inp.now, r, peers, inp.registry.schools, {
			daily: [s.school_id],
			only: [s.school_id],
			// a narrowed registry's district peers are the whole scope
			cityIsKept: inp.scoped
		}),
		shared(inp.ch, `grades|${s.school_id}|${r.from}`, r.to, (to) =>
			attendanceByGrade(inp.ch, s.school_id, r.from, to)
		),
		shared(inp.ch, `totals|${s.school_id}|${r.from}|${inp.clock.shiftMs}`, r.to, (to) =>
			deviceTotals(inp.ch, s.school_id, r.from, to, {
				now: inp.now,
				dailyAligned: inp.clock.shiftMs === 0
			})
		),
		shared(inp.ch, `minutes|${s.school_id}|${dayStart}`, Math.min(r.to, dayStart + DAY_MS), (to) =>
			deviceMinutes(inp.ch, s.school_id, dayStart, to)
		),
		shared(inp.ch, `datasets|${s.school_id}`, r.to, (to) => datasets(inp.ch, s.school_id, to))
	]);
	const l = m.schools.get(s.school_id)!;
	const row = schoolRows(m, [s])[0];
	// the per-device records begin after the range's start, yet the school's devices were heard
	// before that (its uptime rollups go back further): the page names the day they begin
	let heardFrom: number | null = null;
	for (let d = r.fromDay; d <= r.toDay && heardFrom === null; d++)
		if (l.hb[d - l.day0] > 0) heardFrom = dayStartMs(d) + inp.clock.shiftMs;
	const partial = coversFrom !== null && heardFrom !== null && heardFrom < coversFrom;
	const devicesFrom = partial ? inp.clock.day(coversFrom!) : r.fromDay;
	// per device, scheduled seconds are the school's over the days its records cover ÷ its devices
	let sched = 0;
	for (let d = devicesFrom; d <= r.toDay; d++) sched += l.sched[d - l.day0] ?? 0;
	const perDevice = s.devices > 0 ? sched / s.devices : 0;
	const trendDays: string[] = [];
	for (let d = m.trendFrom; d <= r.toDay; d++) trendDays.push(formatDay(d));
	const series = (x: typeof l) =>
		Object.fromEntries(KPI_IDS.map((k) => [k, dailySeries(x, k, m.trendFrom, r.toDay)])) as Record<
			KpiId,
			(number | null)[]
		>;
	const libDays: string[] = [];
	const activity: number[] = [];
	const baseline: (number | null)[] = [];
	for (let d = m.trendFrom; d <= r.toDay; d++) {
		libDays.push(formatDay(d));
		activity.push(l.lib[d - l.day0]);
		const e = l.libExp[d - l.day0];
		baseline.push(e > 0 ? Math.round(e * 10) / 10 : null);
	}
	const ids = [...new Set([...devices.map((d) => d.device_id), ...minutes.keys()])].sort();

	return {
		school: {
			id: s.school_id,
			name: s.name,
			ward: s.ward,
			levels: s.levels,
			setting: settingOfWard(s.ward),
			enrolment: s.enrolment,
			classrooms: s.classrooms,
			devices: s.devices,
			lat: s.lat,
			lon: s.lon
		},
		district: area ? { id: area.area_id, name: area.name, name_en: area.name_en } : null,
		range: rangeInfo(r),
		status: rangeStatus(
			row.values,
			heardOver(l, r.fromDay, r.toDay),
			m.completeness.get(s.school_id)?.last_sync_department ?? null,
			r.asOf
		),
		values: row.values,
		prev: row.prev,
		district_values: area ? areaValues(m, peers, r.fromDay, r.toDay, CUT.end) : null,
		trend: { days: trendDays, area: series(l), city: series(m.city) },
		attendance_by_grade: grades,
		devices: devices.map((d) => ({
			device_id: d.device_id,
			room: d.room,
			kind: d.kind,
			uptime: d.heartbeats > 0 && perDevice > 0 ? Math.min(1, d.up_seconds / perDevice) : null,
			heartbeats: d.heartbeats,
			went_down: d.went_down,
			last_seen: d.last_seen,
			last_status: d.last_status,
			last_reason: d.last_reason
		})),
		timeline: {
			day: formatDay(r.toDay),
			hours: hours.map(([a, b]) => ({ from: iso(a), to: iso(b) })),
			shift_ms: inp.clock.shiftMs,
			devices: ids.map((id) => ({ device_id: id, runs: outageRuns(minutes.get(id), hours, r.to) }))
		},
		devices_since: partial ? formatDay(devicesFrom) : null,
		library: { days: libDays, activity, baseline },
		datasets: sets,
		plan83: {
			on_plan: s.plan83,
			multimedia_rooms: s.multimedia_rooms,
			multimedia_year: s.multimedia_year,
			smart_rooms: s.smart_rooms,
			smart_year: s.smart_year,
			elibrary: s.elibrary,
			elibrary_year: s.elibrary_year
		}
	};
}
