/**
 * Generates the embedded seed registry (areas + 467 schools) for Cần Thơ, deterministically.
 *
 *   npx tsx scripts/generate-registry.ts
 *
 * Development-time only. Reads ../shared/data (plan-83.json and geo/), writes
 * src/lib/server/platform/registry/seed/{areas,schools}.json and copies the map layers into static/geo/.
 * Real: the plan-83 units' names, wards, levels and e-library years, district names/codes/shapes.
 * Synthetic: every position, and everything about the other schools (see seed/README.md).
 * No Math.random, no clock: every draw comes from mulberry32 seeded by a hash of a fixed key.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	areaSchema,
	schoolSchema,
	type Area,
	type School,
	type SchoolLevel
} from '#shared/registry';
import { bbox, centroid, pointInGeometry, type AreaGeometry, type Ring } from '#shared/geo';
import { mulberry32, type Rng } from '#ingest/feed/random';
import { fnv1a } from '#shared/hash';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '../shared/data');
const GEO = join(DATA, 'geo');
const SEED_DIR = join(ROOT, 'src/lib/server/platform/registry/seed');
const STATIC_GEO = join(ROOT, 'static/geo');

const SEED = 83_2023;
const TOTAL_SCHOOLS = 467;

// ---------------------------------------------------------------------------------------------
// randomness

/** An independent stream per key, so adding a draw in one place does not shift every other. */
const rngFor = (key: string): Rng => mulberry32(fnv1a(`${SEED}:${key}`));

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

