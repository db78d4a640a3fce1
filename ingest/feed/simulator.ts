/**
 * The demo feed's world: a deterministic simulation of a school day in Cần Thơ.
 *
 * `eventsBetween` is pure: every event is a function of (seed, school, day, minute) only, so the
 * same window always yields the same events with the same `event_id`, and overlapping windows
 * yield identical duplicates that ingest deduplicates. Nothing here reads the clock or
 * Math.random. Per-day plans are memoised, which changes speed, not results.
 *
 * What it models (see docs in DESIGN.md, "Facts for a believable demo day"):
 * - attendance: one report per class and session, 07:00–08:00 (morning / full day) and
 *   13:30–14:00 (afternoon); ~96 % present in the city, ~93 % in rural districts, rainy days
 *   in the rainy season cost rural schools 3–8 points; a few schools have chronic absence.
 * - devices: a heartbeat per device per minute of school hours; ~5 % of schools are flaky and
 *   lose power or internet for 10–60 minutes (no messages at all then); rural districts lose
 *   power in afternoon downpours; a broken device reports `down` / `hardware`.
 * - library: 15-minute counts for schools with an e-library, peaking at breaks and lunch.
 * - completeness: a nightly sync (22:00–23:30) of the nine datasets, and a 06:00 status round.
 */
import {
	DATASETS,
	TELEMETRY_KINDS,
	subjectFor,
	type Dataset,
	type EduEventInput,
	type TelemetryKind
} from '#shared/contract';
import { devicesOf, type DeviceInfo } from '#shared/devices';
import type { Area, School, SchoolLevel } from '#shared/registry';
import {
	DAY_MS,
	MINUTE_MS,
	VN_OFFSET_MS,
	civil,
	dateKey,
	dayOf,
	hm,
	isRainySeason,
	isTetBreak,
	minuteIntoHours,
	schoolHours,
	sessionsOn,
	type Session
} from '#shared/calendar';
import {
	between,
	binomial,
	hashStr,
	mix,
	mulberry32,
	normal,
	poisson,
	u01,
	type Rng
} from './random';

export interface SimRegistry {
	schools: School[];
	/** when given, districts with `kind: 'rural'` are rural; otherwise RURAL_DISTRICTS */
	areas?: Area[];
}
export interface SimOptions {
	seed?: number;
	/** only these kinds (default: all telemetry kinds) */
	kinds?: readonly TelemetryKind[];
}
export interface SimEvent {
	subject: string;
	event: EduEventInput;
}

/** Rural districts of Cần Thơ (huyện), used when the registry carries no urban/rural kind. */
export const RURAL_DISTRICTS: readonly string[] = ['phong-dien', 'co-do', 'thoi-lai', 'vinh-thanh'];
export const DEFAULT_SEED = 83;

const LOCAL_MINUTE_OFFSET = VN_OFFSET_MS / MINUTE_MS;
const MINUTES_PER_DAY = 1440;
const SYNC_BASE = hm(22);
const STATUS_ROUND = hm(6);

// Salts: each kind of draw has its own, so draws never correlate by accident.
const S = {
	flaky: 1,
	chronic: 2,
	behind: 3,
	offset: 4,
	engagement: 5,
	syncBase: 6,
	ministryEvery: 7,
	ministryPhase: 8,
	ministryNever: 9,
	cityRain: 10,
	districtRain: 11,
	intensity: 12,
	storm: 13,
	outage: 14,
	broken: 15,
	miss: 16,
	attendance: 17,
	library: 18,
	syncJitter: 19,
	syncSkip: 20,
	completeness: 21,
	gradeJitter: 22,
	sites: 23,
	source: 24
} as const;

// ---------------------------------------------------------------------------------------------
// Static, seed-independent facts about a school: its classes and devices.

export interface ClassInfo {
	/** as shown: "6A1", "Lá 2" */
	name: string;
	/** ASCII, for event ids: "6a1", "la2" */
	code: string;
	grade: number;
	level: SchoolLevel;
	size: number;
	/** which session(s) the class reports */
	shift: 'morning' | 'afternoon' | 'both' | 'full_day';
}

interface DeviceSim extends DeviceInfo {
	h: number;
	/** second of the minute this device's heartbeat goes out */
	sec: number;
	source: string;
	hbPrefix: string;
	chgPrefix: string;
}

interface StaticInfo {
	school: School;
	h: number;
	/** school id as used inside event ids (shortened by hash when very long) */
	sid: string;
	classes: ClassInfo[];
	devices: DeviceSim[];
	gradesTaught: number;
	subjects: Record<TelemetryKind, string>;
}

const PRESCHOOL_GROUPS = [
	{ name: 'Nhà trẻ', code: 'nt', w: 0.6 },
	{ name: 'Mầm', code: 'mam', w: 1 },
	{ name: 'Chồi', code: 'choi', w: 1 },
	{ name: 'Lá', code: 'la', w: 1 }
];
const CLASS_SIZE: Record<SchoolLevel, number> = {
	preschool: 28,
	primary: 35,
	lower_secondary: 38,
	upper_secondary: 40
};
const GRADES: Record<SchoolLevel, number[]> = {
	preschool: [0],
	primary: [1, 2, 3, 4, 5],
	lower_secondary: [6, 7, 8, 9],
	upper_secondary: [10, 11, 12]
};
const LETTERS = 'ABCDEFGHIKLMNOPQRSTUVXY';
const DEVICE_SOURCE: Record<DeviceInfo['device_kind'], string> = {
	interactive_board: 'board-fw-4.2',
	projector: 'proj-agent-2.3',
	smart_tv: 'tv-agent-1.6',
	pc: 'pc-agent-3.1',
	library_kiosk: 'kiosk-fw-2.1'
};

