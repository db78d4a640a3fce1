/**
 * Builds the wall's numbers from per-school counts: each school's values and status, then sums
 * per district and for the city (rates from sums, never averages of rates). Pure: the service
 * fetches, this computes, the tests feed it hand-made counts.
 */
import { devicesOf } from '../../shared/devices';
import {
	addSchool,
	areaValues,
	comparisonValues,
	attendanceRate,
	completenessRatio,
	emptyArea,
	libraryIndex,
	schoolStatus,
	SYNC_OVERDUE_MS,
	uptimeRatio,
	type AreaCounts,
	type SchoolCounts
} from '../../shared/kpi';
import type { Area, School } from '../../shared/registry';
import type { AreaSummary, SchoolTuple } from '../../shared/wall';
import type { DayClock } from './day-clock';
import type { AttendanceRow, CompletenessRow, DeviceRow, LibraryRow } from './queries';

export interface WallInputs {
	now: number;
	clock: DayClock;
	schools: readonly School[];
	/** school id → district id (schools outside any district count for the city only) */
	districtOf: (s: School) => string | null;
	districts: readonly Area[];
	attendance: Map<string, AttendanceRow>;
	attendancePrev: Map<string, AttendanceRow>;
	devices: Map<string, DeviceRow>;
	/** [w0, w1): the uptime window; the comparison window is the same a day earlier */
	window: [number, number];
	/** ranges: [today, yesterday, today-7d, -14d, -21d, -28d, yesterday-7d, -14d, -21d, -28d] */
	library: Map<string, LibraryRow>;
	completeness: Map<string, CompletenessRow>;
}

export const BASELINE_WEEKS = 4;
const DAY = 86_400_000;

/** The library ranges `WallInputs.library` expects, for a day that began at `dayStart`. */
export function libraryRanges(dayStart: number, now: number): [number, number][] {
	const r: [number, number][] = [
		[dayStart, now],
		[dayStart - DAY, now - DAY]
	];
	for (const back of [0, DAY])
		for (let k = 1; k <= BASELINE_WEEKS; k++)
			r.push([dayStart - back - 7 * k * DAY, now - back - 7 * k * DAY]);
	return r;
}

const round = (v: number | null): number | null =>
	v === null ? null : Math.round(v * 10000) / 10000;
/**
 * A school's number of classroom devices, kept per registry record: the wall counts them for
 * every school on every frame (5,000 at 10× the city), and devicesOf builds the whole list.
 */
const deviceCounts = new WeakMap<School, number>();
function deviceCount(s: School): number {
	let n = deviceCounts.get(s);
	if (n === undefined) deviceCounts.set(s, (n = devicesOf(s).length));
	return n;
}

const ZERO_ATT = { reports: 0, enrolled: 0, present: 0, absent_excused: 0, absent_unexcused: 0 };

export interface WallNumbers {
	city: AreaSummary;
	districts: Record<string, AreaSummary>;
	schools: SchoolTuple[];
}