function gaussian(rng: Rng): number {
	const u = 1 - rng();
	const v = rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const round5 = (x: number): number => Number(x.toFixed(5));

function fail(msg: string): never {
	throw new Error(`generate-registry: ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// inputs

interface PlanDistrict {
	id: string;
	name: string;
	kind: 'urban' | 'rural';
}
interface PlanUnit {
	seq: number;
	name: string;
	ward: string;
	district_id: string;
	district: string;
	levels: SchoolLevel[];
	elibrary_year: number;
}
interface RollOut {
	year: number;
	districts: string[];
	rooms_per_school: Record<Category, number>;
	schools: Record<Category, number>;
}
interface Plan {
	districts: PlanDistrict[];
	elibrary_rollout: PlanUnit[];
	multimedia_classrooms: RollOut[];
	smart_interactive_classrooms: RollOut[];
}
interface Feature {
	properties: Record<string, unknown>;
	geometry: AreaGeometry;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const plan = readJson<Plan>(join(DATA, 'plan-83.json'));
const districtFeatures = readJson<{ features: Feature[] }>(
	join(GEO, 'cantho_districts_2019-2025_wof.geojson')
).features;
const cityFeatures = readJson<{ features: Feature[] }>(
	join(GEO, 'cantho_city_outline_wof.geojson')
).features;

// ---------------------------------------------------------------------------------------------
// geometry

/** Rounds to 5 decimals and drops consecutive duplicate vertices, keeping rings closed. */
function roundRing(ring: Ring): Ring {
	const out: Ring = [];
	for (const p of ring) {
		const q = [round5(p[0]), round5(p[1])];
		const last = out[out.length - 1];
		if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
	}
	const first = out[0];
	const last = out[out.length - 1];
	if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
	if (out.length < 4) fail('a ring collapsed when rounding');
	return out;
}

function roundGeometry(g: AreaGeometry): AreaGeometry {
	if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(roundRing) };
	if (g.type === 'MultiPolygon')
		return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(roundRing)) };
	return fail(`unexpected geometry type ${(g as { type: string }).type}`);
}

// ---------------------------------------------------------------------------------------------
// districts, wards and the level mix

/** School groups: single levels plus the two multi-level kinds. */
type Group = 'preschool' | 'primary' | 'th_thcs' | 'lower' | 'thcs_thpt' | 'upper';
const GROUPS: Group[] = ['preschool', 'primary', 'th_thcs', 'lower', 'thcs_thpt', 'upper'];
const GROUP_LEVELS: Record<Group, SchoolLevel[]> = {
	preschool: ['preschool'],
	primary: ['primary'],
	th_thcs: ['primary', 'lower_secondary'],
	lower: ['lower_secondary'],
	thcs_thpt: ['lower_secondary', 'upper_secondary'],
	upper: ['upper_secondary']
};
const GROUP_PREFIX: Record<Group, string> = {
	preschool: 'Trường Mầm non',
	primary: 'Trường Tiểu học',
	th_thcs: 'Trường TH&THCS',
	lower: 'Trường THCS',
	thcs_thpt: 'Trường THCS&THPT',
	upper: 'Trường THPT'
};
/** Which roll-out row of plan 83 (by school level) a group falls under. */
type Category = 'primary' | 'lower_secondary' | 'upper_secondary';
const GROUP_CATEGORY: Record<Group, Category | null> = {
	preschool: null,
	primary: 'primary',
	th_thcs: 'lower_secondary',
	lower: 'lower_secondary',
	thcs_thpt: 'upper_secondary',
	upper: 'upper_secondary'
};

function groupOf(levels: readonly SchoolLevel[]): Group {
	const key = [...levels].sort().join('+');
	for (const g of GROUPS) if ([...GROUP_LEVELS[g]].sort().join('+') === key) return g;
	return fail(`no group for levels ${key}`);
}

interface DistrictSpec {
	/** wards and communes before 2025, with their prefix */
	wards: string[];
	/** schools per group, plan units included; sums to the district total */
	mix: Record<Group, number>;
	/** the town centre urban schools cluster around (lon, lat); the centroid when outside the shape */
	centre: [number, number];
}

const mix = (
	preschool: number,
	primary: number,
	lower: number,
	upper: number,
	th_thcs: number,
	thcs_thpt: number
) => ({
	preschool,
	primary,
	th_thcs,
	lower,
	thcs_thpt,
	upper
});
const P = (names: string[]) => names.map((n) => `Phường ${n}`);
const X = (names: string[]) => names.map((n) => `Xã ${n}`);

// Roughly Cần Thơ 2023–24 (≈150 preschool, 170 primary, 85 THCS, 30 THPT, 32 multi-level),
// spread by population; rural districts have more, smaller schools per head (one per commune).
const DISTRICTS: Record<string, DistrictSpec> = {
	'ninh-kieu': {
		wards: P([
			'An Hòa',
			'An Khánh',
			'An Bình',
			'An Cư',
			'An Hội',
			'An Lạc',
			'An Nghiệp',
			'An Phú',
			'Cái Khế',
			'Hưng Lợi',
			'Tân An',
			'Thới Bình',
			'Xuân Khánh'
		]),
		mix: mix(30, 31, 15, 8, 2, 2),
		centre: [105.776, 10.036]
	},
	'binh-thuy': {
		wards: P([
			'An Thới',
			'Bình Thủy',
			'Bùi Hữu Nghĩa',
			'Long Hòa',
			'Long Tuyền',
			'Thới An Đông',
			'Trà An',
			'Trà Nóc'
		]),
		mix: mix(14, 15, 8, 4, 2, 1),
		centre: [105.752, 10.069]
	},
	'cai-rang': {
		wards: P([
			'Lê Bình',
			'Hưng Phú',
			'Hưng Thạnh',
			'Ba Láng',
			'Phú Thứ',
			'Tân Phú',
			'Thường Thạnh'
		]),
		mix: mix(12, 12, 7, 4, 2, 1),
		centre: [105.77, 10.01]
	},
	'o-mon': {
		wards: P([
			'Châu Văn Liêm',
			'Long Hưng',
			'Phước Thới',
			'Thới An',
			'Thới Hòa',
			'Thới Long',
			'Trường Lạc'
		]),
		mix: mix(16, 18, 9, 3, 2, 2),
		centre: [105.626, 10.114]
	},
	'thot-not': {
		wards: P([
			'Thốt Nốt',
			'Thới Thuận',
			'Thuận An',
			'Thuận Hưng',
			'Trung Kiên',
			'Trung Nhứt',
			'Thạnh Hòa',
			'Tân Hưng',
			'Tân Lộc'
		]),
		mix: mix(18, 21, 10, 3, 2, 2),
		centre: [105.535, 10.27]
	},
	'vinh-thanh': {
		wards: [
			'Thị trấn Vĩnh Thạnh',
			'Thị trấn Thạnh An',
			...X([
				'Thạnh An',
				'Thạnh Lộc',
				'Thạnh Lợi',
				'Thạnh Mỹ',
				'Thạnh Quới',
				'Thạnh Thắng',
				'Thạnh Tiến',
				'Vĩnh Bình',
				'Vĩnh Trinh'
			])
		],
		mix: mix(15, 18, 9, 2, 2, 1),
		centre: [105.4, 10.2]
	},
	'co-do': {
		wards: [
			'Thị trấn Cờ Đỏ',
			...X([
				'Đông Hiệp',
				'Đông Thắng',
				'Thạnh Phú',
				'Thới Đông',
				'Thới Hưng',
				'Thới Xuân',
				'Trung An',
				'Trung Hưng',
				'Trung Thạnh'
			])
		],
		mix: mix(16, 19, 9, 3, 2, 1),
		centre: [105.43, 10.09]
	},
	'phong-dien': {
		wards: [
			'Thị trấn Phong Điền',
			...X(['Giai Xuân', 'Mỹ Khánh', 'Nhơn Ái', 'Nhơn Nghĩa', 'Tân Thới', 'Trường Long'])
		],
		mix: mix(13, 16, 8, 2, 2, 1),
		centre: [105.665, 9.999]
	},
	'thoi-lai': {
		wards: [
			'Thị trấn Thới Lai',
			...X([
				'Định Môn',
				'Đông Bình',
				'Đông Thuận',
				'Tân Thạnh',
				'Thới Tân',
				'Thới Thạnh',
				'Trường Thắng',
				'Trường Thành',
				'Trường Xuân',
				'Trường Xuân A',
				'Trường Xuân B',
				'Xuân Thắng'
			])
		],
		mix: mix(16, 20, 10, 1, 3, 2),
		centre: [105.56, 10.065]
	}
};

/** Names for preschools that are not named after their ward. */
const PRESCHOOL_NAMES = [
	'Hoa Sen',
	'Họa Mi',
	'Sơn Ca',
	'Hoa Mai',
	'Hướng Dương',
	'Vàng Anh',
	'Hoa Hồng',
	'Hoa Cúc',
	'Hoa Lan',
	'Hoa Phượng',
	'Hoa Đào',
	'Hoa Huệ',
	'Hoa Sứ',
	'Hoa Ban',
	'Tuổi Thơ',
	'Tuổi Ngọc',
	'Ánh Dương',
	'Bình Minh',
	'Sao Mai',
	'Ban Mai',
	'Búp Sen Xanh',
	'Thỏ Ngọc',
	'Hoa Thủy Tiên',
	'Sao Sáng',
	'Võ Thị Sáu',
	'Nguyễn Thị Minh Khai',
	'Hoa Súng',
	'Măng Non',
	'Hoa Lài',
	'Tuổi Hồng',
	'Hoa Mười Giờ',
	'Thiên Thần',
	'Hoa Bằng Lăng',
	'Chim Non'
];

/** Plan-83 ward spellings that differ from the ward list only by capitalisation. */
function fixWard(ward: string, wards: string[]): string {
	const w = ward.normalize('NFC');
	return wards.find((x) => x.toLocaleLowerCase('vi') === w.toLocaleLowerCase('vi')) ?? w;
}

/** The part of a ward name used in a school name: thị trấn keep their prefix below THPT. */
function stemOf(ward: string, group: Group): string {
	if (ward.startsWith('Thị trấn '))
		return group === 'upper' || group === 'thcs_thpt' ? ward.slice('Thị trấn '.length) : ward;
	return ward.replace(/^(Phường|Xã) /, '');
}

// ---------------------------------------------------------------------------------------------
// areas

const planDistricts = new Map(plan.districts.map((d) => [d.id, d]));
if (planDistricts.size !== 9)
	fail(`plan-83.json lists ${planDistricts.size} districts, expected 9`);

const areas: Area[] = [];
const cityGeometry = roundGeometry(cityFeatures[0]?.geometry ?? fail('no city outline'));
areas.push(
	areaSchema.parse({
		area_id: 'can-tho',
		parent_id: null,
		level: 'city',
		name: 'Thành phố Cần Thơ',
		name_en: 'Can Tho City',
		kind: '',
		code: '92',
		geometry: cityGeometry
	})
);

const districtArea = new Map<string, Area & { geometry: AreaGeometry }>();
const matched = new Set<Feature>();
for (const d of plan.districts) {
	const f = districtFeatures.find(
		(x) => String(x.properties.name_vi).normalize('NFC') === d.name.normalize('NFC')
	);
	if (!f) fail(`district ${d.id} (${d.name}) not in the district GeoJSON`);
	if (matched.has(f)) fail(`two plan districts match ${String(f.properties.name_vi)}`);
	matched.add(f);
	if (!DISTRICTS[d.id]) fail(`no district spec for ${d.id}`);
	const area = areaSchema.parse({
		area_id: d.id,
		parent_id: 'can-tho',
		level: 'district',
		name: String(f.properties.name_vi).normalize('NFC'),
		name_en: String(f.properties.name_en),
		kind: d.kind,
		code: String(f.properties.gso_code),
		geometry: roundGeometry(f.geometry)
	});
	districtArea.set(d.id, area as Area & { geometry: AreaGeometry });
}
if (matched.size !== 9 || districtFeatures.length !== 9)
	fail('the 9 plan districts do not match the 9 GeoJSON features one to one');
areas.push(...[...districtArea.values()].sort((a, b) => a.code.localeCompare(b.code)));

// ---------------------------------------------------------------------------------------------
// school skeletons: plan units first, then the synthetic remainder

interface Draft {
	district: string;
	group: Group;
	ward: string;
	/** full name for plan units, a base to be numbered for synthetic ones */
	name: string;
	plan?: PlanUnit;
	school_id?: string;
}

const planUnits = plan.elibrary_rollout.filter((u) => {
	if (u.levels.length === 0 || !districtArea.has(u.district_id)) {
		console.warn(
			`skipping plan unit ${u.seq} "${u.name}" (${u.district_id}, levels [${u.levels.join(', ')}]): not a school`
		);
		return false;
	}
	return true;
});

const planNameSet = new Set(planUnits.map((u) => u.name.normalize('NFC')));
const drafts: Draft[] = [];
const flowerUse = new Map<string, number>();
const flowerOrder = shuffled(PRESCHOOL_NAMES, rngFor('flowers'));

for (const d of plan.districts) {
	const spec = DISTRICTS[d.id];
	const mine = planUnits.filter((u) => u.district_id === d.id);
	const planDrafts: Draft[] = mine.map((u) => {
		const ward = fixWard(u.ward, spec.wards);
		if (!spec.wards.includes(ward))
			fail(`plan unit ${u.seq}: ward "${ward}" not in ${d.id}'s ward list`);
		return {
			district: d.id,
			group: groupOf(u.levels),
			ward,
			name: u.name.normalize('NFC'),
			plan: u
		};
	});

	const synthetic: Draft[] = [];
	for (const g of GROUPS) {
		const have = planDrafts.filter((x) => x.group === g);
		const n = spec.mix[g] - have.length;
		if (n < 0) fail(`${d.id}: mix allows ${spec.mix[g]} ${g} but the plan has ${have.length}`);
		// spread over the wards: always the least-used ward so far, ties in a fixed random order
		const use = new Map(spec.wards.map((w) => [w, 0]));
		for (const x of have) use.set(x.ward, (use.get(x.ward) ?? 0) + 1);
		// a synthetic "THPT Bùi Hữu Nghĩa 2" would pass for a real school: above primary, skip wards
		// whose name is already a plan unit's name
		const free = spec.wards.filter(
			(w) =>
				g === 'preschool' ||
				g === 'primary' ||
				!planNameSet.has(`${GROUP_PREFIX[g]} ${stemOf(w, g)}`)
		);
		const order = shuffled(free.length > 0 ? free : spec.wards, rngFor(`wards:${d.id}:${g}`));
		const pick = rngFor(`names:${d.id}:${g}`);
		for (let i = 0; i < n; i++) {
			const ward = order.reduce(
				(best, w) => ((use.get(w) ?? 0) < (use.get(best) ?? 0) ? w : best),
				order[0]
			);
			use.set(ward, (use.get(ward) ?? 0) + 1);
			let name = `${GROUP_PREFIX[g]} ${stemOf(ward, g)}`;
			if (g === 'preschool' && pick() < (d.kind === 'urban' ? 0.5 : 0.2)) {
				const flower = flowerOrder.reduce(
					(best, f) => ((flowerUse.get(f) ?? 0) < (flowerUse.get(best) ?? 0) ? f : best),
					flowerOrder[0]
				);
				flowerUse.set(flower, (flowerUse.get(flower) ?? 0) + 1);
				name = `${GROUP_PREFIX[g]} ${flower}`;
			}
			synthetic.push({ district: d.id, group: g, ward, name });
		}
	}
	const wardIndex = (w: string) => spec.wards.indexOf(w);
	synthetic.sort(
		(a, b) =>
			GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
			wardIndex(a.ward) - wardIndex(b.ward) ||
			a.name.localeCompare(b.name, 'vi')
	);
	const code = districtArea.get(d.id)?.code ?? fail(`no area for ${d.id}`);
	[...planDrafts, ...synthetic].forEach((x, i) => {
		x.school_id = `ct-${code}-${String(i + 1).padStart(3, '0')}`;
		drafts.push(x);
	});
}
if (drafts.length !== TOTAL_SCHOOLS)
	fail(`${drafts.length} schools, expected ${TOTAL_SCHOOLS}: fix the district mixes`);