/** Classes of a school, derived from its levels and enrolment (~35 pupils a class). */
export function classesOf(school: School): ClassInfo[] {
	const E = school.enrolment;
	if (E <= 0) return [];
	const h = hashStr(school.school_id);
	const groups: { level: SchoolLevel; grade: number; name: string; code: string; w: number }[] = [];
	for (const level of school.levels) {
		if (level === 'preschool')
			for (const g of PRESCHOOL_GROUPS)
				groups.push({ level, grade: 0, name: g.name, code: g.code, w: g.w });
		else
			for (const grade of GRADES[level])
				groups.push({ level, grade, name: String(grade), code: String(grade), w: 1 });
	}
	const totalW = groups.reduce((s, g) => s + g.w, 0);
	const perLevel = new Map<SchoolLevel, ClassInfo[]>();
	for (const g of groups) {
		const n = Math.max(
			1,
			Math.round(
				((E * g.w) / totalW) * (0.92 + 0.16 * u01(h, S.gradeJitter, g.grade + 1, hashStr(g.code)))
			)
		);
		const size = CLASS_SIZE[g.level];
		const k = Math.max(1, Math.min(60, Math.round(n / size)));
		const base = Math.floor(n / k);
		const list = perLevel.get(g.level) ?? [];
		for (let j = 0; j < k; j++) {
			const pupils = Math.min(200, base + (j < n % k ? 1 : 0));
			let name: string;
			let code: string;
			if (g.level === 'preschool') {
				name = `${g.name} ${j + 1}`;
				code = `${g.code}${j + 1}`;
			} else if (g.level === 'primary' && k <= LETTERS.length) {
				name = `${g.grade}${LETTERS[j]}`;
				code = name.toLowerCase();
			} else {
				name = `${g.grade}A${j + 1}`;
				code = name.toLowerCase();
			}
			const shift =
				g.level === 'preschool' ? 'full_day' : g.level === 'primary' ? 'both' : 'morning';
			list.push({ name, code, grade: g.grade, level: g.level, size: pupils, shift });
		}
		perLevel.set(g.level, list);
	}
	// Crowded secondary schools run two shifts: the youngest grades come in the afternoon.
	const lower = perLevel.get('lower_secondary');
	if (lower && lower.length >= 20) for (const c of lower) if (c.grade <= 7) c.shift = 'afternoon';
	const upper = perLevel.get('upper_secondary');
	if (upper && upper.length >= 24) for (const c of upper) if (c.grade === 10) c.shift = 'afternoon';
	return [...perLevel.values()].flat();
}

const staticCache = new WeakMap<School, StaticInfo>();

function staticOf(school: School): StaticInfo {
	let st = staticCache.get(school);
	if (st) return st;
	const h = hashStr(school.school_id);
	const sid = school.school_id.length <= 40 ? school.school_id : `h${h.toString(36)}`;
	const devices = devicesOf(school).map((d, i): DeviceSim => {
		const dh = hashStr(d.device_id);
		const did = sid === school.school_id ? d.device_id : `${sid}-d${i + 1}`;
		return {
			...d,
			h: dh,
			sec: dh % 60,
			source: DEVICE_SOURCE[d.device_kind],
			hbPrefix: `sim-dev-${did}-`,
			chgPrefix: `sim-chg-${did}-`
		};
	});
	const subjects = Object.fromEntries(
		TELEMETRY_KINDS.map((k) => [k, subjectFor(k, school.area_id, school.school_id)])
	) as Record<TelemetryKind, string>;
	const gradesTaught = school.levels.reduce(
		(n, l) => n + (l === 'preschool' ? 4 : GRADES[l].length),
		0
	);
	st = { school, h, sid, classes: classesOf(school), devices, gradesTaught, subjects };
	staticCache.set(school, st);
	return st;
}

// ---------------------------------------------------------------------------------------------
// Seed-dependent traits: which schools are flaky, chronically absent, behind on data.

export interface SchoolTraits {
	rural: boolean;
	/** unstable power or internet: outages most school days */
	flaky: boolean;
	/** chronic absence (lower attendance, more unexcused) */
	chronic: boolean;
	/** behind on data entry (60–85 % complete, ministry sync days old) */
	behind: boolean;
	/** never synced to the ministry database */
	ministryNever: boolean;
	attendanceOffset: number;
	chronicDip: number;
	libraryEngagement: number;
	/** minutes after 22:00 the nightly sync usually starts */
	syncBase: number;
	ministryEvery: number;
	ministryPhase: number;
	skipRate: number;
	missRate: number;
	attendanceSource: string;
}

function seedHash(seed: number): number {
	return mix(seed >>> 0, 0x5eed);
}