/** Every school's values and status, and the sums per district and for the city. */
export function buildWallNumbers(inp: WallInputs): WallNumbers {
	const [w0, w1] = inp.window;
	const city = emptyArea();
	const cityPrev = emptyArea();
	const byDistrict = new Map<string, { now: AreaCounts; prev: AreaCounts }>();
	for (const d of inp.districts) byDistrict.set(d.area_id, { now: emptyArea(), prev: emptyArea() });
	const schools: SchoolTuple[] = [];
	const scheduled = inp.clock.scheduledMinutesMemo();

	for (const s of inp.schools) {
		const devices = deviceCount(s);
		const sched = devices * scheduled(s.levels, w0, w1) * 60;
		const schedPrev = devices * scheduled(s.levels, w0 - DAY, w1 - DAY) * 60;
		const att = inp.attendance.get(s.school_id) ?? ZERO_ATT;
		const attPrev = inp.attendancePrev.get(s.school_id) ?? ZERO_ATT;
		const dev = inp.devices.get(s.school_id);
		const lib = inp.library.get(s.school_id)?.ranges ?? [];
		const libAt = (i: number) => lib[i] ?? 0;
		const comp = inp.completeness.get(s.school_id);

		const now: SchoolCounts = {
			attendance: att,
			uptime: {
				up_seconds: dev?.up_seconds ?? 0,
				scheduled_seconds: sched,
				heartbeats: dev?.heartbeats ?? 0
			},
			library: { today: libAt(0), baseline_days: s.elibrary ? [2, 3, 4, 5].map(libAt) : [] },
			completeness: {
				required: comp?.required ?? 0,
				filled: comp?.filled ?? 0,
				datasets: comp?.datasets ?? 0,
				last_sync_department: comp?.last_sync_department ?? null,
				last_sync_ministry: comp?.last_sync_ministry ?? null
			},
			status: 'nodata'
		};
		const values = {
			attendance: attendanceRate(now.attendance),
			uptime: uptimeRatio(now.uptime),
			library: s.elibrary ? libraryIndex(now.library) : null,
			completeness: completenessRatio(now.completeness)
		};
		const sync = now.completeness.last_sync_department;
		now.status = schoolStatus({
			...values,
			heard: now.attendance.reports > 0 || now.uptime.heartbeats > 0 || now.library.today > 0,
			sync_overdue:
				now.completeness.datasets > 0 && (sync === null || inp.now - sync > SYNC_OVERDUE_MS)
		});
		const prev: SchoolCounts = {
			attendance: attPrev,
			uptime: {
				up_seconds: dev?.up_seconds_prev ?? 0,
				scheduled_seconds: schedPrev,
				heartbeats: dev?.heartbeats_prev ?? 0
			},
			library: { today: libAt(1), baseline_days: s.elibrary ? [6, 7, 8, 9].map(libAt) : [] },
			completeness: {
				required: comp?.required_prev ?? 0,
				filled: comp?.filled_prev ?? 0,
				datasets: comp?.datasets_prev ?? 0,
				last_sync_department: null,
				last_sync_ministry: null
			},
			status: 'nodata'
		};

		addSchool(city, now, inp.now);
		addSchool(cityPrev, prev, inp.now);
		const d = inp.districtOf(s);
		const dist = d ? byDistrict.get(d) : undefined;
		if (dist) {
			addSchool(dist.now, now, inp.now);
			addSchool(dist.prev, prev, inp.now);
		}
		schools.push([
			s.school_id,
			now.status,
			round(values.attendance),
			round(values.uptime),
			round(values.library),
			round(values.completeness)
		]);
	}

	const summary = (now: AreaCounts, prev: AreaCounts): AreaSummary => ({
		values: roundAll(areaValues(now)),
		prev: roundAll(comparisonValues(prev)),
		counts: now
	});
	return {
		city: summary(city, cityPrev),
		districts: Object.fromEntries([...byDistrict].map(([id, v]) => [id, summary(v.now, v.prev)])),
		schools
	};
}

/**
 * Until when (inclusive) buildWallNumbers(inp) gives the same numbers at a later `now` with the
 * same counts: the clock enters them only where a school's last sync becomes overdue (now - sync
 * > SYNC_OVERDUE_MS), so they hold up to the first sync that has not yet become overdue. The live
 * wall's counts stand still between events, while its ticks run twice a second.
 */
export function numbersHoldUntil(inp: Pick<WallInputs, 'now' | 'completeness'>): number {
	let until = Infinity;
	for (const c of inp.completeness.values()) {
		const sync = c.last_sync_department;
		if (c.datasets === 0 || sync === null) continue;
		const due = sync + SYNC_OVERDUE_MS;
		if (due >= inp.now && due < until) until = due;
	}
	return until;
}

function roundAll<T extends Record<string, number | null>>(v: T): T {
	return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) as T;
}

// moved to shared/registry.ts (scopes need it where kpi/ is not importable); kept here for its callers
export { districtResolver } from '../../shared/registry';