drafts.sort((a, b) => (a.school_id ?? '').localeCompare(b.school_id ?? ''));

// Number synthetic names city-wide when a base repeats or collides with a plan name ("… 1", "… 2"),
// skipping numbers the plan already uses ("Trường Tiểu học Lê Bình 1" → the synthetic one is "… 2").
{
	const planNames = new Set(drafts.filter((x) => x.plan).map((x) => x.name));
	const byBase = new Map<string, Draft[]>();
	for (const x of drafts) if (!x.plan) byBase.set(x.name, [...(byBase.get(x.name) ?? []), x]);
	for (const [base, list] of byBase) {
		const taken = new Set<number>();
		for (const n of planNames) {
			if (n === base) taken.add(1);
			const m = n.startsWith(`${base} `) ? /^(\d+)$/.exec(n.slice(base.length + 1)) : null;
			if (m) taken.add(Number(m[1]));
		}
		if (list.length === 1 && taken.size === 0) continue;
		let k = 1;
		for (const x of list) {
			while (taken.has(k)) k++;
			x.name = `${base} ${k}`;
			taken.add(k);
		}
	}
	const seen = new Set<string>();
	for (const x of drafts) {
		if (seen.has(x.name)) fail(`duplicate school name ${x.name}`);
		seen.add(x.name);
	}
}