function traitsFor(seedH: number, h: number, rural: boolean): SchoolTraits {
	const flaky = u01(seedH, h, S.flaky) < 0.05;
	const chronic = u01(seedH, h, S.chronic) < 0.03;
	const behind = u01(seedH, h, S.behind) < 0.08;
	return {
		rural,
		flaky,
		chronic,
		behind,
		ministryNever: behind && u01(seedH, h, S.ministryNever) < 0.12,
		attendanceOffset: (u01(seedH, h, S.offset) - 0.5) * 0.03,
		chronicDip: chronic ? 0.06 + 0.04 * u01(seedH, h, S.chronic, 2) : 0,
		libraryEngagement: 0.4 + 1.2 * u01(seedH, h, S.engagement),
		syncBase: between(u01(seedH, h, S.syncBase), 0, 75),
		ministryEvery: behind ? between(u01(seedH, h, S.ministryEvery), 5, 30) : 1,
		ministryPhase: between(u01(seedH, h, S.ministryPhase), 0, 29),
		skipRate: behind ? 0.25 : flaky ? 0.1 : 0.02,
		missRate: flaky ? 0.01 : rural ? 0.003 : 0.001,
		attendanceSource: u01(seedH, h, S.source) < 0.7 ? 'smas' : 'vnedu'
	};
}

function ruralTest(registry: SimRegistry): (areaId: string) => boolean {
	const kinds = new Map<string, string>();
	for (const a of registry.areas ?? []) if (a.kind) kinds.set(a.area_id, a.kind);
	return (id) => (kinds.has(id) ? kinds.get(id) === 'rural' : RURAL_DISTRICTS.includes(id));
}

/** The simulated character of a school under a seed (for tests, demos and the report). */
export function schoolTraits(
	school: School,
	opts: { seed?: number; areas?: Area[] } = {}
): SchoolTraits {
	return traitsFor(
		seedHash(opts.seed ?? DEFAULT_SEED),
		hashStr(school.school_id),
		ruralTest({ schools: [], areas: opts.areas })(school.area_id)
	);
}

// ---------------------------------------------------------------------------------------------
// Weather: rainy days per date and district, correlated across the city.

export interface Weather {
	rainy: boolean;
	/** 0–1: how hard it rains (drives the attendance dip and outage odds) */
	intensity: number;
	/** minute of the afternoon downpour's start */
	stormStart: number;
	stormMinutes: number;
}

// chance of a rainy day in the city, by month (index 0 = January)
const RAIN_P = [0, 0, 0, 0, 0.35, 0.55, 0.6, 0.6, 0.65, 0.6, 0.4, 0];

function weatherFor(seedH: number, day: number, districtId: string): Weather {
	const dh = hashStr(districtId);
	const dry: Weather = { rainy: false, intensity: 0, stormStart: 0, stormMinutes: 0 };
	if (!isRainySeason({ day })) return dry;
	const p = RAIN_P[civil(day).month - 1];
	const cityRain = u01(seedH, S.cityRain, day) < p;
	const rainy = u01(seedH, S.districtRain, day, dh) < (cityRain ? 0.85 : 0.08);
	if (!rainy) return dry;
	return {
		rainy,
		intensity: u01(seedH, S.intensity, day, dh),
		stormStart: hm(13, 45) + Math.floor(150 * u01(seedH, S.storm, day, dh)),
		stormMinutes: 30 + Math.floor(90 * u01(seedH, S.storm, day, dh ^ 1))
	};
}

/** The simulated weather of a district on a local day (the day number, or a moment). */
export function weatherOf(
	districtId: string,
	date: number | { day: number },
	opts: { seed?: number } = {}
): Weather {
	const day = typeof date === 'number' ? Math.floor((date + VN_OFFSET_MS) / DAY_MS) : date.day;
	return weatherFor(seedHash(opts.seed ?? DEFAULT_SEED), day, districtId);
}

// ---------------------------------------------------------------------------------------------
// Completeness: the nine datasets, their sizes and the fields most often left empty.

interface DatasetSpec {
	fields: number;
	records: (st: StaticInfo, seedH: number, rural: boolean) => number;
	missing: string[];
}

