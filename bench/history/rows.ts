/**
 * The small facts of the history, computed in TypeScript with the simulator's own rules and
 * loaded into the helper tables: one row per school and school day, and the schools' classes,
 * devices and datasets. The draws made here use their own salts (the simulator's run 1–24), so
 * times and counts differ from the live feed's; the rules and the school traits are the same.
 */
import { DATASETS } from '#shared/contract';
import type { Area, School } from '#shared/registry';
import { dateKey, dayStartMs, schoolHours, sessionsOn } from '#shared/calendar';
import { DEFAULT_SEED, schoolTraits, weatherOf, type SchoolTraits } from '#ingest/feed/simulator';
import { attendanceBase, levelAdjust, sessionsOf } from '#ingest/feed/simulator/attendance';
import {
	STATUS_ROUND,
	lastSyncNight,
	ministrySync,
	syncMinuteOn,
	syncedOn,
	yearStartDay,
	type SyncSalts
} from '#ingest/feed/simulator/completeness';
import { DATASET_SPECS, emptyFieldPool, fillModel } from '#ingest/feed/simulator/datasets';
import { outagesOn } from '#ingest/feed/simulator/devices';
import { libraryVolume } from '#ingest/feed/simulator/library';
import { staticOf, type StaticInfo } from '#ingest/feed/simulator/school';
import { seedHash } from '#ingest/feed/simulator/seed';
import { mix, mulberry32, u01 } from '#ingest/feed/random';
import { isoDate } from './days';

const SEED_H = seedHash(DEFAULT_SEED);
/** Salts for the draws made here (the simulator's own salts run 1–24). */
const SALT = { outage: 101, syncSkip: 102, syncJitter: 103, completeness: 104 } as const;
const SYNC_SALTS: SyncSalts = { skip: SALT.syncSkip, jitter: SALT.syncJitter };

/** A school as the history sees it: the simulator's static facts and traits. */
export interface SchoolFacts {
	st: StaticInfo;
	tr: SchoolTraits;
}

export function schoolFacts(school: School, areas: Area[]): SchoolFacts {
	return { st: staticOf(school), tr: schoolTraits(school, { areas }) };
}

/** A row of the days table. */
export interface DayRow {
	school_id: string;
	sid: string;
	dn: number;
	day: string;
	key: string;
	t0: number;
	year_day: number;
	rural: number;
	hours: [number, number][];
	held: string[];
	outages: [number, number, string, number][];
	att_base: number;
	excused_share: number;
	att_source: string;
	lib_e: number;
	lib_sec: number;
	open: number;
	close: number;
	cmp_sec: number;
	sync_dept: string | null;
	sync_ministry: string | null;
}

/** The nightly sync of a night: 22:00 + the school's usual delay + up to 14 minutes. */
function syncIso({ st, tr }: SchoolFacts, night: number): string {
	const minute = syncMinuteOn(SEED_H, st.h, tr, night, SYNC_SALTS);
	return new Date(dayStartMs(night) + minute * 60_000 + (st.h % 50) * 1000).toISOString();
}

/** The school's day: hours, sessions, outages, attendance base, library volume, sync state. */
export function dayRow(f: SchoolFacts, day: number): DayRow | null {
	const { st, tr } = f;
	const { school, h } = st;
	const hours = schoolHours({ day }, school.levels);
	if (hours.length === 0) return null;
	const weather = weatherOf(school.area_id, { day });

	// outages: flaky schools most days, others rarely; afternoon downpours cut rural schools
	const outages = outagesOn(hours, tr, weather, mulberry32(mix(SEED_H, h, SALT.outage, day))).map(
		(o): [number, number, string, number] => [o.start, o.end, o.reason, o.clipped ? 1 : 0]
	);

	// attendance: the simulator's base rate for the school and the day
	const { base, excusedShare } = attendanceBase(tr, day, weather);

	// completeness: the 06:00 status round reports the last night that synced
	const synced = (night: number) => syncedOn(SEED_H, h, tr, night, SYNC_SALTS);
	const last = lastSyncNight(day, synced);
	const dept = synced(last) ? syncIso(f, last) : null;
	const ministry = ministrySync(tr, last, dept, (night) => syncIso(f, night));

	return {
		school_id: school.school_id,
		sid: st.sid,
		dn: day,
		day: isoDate(day),
		key: dateKey(day),
		t0: dayStartMs(day) / 1000,
		year_day: Math.max(0, day - yearStartDay(day)),
		rural: tr.rural ? 1 : 0,
		hours,
		held: school.levels.flatMap((l) => sessionsOn({ day }, l).map((s) => `${l}:${s.session}`)),
		outages,
		att_base: base,
		excused_share: excusedShare,
		att_source: tr.attendanceSource,
		lib_e: school.elibrary ? libraryVolume(school, tr, day) : 0,
		lib_sec: 5 + (h % 50),
		open: hours[0][0],
		close: hours[hours.length - 1][1],
		cmp_sec: (STATUS_ROUND + (h % 15)) * 60,
		sync_dept: dept,
		sync_ministry: ministry
	};
}

export function classRows({ st }: SchoolFacts) {
	return st.classes.map((c) => ({
		school_id: st.school.school_id,
		code: c.code,
		name: c.name,
		grade: c.grade,
		level: c.level,
		size: c.size,
		lvl_adj: levelAdjust(c.level),
		sessions: sessionsOf(c.shift)
	}));
}

export function deviceRows({ st, tr }: SchoolFacts) {
	return st.devices.map((d) => ({
		school_id: st.school.school_id,
		device_id: d.device_id,
		did: d.did,
		room: d.room,
		device_kind: d.device_kind,
		source: d.source,
		sec: d.sec,
		miss_ppm: Math.round(tr.missRate * 1e6)
	}));
}

/** The nine datasets per school: size, required fields, how full, the fields left empty. */
export function datasetRows({ st, tr }: SchoolFacts) {
	return DATASETS.map((dataset, i) => {
		const spec = DATASET_SPECS[dataset];
		const records = spec.records(st, tr.rural);
		const u = u01(SEED_H, st.h, SALT.completeness, i + 1);
		const [r0, slope, jitter] = fillModel(u, tr.behind);
		const rng = mulberry32(mix(SEED_H, st.h, SALT.completeness, 77 + i));
		return {
			school_id: st.school.school_id,
			dataset,
			idx: i,
			records,
			required: Math.max(1, records) * spec.fields,
			r0,
			slope,
			jitter,
			pool: emptyFieldPool(spec.missing, rng, tr.behind)
		};
	});
}