// ---------------------------------------------------------------------------------------------
// numbers

const ENROLMENT: Record<Group, [number, number]> = {
	preschool: [150, 450],
	primary: [400, 1400],
	th_thcs: [450, 1300],
	lower: [500, 1600],
	thcs_thpt: [700, 1800],
	upper: [700, 2000]
};
const ELIBRARY_SHARE: Record<Group, number> = {
	preschool: 0.15,
	primary: 0.42,
	th_thcs: 0.45,
	lower: 0.5,
	thcs_thpt: 0.5,
	upper: 0.6
};

interface Built {
	draft: Draft;
	urban: boolean;
	enrolment: number;
	classrooms: number;
	multimedia_rooms: number;
	smart_rooms: number;
	elibrary: boolean;
	elibrary_year: number | null;
	multimedia_year: number | null;
	smart_year: number | null;
	pcs: number;
}

const built: Built[] = drafts.map((draft) => {
	const rng = rngFor(`numbers:${draft.school_id}`);
	const urban = planDistricts.get(draft.district)?.kind === 'urban';
	const [lo, hi] = ENROLMENT[draft.group];
	const u = rng();
	const enrolment = Math.round(lo + (hi - lo) * (urban ? 0.3 + 0.7 * u : 0.75 * u));
	const classrooms = Math.max(6, Math.round(enrolment / (draft.group === 'preschool' ? 25 : 35)));
	let elibrary = false;
	let elibrary_year: number | null = null;
	const e = rng();
	const ey = rng();
	if (draft.plan) {
		elibrary = true;
		elibrary_year = draft.plan.elibrary_year;
	} else if (e < ELIBRARY_SHARE[draft.group]) {
		elibrary = true;
		elibrary_year = 2021 + Math.floor(ey * 5);
	}
	// a few preschools got one multimedia room outside the plan
	let multimedia_rooms = 0;
	let multimedia_year: number | null = null;
	const m = rng();
	if (draft.group === 'preschool' && m < (urban ? 0.12 : 0.04)) {
		multimedia_rooms = 1;
		multimedia_year = m < 0.04 ? 2022 : 2024;
	}
	const pcs = Math.floor(rng() * (draft.group === 'preschool' ? 3 : 7));
	return {
		draft,
		urban,
		enrolment,
		classrooms,
		multimedia_rooms,
		smart_rooms: 0,
		elibrary,
		elibrary_year,
		multimedia_year,
		smart_year: null,
		pcs
	};
});