const DATASET_SPECS: Record<Dataset, DatasetSpec> = {
	school: {
		fields: 48,
		records: () => 1,
		missing: [
			'ma_so_thue',
			'so_dien_thoai',
			'email',
			'website',
			'so_quyet_dinh_thanh_lap',
			'ngay_thanh_lap',
			'toa_do_gps'
		]
	},
	sites: {
		fields: 14,
		records: (st, seedH, rural) => 1 + (hashStr(st.school.school_id) % (rural ? 3 : 2)),
		missing: [
			'toa_do_gps',
			'dien_tich_dat',
			'so_giay_chung_nhan_qsdd',
			'khoang_cach_diem_chinh',
			'dia_chi_chi_tiet'
		]
	},
	classes: {
		fields: 16,
		records: (st) => st.classes.length,
		missing: [
			'giao_vien_chu_nhiem',
			'phong_hoc',
			'so_buoi_hoc_tuan',
			'hoc_ngoai_ngu',
			'ngay_cap_nhat'
		]
	},
	students: {
		fields: 32,
		records: (st) => st.school.enrolment,
		missing: [
			'so_dien_thoai_phu_huynh',
			'ma_dinh_danh',
			'noi_sinh',
			'dan_toc',
			'dien_chinh_sach',
			'ho_ten_me',
			'ho_ten_cha',
			'ngay_cap_nhat',
			'khuyet_tat'
		]
	},
	staff: {
		fields: 44,
		records: (st) => Math.max(3, Math.round(st.school.enrolment / 18) + 4),
		missing: [
			'trinh_do_chuyen_mon',
			'chung_chi_tin_hoc',
			'so_so_bhxh',
			'ngay_vao_nganh',
			'hang_chuc_danh_nghe_nghiep',
			'so_dien_thoai'
		]
	},
	facilities: {
		fields: 12,
		records: (st) => st.school.classrooms + 3 + (st.h % 5),
		missing: ['nam_xay_dung', 'tinh_trang', 'dien_tich', 'nguon_von', 'so_thiet_bi_dinh_kem']
	},
	finance: {
		fields: 22,
		records: () => 12,
		missing: [
			'du_toan_ngan_sach',
			'nguon_thu_hoc_phi',
			'chi_thuong_xuyen',
			'ngay_cap_nhat',
			'quyet_toan_nam_truoc'
		]
	},
	enrolment: {
		fields: 18,
		records: (st) => Math.max(1, Math.round(st.school.enrolment / Math.max(1, st.gradesTaught))),
		missing: [
			'ngay_nhap_hoc',
			'truong_cu',
			'ket_qua_tuyen_sinh',
			'noi_thuong_tru',
			'doi_tuong_uu_tien'
		]
	},
	learning_results: {
		fields: 26,
		records: (st) => st.school.enrolment,
		missing: [
			'diem_trung_binh_hk1',
			'nhan_xet_giao_vien',
			'ket_qua_ren_luyen',
			'ngay_cap_nhat',
			'danh_hieu_thi_dua'
		]
	}
};

/** Day number of the 5 September that opened the school year a day falls in. */
function yearStartDay(day: number): number {
	const { year, month, day: d } = civil(day);
	const y = month > 9 || (month === 9 && d >= 5) ? year : year - 1;
	return dayOf(y, 9, 5);
}

function syncMinuteOn(seedH: number, st: StaticInfo, tr: SchoolTraits, day: number): number {
	return SYNC_BASE + tr.syncBase + Math.floor(14 * u01(seedH, st.h, S.syncJitter, day));
}

function syncedOn(seedH: number, st: StaticInfo, tr: SchoolTraits, day: number): boolean {
	return u01(seedH, st.h, S.syncSkip, day) >= tr.skipRate;
}

function isoAt(day: number, minute: number, sec: number): string {
	return `${datePrefix(day)}T${HHMM[minute]}:${SEC[sec]}+07:00`;
}

function syncIso(seedH: number, st: StaticInfo, tr: SchoolTraits, day: number): string {
	return isoAt(day, syncMinuteOn(seedH, st, tr, day), st.h % 50);
}

function completenessPayloads(
	seedH: number,
	st: StaticInfo,
	tr: SchoolTraits,
	night: number,
	lastSyncDept: string | null
) {
	const yearDays = Math.max(0, night - yearStartDay(night));
	let ministry: string | null;
	if (tr.ministryNever) ministry = null;
	else if (tr.ministryEvery <= 1) ministry = lastSyncDept;
	else {
		const d = night - ((night + tr.ministryPhase) % tr.ministryEvery);
		ministry = syncIso(seedH, st, tr, d);
	}
	return DATASETS.map((dataset, i) => {
		const spec = DATASET_SPECS[dataset];
		const records = spec.records(st, seedH, tr.rural);
		const required = Math.max(1, records) * spec.fields;
		const u = u01(seedH, st.h, S.completeness, i + 1);
		let ratio: number;
		if (tr.behind)
			ratio =
				0.6 +
				0.25 * u +
				yearDays * 0.0001 +
				(u01(seedH, st.h, S.completeness, (i + 1) * 1000 + night) - 0.5) * 0.004;
		else if (u < 0.3) ratio = 1;
		else
			ratio =
				1 -
				0.1 * u * u +
				yearDays * 0.00005 +
				(u01(seedH, st.h, S.completeness, (i + 1) * 1000 + night) - 0.5) * 0.002;
		ratio = Math.min(1, Math.max(0, ratio));
		const filled = Math.min(required, Math.round(required * ratio));
		const empty = required - filled;
		let missing: string[] = [];
		if (empty > 0) {
			const rng = mulberry32(mix(seedH, st.h, S.completeness, 77 + i));
			const pool = [...spec.missing];
			const want = Math.min(empty, pool.length, 1 + Math.floor(rng() * (tr.behind ? 5 : 3)));
			for (let k = 0; k < want; k++)
				missing.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
			missing = missing.slice(0, 50);
		}
		return {
			dataset,
			required_fields: required,
			filled_fields: filled,
			records,
			missing_fields: missing,
			last_sync_department: lastSyncDept,
			last_sync_ministry: ministry
		};
	});
}

