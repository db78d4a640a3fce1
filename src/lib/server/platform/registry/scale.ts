/**
 * The city at N schools (`REGISTRY_SCHOOLS`, e.g. 5,000 ≈ 10× Cần Thơ): the seed's 467 schools,
 * kept as they are, plus generated ones with the seed's distributions. Every generated school is
 * a variant of a seed school taken in a seeded shuffled cycle, so levels, districts, enrolment,
 * rooms, devices per school and e-library share follow the seed's; its position is drawn near
 * its template's (so urban clustering is kept) and always inside the template's district shape.
 *
 * Generated ids are `gx-<district code>-<nnnn>` (never the real `ct-` form, so no generated
 * school can be mistaken for a real record) and every generated school is `synthetic`, never
 * `plan83`. Names follow the seed's pattern (level prefix + ward stem + number), unique.
 * Deterministic: a fixed mulberry32 seed, no clock; the same N gives the same registry.
 */
import { bbox, pointInGeometry, type GeometryLike } from '../../../shared/geo';
import { fnv1a } from '../../../shared/hash';
import type { Area, Registry, School, SchoolLevel } from '../../../shared/registry';

const SCALE_SEED = 83_5000;
/** ~45 m: generated points keep at least this far (per axis) from every other point */
const MIN_SEPARATION = 0.0004;

type Rng = () => number;
function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rngFor = (key: string): Rng => mulberry32(fnv1a(`${SCALE_SEED}:${key}`));
function gaussian(rng: Rng): number {
	const u = 1 - rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

const PREFIX: Record<string, string> = {
	preschool: 'Trường Mầm non',
	primary: 'Trường Tiểu học',
	'lower_secondary+primary': 'Trường TH&THCS',
	lower_secondary: 'Trường THCS',
	'lower_secondary+upper_secondary': 'Trường THCS&THPT',
	upper_secondary: 'Trường THPT'
};
const prefixOf = (levels: readonly SchoolLevel[]) =>
	PREFIX[[...levels].sort().join('+')] ?? 'Trường Phổ thông';
const stemOf = (ward: string) => ward.replace(/^(Phường|Xã|Thị trấn) /, '').trim();

/** The source tag a seeded registry of `schools` schools is written with. */
export const scaledSource = (base: string, schools: number) => `${base}:n${schools}`;

/** A grid of placed points, for the minimum separation without a scan of every point. */
class Grid {
	private cells = new Map<string, [number, number][]>();
	private key = (x: number, y: number) =>
		`${Math.floor(x / MIN_SEPARATION)}|${Math.floor(y / MIN_SEPARATION)}`;
	add(x: number, y: number) {
		const k = this.key(x, y);
		const c = this.cells.get(k);
		if (c) c.push([x, y]);
		else this.cells.set(k, [[x, y]]);
	}
	near(x: number, y: number): boolean {
		const cx = Math.floor(x / MIN_SEPARATION);
		const cy = Math.floor(y / MIN_SEPARATION);
		for (let i = -1; i <= 1; i++)
			for (let j = -1; j <= 1; j++)
				for (const [px, py] of this.cells.get(`${cx + i}|${cy + j}`) ?? [])
					if (Math.abs(px - x) < MIN_SEPARATION && Math.abs(py - y) < MIN_SEPARATION) return true;
		return false;
	}
}

/**
 * The base registry grown to `total` schools (the base alone when `total` ≤ its size).
 * Areas are the base's, unchanged.
 */
export function scaleRegistry(base: Registry, total: number): Registry {
	if (total <= base.schools.length) return base;
	const areaById = new Map<string, Area>(base.areas.map((a) => [a.area_id, a]));
	const city = base.areas.find((a) => a.level === 'city')?.geometry as GeometryLike | undefined;
	const grid = new Grid();
	for (const s of base.schools) grid.add(s.lon, s.lat);
	const names = new Set(base.schools.map((s) => s.name));
	const nameCount = new Map<string, number>();
	const seqByCode = new Map<string, number>();

	const order = [...base.schools];
	const rng = rngFor('order');
	const out: School[] = [];
	const need = total - base.schools.length;
	for (let n = 0; n < need; n++) {
		if (n % order.length === 0) {
			// a new shuffled cycle through the seed: every seed school is a template once per cycle
			for (let i = order.length - 1; i > 0; i--) {
				const j = Math.floor(rng() * (i + 1));
				[order[i], order[j]] = [order[j], order[i]];
			}
		}
		const t = order[n % order.length];
		const area = areaById.get(t.area_id);
		const code = area?.code || t.area_id.slice(0, 8);
		const seq = (seqByCode.get(code) ?? 0) + 1;
		seqByCode.set(code, seq);
		const school_id = `gx-${code}-${String(seq).padStart(4, '0')}`;
		const r = rngFor(`school:${school_id}`);

		// position: near the template (its district's clustering), inside the district and the city
		const geom = area?.geometry as GeometryLike | null | undefined;
		let lon = t.lon;
		let lat = t.lat;
		if (geom) {
			const [minLon, minLat, maxLon, maxLat] = bbox(geom);
			const sx = (maxLon - minLon) * 0.08;
			const sy = (maxLat - minLat) * 0.08;
			for (let attempt = 0; attempt < 5000; attempt++) {
				const x = round5(
					attempt < 1000 ? t.lon + gaussian(r) * sx : minLon + r() * (maxLon - minLon)
				);
				const y = round5(
					attempt < 1000 ? t.lat + gaussian(r) * sy : minLat + r() * (maxLat - minLat)
				);
				if (!pointInGeometry(x, y, geom)) continue;
				if (city && !pointInGeometry(x, y, city)) continue;
				if (attempt < 4000 && grid.near(x, y)) continue;
				lon = x;
				lat = y;
				break;
			}
		}
		grid.add(lon, lat);

		// a plausible, unique name: the seed's pattern, numbered after the names already taken
		const stem = stemOf(t.ward) || area?.name || 'Cần Thơ';
		const prefix = prefixOf(t.levels);
		const key = `${prefix} ${stem}`;
		let k = nameCount.get(key) ?? 1;
		let name: string;
		do name = `${key} ${++k}`;
		while (names.has(name));
		nameCount.set(key, k);
		names.add(name);

		// sizes: the template's, ±15 %; rooms and devices follow the template's mix
		const f = 0.85 + r() * 0.3;
		const enrolment = Math.max(20, Math.round(t.enrolment * f));
		const classrooms = Math.max(1, Math.round(t.classrooms * f));
		const rooms = t.multimedia_rooms + t.smart_rooms;
		const keep = rooms <= classrooms ? 1 : classrooms / rooms;
		out.push({
			school_id,
			name,
			area_id: t.area_id,
			ward: t.ward,
			levels: [...t.levels],
			lat,
			lon,
			enrolment,
			classrooms,
			multimedia_rooms: Math.floor(t.multimedia_rooms * keep),
			smart_rooms: Math.floor(t.smart_rooms * keep),
			devices: t.devices,
			elibrary: t.elibrary,
			elibrary_year: t.elibrary_year,
			multimedia_year: t.multimedia_year,
			smart_year: t.smart_year,
			plan83: false,
			synthetic: true
		});
	}
	return { areas: base.areas, schools: [...base.schools, ...out] };
}