/** Plan-83 roll-out: per year, its districts, and per level category how many schools get how many rooms. */
function rollOut(rows: RollOut[], kind: 'multimedia' | 'smart'): void {
	for (const row of rows) {
		for (const cat of Object.keys(row.schools) as Category[]) {
			const eligible = built.filter(
				(b) =>
					row.districts.includes(b.draft.district) &&
					GROUP_CATEGORY[b.draft.group] === cat &&
					(kind === 'multimedia' || b.multimedia_year === row.year)
			);
			const rng = rngFor(`${kind}:${row.year}:${cat}`);
			const planFirst = [
				...eligible.filter((b) => b.draft.plan),
				...shuffled(
					eligible.filter((b) => !b.draft.plan),
					rng
				)
			];
			for (const b of planFirst.slice(0, row.schools[cat])) {
				if (kind === 'multimedia') {
					b.multimedia_rooms = row.rooms_per_school[cat];
					b.multimedia_year = row.year;
				} else {
					b.smart_rooms = row.rooms_per_school[cat];
					b.smart_year = row.year;
				}
			}
			if (eligible.length < row.schools[cat])
				console.warn(
					`${kind} ${row.year} ${cat}: plan says ${row.schools[cat]} schools, the seed has ${eligible.length} eligible (all equipped)`
				);
		}
	}
}
rollOut(plan.multimedia_classrooms, 'multimedia');
rollOut(plan.smart_interactive_classrooms, 'smart');