// ---------------------------------------------------------------------------------------------
// Library: 15-minute windows, busier at breaks and lunch.

const LIBRARY_PROFILE: [number, number, number][] = [
	// [from, to, weight]
	[hm(7), hm(7, 30), 0.4],
	[hm(7, 30), hm(9), 0.7],
	[hm(9), hm(9, 30), 3],
	[hm(9, 30), hm(11, 15), 0.7],
	[hm(11, 15), hm(12, 30), 2],
	[hm(12, 30), hm(13, 30), 1],
	[hm(13, 30), hm(14, 45), 0.6],
	[hm(14, 45), hm(15, 15), 2.5],
	[hm(15, 15), hm(16, 30), 0.7],
	[hm(16, 30), hm(24), 0.5]
];

function libraryWeight(minute: number): number {
	for (const [a, b, w] of LIBRARY_PROFILE) if (minute >= a && minute < b) return w;
	return 0.3;
}

// ---------------------------------------------------------------------------------------------
// The day plan of one school: hours, outages, broken devices, and the sparse events by minute.

interface Sparse {
	sec: number;
	kind: TelemetryKind;
	build: () => EduEventInput | null;
}

interface SchoolDay {
	inHours: Uint8Array | null;
	/** 1 where the school is cut off (power or internet): no device traffic */
	offline: Uint8Array | null;
	/** per device: minute from which it is broken (0 = all day), -1 if it works */
	brokenFrom: Int16Array | null;
	sparse: Map<number, Sparse[]>;
}

interface Outage {
	start: number;
	end: number;
	reason: 'power' | 'network';
	/** the session ends before power/internet is back: no "up" change */
	clipped: boolean;
}

interface Ctx {
	schoolsRef: School[];
	count: number;
	seedH: number;
	statics: StaticInfo[];
	traits: SchoolTraits[];
	weather: Map<string, Weather>;
	plans: Map<number, { days: SchoolDay[]; active: Uint8Array }>;
}

const ctxCache = new WeakMap<object, Map<number, Ctx>>();

function contextFor(registry: SimRegistry, seed: number): Ctx {
	let bySeed = ctxCache.get(registry);
	if (!bySeed) ctxCache.set(registry, (bySeed = new Map()));
	let ctx = bySeed.get(seed);
	if (ctx && ctx.schoolsRef === registry.schools && ctx.count === registry.schools.length)
		return ctx;
	const seedH = seedHash(seed);
	const rural = ruralTest(registry);
	const statics = registry.schools.map(staticOf);
	ctx = {
		schoolsRef: registry.schools,
		count: registry.schools.length,
		seedH,
		statics,
		traits: statics.map((st) => traitsFor(seedH, st.h, rural(st.school.area_id))),
		weather: new Map(),
		plans: new Map()
	};
	bySeed.set(seed, ctx);
	return ctx;
}

function weatherCached(ctx: Ctx, day: number, district: string): Weather {
	const key = `${day}|${district}`;
	let w = ctx.weather.get(key);
	if (!w) {
		if (ctx.weather.size > 2000) ctx.weather.clear();
		ctx.weather.set(key, (w = weatherFor(ctx.seedH, day, district)));
	}
	return w;
}

function plansFor(ctx: Ctx, day: number): { days: SchoolDay[]; active: Uint8Array } {
	let p = ctx.plans.get(day);
	if (p) return p;
	const active = new Uint8Array(MINUTES_PER_DAY);
	const days = ctx.statics.map((st, i) => planDay(ctx, st, ctx.traits[i], day, active));
	p = { days, active };
	// a live feed works on today (and briefly yesterday); a backfill walks forward
	if (ctx.plans.size >= 3) ctx.plans.delete(ctx.plans.keys().next().value as number);
	ctx.plans.set(day, p);
	return p;
}

function addSparse(
	map: Map<number, Sparse[]>,
	active: Uint8Array,
	minute: number,
	s: Sparse
): void {
	let list = map.get(minute);
	if (!list) map.set(minute, (list = []));
	list.push(s);
	active[minute] = 1;
}