// ---------------------------------------------------------------------------------------------
// positions

const MIN_SEPARATION = 0.0008; // degrees, ~90 m
const placed: [number, number][] = [];

function place(b: Built): [number, number] {
	const area = districtArea.get(b.draft.district) ?? fail(`no area ${b.draft.district}`);
	const geom = area.geometry;
	const [minLon, minLat, maxLon, maxLat] = bbox(geom);
	const spec = DISTRICTS[b.draft.district];
	const centre = pointInGeometry(spec.centre[0], spec.centre[1], geom)
		? spec.centre
		: centroid(geom);
	const rng = rngFor(`position:${b.draft.school_id}`);
	const clustered = rng() < (b.urban ? 0.65 : 0.3);
	const sx = (maxLon - minLon) * (b.urban ? 0.2 : 0.12);
	const sy = (maxLat - minLat) * (b.urban ? 0.2 : 0.12);
	for (let attempt = 0; attempt < 20_000; attempt++) {
		const lon = round5(
			clustered && attempt < 2000
				? centre[0] + gaussian(rng) * sx
				: minLon + rng() * (maxLon - minLon)
		);
		const lat = round5(
			clustered && attempt < 2000
				? centre[1] + gaussian(rng) * sy
				: minLat + rng() * (maxLat - minLat)
		);
		if (!pointInGeometry(lon, lat, geom)) continue;
		if (!pointInGeometry(lon, lat, cityGeometry)) continue;
		if (
			placed.some(
				([x, y]) => Math.abs(x - lon) < MIN_SEPARATION && Math.abs(y - lat) < MIN_SEPARATION
			)
		)
			continue;
		placed.push([lon, lat]);
		return [lon, lat];
	}
	return fail(`could not place ${b.draft.school_id}`);
}

// ---------------------------------------------------------------------------------------------
// assemble, validate, write

const schools: School[] = built.map((b) => {
	const [lon, lat] = place(b);
	const devices = Math.max(1, b.multimedia_rooms + b.smart_rooms + (b.elibrary ? 1 : 0) + b.pcs);
	const input = {
		school_id: b.draft.school_id,
		name: b.draft.name,
		area_id: b.draft.district,
		ward: b.draft.ward,
		levels: GROUP_LEVELS[b.draft.group],
		lat,
		lon,
		enrolment: b.enrolment,
		classrooms: b.classrooms,
		multimedia_rooms: b.multimedia_rooms,
		smart_rooms: b.smart_rooms,
		devices,
		elibrary: b.elibrary,
		elibrary_year: b.elibrary_year,
		multimedia_year: b.multimedia_year,
		smart_year: b.smart_year,
		plan83: Boolean(b.draft.plan),
		synthetic: !b.draft.plan
	};
	const r = schoolSchema.safeParse(input);
	if (!r.success) fail(`${b.draft.school_id} invalid: ${r.error.message}`);
	return r.data;
});

for (const a of areas) {
	const r = areaSchema.safeParse(a);
	if (!r.success) fail(`area ${a.area_id} invalid: ${r.error.message}`);
}
if (new Set(schools.map((s) => s.school_id)).size !== schools.length) fail('duplicate school_id');
if (new Set(schools.map((s) => `${s.lat},${s.lon}`)).size !== schools.length)
	fail('two schools at the same point');
const plan83 = schools.filter((s) => s.plan83).length;
if (plan83 !== planUnits.length) fail(`${plan83} plan units written, expected ${planUnits.length}`);

/** JSON with tabs, arrays of numbers/strings on one line (so coordinates stay one pair per line). */
function format(v: unknown, indent = ''): string {
	if (Array.isArray(v)) {
		if (v.length === 0) return '[]';
		if (v.every((x) => x === null || typeof x !== 'object'))
			return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
		const inner = indent + '\t';
		return `[\n${v.map((x) => inner + format(x, inner)).join(',\n')}\n${indent}]`;
	}
	if (v !== null && typeof v === 'object') {
		const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
		if (entries.length === 0) return '{}';
		const inner = indent + '\t';
		return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(',\n')}\n${indent}}`;
	}
	return JSON.stringify(v);
}

mkdirSync(SEED_DIR, { recursive: true });
writeFileSync(join(SEED_DIR, 'areas.json'), format(areas) + '\n');
writeFileSync(join(SEED_DIR, 'schools.json'), format(schools) + '\n');

// map layers for the app, unchanged, with their credits
const LAYERS = [
	'cantho_districts_2019-2025_wof.geojson',
	'cantho_city_outline_wof.geojson',
	'context_neighbour_districts_wof.geojson',
	'context_provinces_pre2025_wof.geojson',
	'rivers_naturalearth_10m.geojson',
	'places_naturalearth_10m.geojson'
];
mkdirSync(STATIC_GEO, { recursive: true });
// byte copies, written afresh so the copies are not read-only like the sources
for (const f of LAYERS) writeFileSync(join(STATIC_GEO, f), readFileSync(join(GEO, f)));
{
	const lines = readFileSync(join(GEO, 'README.md'), 'utf8').split('\n');
	const table = lines.filter((l) => l.startsWith('|'));
	if (table.length < 3) fail('no licence table in geo/README.md');
	const rows = table.slice(2).filter((l) => LAYERS.some((f) => l.includes(`\`${f}\``)));
	if (rows.length !== LAYERS.length)
		fail(`licence rows found for ${rows.length} of ${LAYERS.length} layers`);
	const md = [
		'# Map layers: sources and licences',
		'',
		'Copied unchanged from the project data set (`shared/data/geo/`) by `scripts/generate-registry.ts`. Show the credits below wherever these layers are drawn.',
		'',
		table[0],
		table[1],
		...rows,
		'',
		'Polygons are coarse (Ninh Kiều has 39 vertices) but tile the city cleanly. School positions drawn on these maps in the demo seed are synthetic.',
		''
	].join('\n');
	writeFileSync(join(STATIC_GEO, 'LICENCES.md'), md);
}

// summary
const byDistrict = new Map<string, number>();
const byGroup = new Map<Group, number>();
for (const b of built) {
	byDistrict.set(b.draft.district, (byDistrict.get(b.draft.district) ?? 0) + 1);
	byGroup.set(b.draft.group, (byGroup.get(b.draft.group) ?? 0) + 1);
}
console.log(
	`areas: ${areas.length}, schools: ${schools.length} (plan 83: ${plan83}, synthetic: ${schools.length - plan83})`
);
console.log('by district:', Object.fromEntries(byDistrict));
console.log('by group:', Object.fromEntries(byGroup));
console.log(
	`e-library: ${schools.filter((s) => s.elibrary).length}, multimedia rooms: ${schools.reduce((n, s) => n + s.multimedia_rooms, 0)}, smart rooms: ${schools.reduce((n, s) => n + s.smart_rooms, 0)}, devices: ${schools.reduce((n, s) => n + s.devices, 0)}`
);