function planDay(
	ctx: Ctx,
	st: StaticInfo,
	tr: SchoolTraits,
	day: number,
	active: Uint8Array
): SchoolDay {
	const { seedH } = ctx;
	const school = st.school;
	const sparse = new Map<number, Sparse[]>();
	const key = dateKey(day);
	const hours = schoolHours({ day }, school.levels);
	const weather = weatherCached(ctx, day, school.area_id);
	const plan: SchoolDay = { inHours: null, offline: null, brokenFrom: null, sparse };

	planCompleteness(ctx, st, tr, day, key, sparse, active);
	if (hours.length === 0) return plan;

	const inHours = new Uint8Array(MINUTES_PER_DAY);
	for (const [a, b] of hours) inHours.fill(1, a, b);
	if (st.devices.length) for (const [a, b] of hours) active.fill(1, a, b);
	plan.inHours = inHours;
	const hoursTotal = hours.reduce((n, [a, b]) => n + b - a, 0);
	const minuteAt = (offset: number): number => minuteIntoHours(hours, offset);

	// --- outages
	const outages: Outage[] = [];
	const orng = mulberry32(mix(seedH, st.h, S.outage, day));
	const addOutage = (start: number, minutes: number, reason: Outage['reason']) => {
		const span = hours.find(([a, b]) => start >= a && start < b);
		if (!span) return;
		const end = span[1];
		const stop = Math.min(start + minutes, end);
		outages.push({ start, end: stop, reason, clipped: stop === end });
	};
	if (tr.flaky) {
		const r = orng();
		const n = r < 0.3 ? 0 : r < 0.75 ? 1 : 2;
		for (let k = 0; k < n; k++)
			addOutage(
				minuteAt(Math.floor(orng() * hoursTotal)),
				between(orng(), 10, 60),
				orng() < 0.65 ? 'network' : 'power'
			);
	} else if (orng() < (tr.rural ? 0.02 : 0.008)) {
		addOutage(
			minuteAt(Math.floor(orng() * hoursTotal)),
			between(orng(), 10, 45),
			orng() < 0.6 ? 'network' : 'power'
		);
	}
	if (weather.rainy && inHours[weather.stormStart]) {
		const p = tr.rural
			? (0.12 + 0.3 * weather.intensity) * (tr.flaky ? 1.5 : 1)
			: 0.02 * weather.intensity;
		if (orng() < p)
			addOutage(
				weather.stormStart + Math.floor(orng() * 30),
				between(orng(), 15, 60),
				orng() < 0.7 ? 'power' : 'network'
			);
	}
	if (outages.length) {
		const offline = new Uint8Array(MINUTES_PER_DAY);
		for (const o of outages) offline.fill(1, o.start, o.end);
		plan.offline = offline;
	}

	// --- broken devices
	let brokenFrom: Int16Array | null = null;
	for (let i = 0; i < st.devices.length; i++) {
		const r = u01(seedH, st.devices[i].h, S.broken, day);
		const allDay = 0.004;
		const today = tr.rural ? 0.003 : 0.002;
		if (r >= allDay + today) continue;
		brokenFrom ??= new Int16Array(st.devices.length).fill(-1);
		if (r < allDay) brokenFrom[i] = 0;
		else {
			const m = minuteAt(
				Math.floor(u01(seedH, st.devices[i].h, S.broken, day ^ 0x55) * hoursTotal)
			);
			brokenFrom[i] = m;
			const d = st.devices[i];
			addSparse(sparse, active, m, {
				sec: d.sec,
				kind: 'device',
				build: () => deviceEvent(st, d, m, day, 'change', 'down', 'hardware')
			});
		}
	}
	plan.brokenFrom = brokenFrom;
	const isBroken = (i: number, m: number) =>
		brokenFrom !== null && brokenFrom[i] >= 0 && m >= brokenFrom[i];

	// --- change events around outages: a "dying gasp" when power goes, "up" when it comes back
	for (const o of outages) {
		st.devices.forEach((d, i) => {
			if (o.reason === 'power' && !isBroken(i, o.start) && !plan.offline![o.start - 1])
				addSparse(sparse, active, o.start, {
					sec: d.sec,
					kind: 'device',
					build: () => deviceEvent(st, d, o.start, day, 'change', 'down', 'power')
				});
			if (!o.clipped && !isBroken(i, o.end) && !plan.offline![o.end])
				addSparse(sparse, active, o.end, {
					sec: d.sec,
					kind: 'device',
					build: () => deviceEvent(st, d, o.end, day, 'change', 'up', o.reason)
				});
		});
	}

	planAttendance(ctx, st, tr, day, key, weather, sparse, active);
	if (school.elibrary) planLibrary(ctx, st, tr, day, key, hours, sparse, active);
	return plan;
}

function planAttendance(
	ctx: Ctx,
	st: StaticInfo,
	tr: SchoolTraits,
	day: number,
	key: string,
	weather: Weather,
	sparse: Map<number, Sparse[]>,
	active: Uint8Array
): void {
	const { seedH } = ctx;
	const { weekday } = civil(day);
	const sessionsByLevel = new Map<SchoolLevel, Session[]>();
	for (const l of st.school.levels)
		sessionsByLevel.set(
			l,
			sessionsOn({ day }, l).map((s) => s.session)
		);
	let dayAdj = 0;
	if (weekday === 1) dayAdj -= 0.005;
	if (weekday === 6) dayAdj -= 0.01;
	// families travel home for Tết and come back late
	if (
		!isTetBreak({ day }) &&
		(isTetBreak({ day: day - 1 }) || isTetBreak({ day: day - 2 }) || isTetBreak({ day: day - 3 }))
	)
		dayAdj -= 0.03;
	const rainDip = weather.rainy
		? tr.rural
			? 0.03 + 0.04 * weather.intensity
			: 0.01 * weather.intensity
		: 0;
	// the level and weekday adjustments below cost about half a point on average
	const base = (tr.rural ? 0.935 : 0.965) + tr.attendanceOffset + dayAdj - rainDip - tr.chronicDip;
	const excusedShare = tr.chronic ? 0.4 : weather.rainy ? 0.7 : 0.6;

	for (const cls of st.classes) {
		const held = sessionsByLevel.get(cls.level) ?? [];
		const wanted: Session[] =
			cls.shift === 'both'
				? ['morning', 'afternoon']
				: cls.shift === 'full_day'
					? ['full_day']
					: [cls.shift];
		for (const session of wanted) {
			if (!held.includes(session)) continue;
			const ch = hashStr(cls.code, st.h);
			const srng = mulberry32(
				mix(seedH, ch, S.attendance, day * 4 + (session === 'afternoon' ? 1 : 0))
			);
			const r = Math.pow(srng(), 1.6);
			const minute =
				session === 'afternoon' ? hm(13, 30) + Math.floor(30 * r) : hm(7) + Math.floor(60 * r);
			const sec = Math.floor(srng() * 60);
			const levelAdj =
				cls.level === 'preschool' ? -0.02 : cls.level === 'upper_secondary' ? -0.005 : 0;
			const sessionAdj = session === 'afternoon' ? -0.005 : 0;
			addSparse(sparse, active, minute, {
				sec,
				kind: 'attendance',
				build: () => {
					const rng = mulberry32(
						mix(seedH, ch, S.attendance, day * 4 + 2 + (session === 'afternoon' ? 1 : 0))
					);
					const rate = base + levelAdj + sessionAdj + normal(rng) * 0.012;
					const pAbsent = Math.min(0.5, Math.max(0.002, 1 - rate));
					const absent = binomial(rng, cls.size, pAbsent);
					const excused = binomial(rng, absent, excusedShare);
					return {
						kind: 'attendance',
						event_id: `sim-att-${st.sid}-${key}-${cls.code}-${session}`,
						schema: 1,
						school_id: st.school.school_id,
						ts: isoAt(day, minute, sec),
						source: tr.attendanceSource,
						payload: {
							class: cls.name,
							grade: cls.grade,
							session,
							enrolled: cls.size,
							present: cls.size - absent,
							absent_excused: excused,
							absent_unexcused: absent - excused
						}
					};
				}
			});
		}
	}
}

function planLibrary(
	ctx: Ctx,
	st: StaticInfo,
	tr: SchoolTraits,
	day: number,
	key: string,
	hours: [number, number][],
	sparse: Map<number, Sparse[]>,
	active: Uint8Array
): void {
	const { seedH } = ctx;
	const open = hours[0][0];
	const close = hours[hours.length - 1][1];
	const slots: number[] = [];
	for (let s = open; s + 15 <= close; s += 15) slots.push(s);
	const totalW = slots.reduce((n, s) => n + libraryWeight(s), 0);
	const E = st.school.enrolment * tr.libraryEngagement * (civil(day).weekday === 6 ? 0.5 : 1);
	const daily = { visits: 0.12 * E, loans: 0.03 * E, returns: 0.028 * E, ebook_opens: 0.15 * E };
	const sec = 5 + (st.h % 50);
	for (const s of slots) {
		const w = libraryWeight(s) / totalW;
		// e-books are opened in class too, so they follow the breaks less closely
		const wEbook = (0.5 * (libraryWeight(s) + 1)) / (0.5 * (totalW + slots.length));
		const minute = s + 14;
		addSparse(sparse, active, minute, {
			sec,
			kind: 'library',
			build: () => {
				const rng: Rng = mulberry32(mix(seedH, st.h, S.library, day * MINUTES_PER_DAY + s));
				const payload = {
					period_s: 900,
					loans: poisson(rng, daily.loans * w),
					returns: poisson(rng, daily.returns * w),
					ebook_opens: poisson(rng, daily.ebook_opens * wEbook),
					visits: poisson(rng, daily.visits * w)
				};
				if (payload.loans + payload.returns + payload.ebook_opens + payload.visits === 0)
					return null;
				return {
					kind: 'library',
					event_id: `sim-lib-${st.sid}-${key}-${HHMM[s].replace(':', '')}`,
					schema: 1,
					school_id: st.school.school_id,
					ts: isoAt(day, minute, sec),
					source: 'elib',
					payload
				};
			}
		});
	}
}

function planCompleteness(
	ctx: Ctx,
	st: StaticInfo,
	tr: SchoolTraits,
	day: number,
	key: string,
	sparse: Map<number, Sparse[]>,
	active: Uint8Array
): void {
	const { seedH } = ctx;
	const emit = (
		minute: number,
		sec0: number,
		round: string,
		night: number,
		lastSync: string | null
	) => {
		const payloads = completenessPayloads(seedH, st, tr, night, lastSync);
		payloads.forEach((payload, i) => {
			const sec = sec0 + i * 6;
			const m = minute + Math.floor(sec / 60);
			addSparse(sparse, active, m, {
				sec: sec % 60,
				kind: 'completeness',
				build: () => ({
					kind: 'completeness',
					event_id: `sim-cmp-${st.sid}-${key}-${round}-${payload.dataset}`,
					schema: 1,
					school_id: st.school.school_id,
					ts: isoAt(day, m, sec % 60),
					source: 'csdl-nganh',
					payload
				})
			});
		});
	};
	// 06:00: the department's status of last night's data (or the last night that synced)
	let last = day - 1;
	while (last > day - 60 && !syncedOn(seedH, st, tr, last)) last--;
	const lastSync = syncedOn(seedH, st, tr, last) ? syncIso(seedH, st, tr, last) : null;
	emit(STATUS_ROUND + (st.h % 15), 0, '0600', last, lastSync);
	// the nightly sync itself, unless the link or the school skipped it tonight
	if (syncedOn(seedH, st, tr, day)) {
		const minute = syncMinuteOn(seedH, st, tr, day);
		emit(minute, st.h % 50, 'sync', day, isoAt(day, minute, st.h % 50));
	}
}

function deviceEvent(
	st: StaticInfo,
	d: DeviceSim,
	minuteOfDay: number,
	day: number,
	event: 'heartbeat' | 'change',
	status: 'up' | 'down',
	reason?: 'power' | 'network' | 'hardware'
): EduEventInput {
	const epochMinute = day * MINUTES_PER_DAY + minuteOfDay - LOCAL_MINUTE_OFFSET;
	const payload: Extract<EduEventInput, { kind: 'device' }>['payload'] = {
		device_id: d.device_id,
		room: d.room,
		device_kind: d.device_kind,
		status,
		event,
		interval_s: 60
	};
	if (reason) payload.reason = reason;
	return {
		kind: 'device',
		event_id: (event === 'heartbeat' ? d.hbPrefix : d.chgPrefix) + epochMinute,
		schema: 1,
		school_id: st.school.school_id,
		ts: isoAt(day, minuteOfDay, d.sec),
		source: d.source,
		payload
	};
}

// ---------------------------------------------------------------------------------------------
// Time formatting without Date: the prefix of each day, "HH:MM" of each minute.

const HHMM: string[] = Array.from(
	{ length: MINUTES_PER_DAY },
	(_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
);
const SEC: string[] = Array.from({ length: 60 }, (_, s) => String(s).padStart(2, '0'));
let prefixDay = NaN;
let prefixStr = '';
function datePrefix(day: number): string {
	if (day !== prefixDay) {
		const k = dateKey(day);
		prefixStr = `${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)}`;
		prefixDay = day;
	}
	return prefixStr;
}

// ---------------------------------------------------------------------------------------------

/**
 * Every simulated event with `ts` in [fromMs, toMs), in time order (to the second), as
 * `{ subject, event }`. Deterministic in (registry, seed): regenerate any window and get the same
 * events with the same ids.
 */
export function* eventsBetween(
	registry: SimRegistry,
	fromMs: number,
	toMs: number,
	opts: SimOptions = {}
): Generator<SimEvent> {
	if (!(toMs > fromMs) || registry.schools.length === 0) return;
	const ctx = contextFor(registry, opts.seed ?? DEFAULT_SEED);
	const want = new Set<TelemetryKind>(opts.kinds ?? TELEMETRY_KINDS);
	const wantDevices = want.has('device');
	const bins: SimEvent[][] = Array.from({ length: 60 }, () => []);
	const first = Math.floor(fromMs / MINUTE_MS);
	const last = Math.ceil(toMs / MINUTE_MS);
	let day = NaN;
	let plans: { days: SchoolDay[]; active: Uint8Array } | null = null;
	for (let em = first; em < last; em++) {
		const local = em + LOCAL_MINUTE_OFFSET;
		const d = Math.floor(local / MINUTES_PER_DAY);
		const m = local - d * MINUTES_PER_DAY;
		if (d !== day) {
			day = d;
			plans = plansFor(ctx, d);
		}
		if (!plans!.active[m]) continue;
		const minuteMs = em * MINUTE_MS;
		const edge = minuteMs < fromMs || minuteMs + MINUTE_MS > toMs;
		const inWindow = (sec: number) =>
			!edge || (minuteMs + sec * 1000 >= fromMs && minuteMs + sec * 1000 < toMs);
		const days = plans!.days;
		for (let i = 0; i < days.length; i++) {
			const p = days[i];
			const st = ctx.statics[i];
			const sp = p.sparse.get(m);
			if (sp)
				for (const s of sp) {
					if (!want.has(s.kind) || !inWindow(s.sec)) continue;
					const event = s.build();
					if (event) bins[s.sec].push({ subject: st.subjects[s.kind], event });
				}
			if (!wantDevices || !p.inHours || !p.inHours[m] || (p.offline && p.offline[m])) continue;
			const tr = ctx.traits[i];
			const subject = st.subjects.device;
			for (let k = 0; k < st.devices.length; k++) {
				const dev = st.devices[k];
				if (!inWindow(dev.sec)) continue;
				if (u01(ctx.seedH, dev.h, S.miss, em) < tr.missRate) continue;
				const broken = p.brokenFrom !== null && p.brokenFrom[k] >= 0 && m >= p.brokenFrom[k];
				bins[dev.sec].push({
					subject,
					event: deviceEvent(
						st,
						dev,
						m,
						d,
						'heartbeat',
						broken ? 'down' : 'up',
						broken ? 'hardware' : undefined
					)
				});
			}
		}
		for (const bin of bins) {
			for (const e of bin) yield e;
			bin.length = 0;
		}
	}
}

/** Milliseconds of an event's ts (the simulator always writes `…+07:00`). */
export function tsMs(event: EduEventInput): number {
	return Date.parse(event.ts);
}
