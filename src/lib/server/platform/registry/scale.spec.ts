import { describe, expect, it } from 'vitest';
import { pointInGeometry, type GeometryLike } from '../../../shared/geo';
import { schoolSchema, type School } from '../../../shared/registry';
import { devicesOf } from '../../../shared/devices';
import { seedRegistry, seedSource, SEED_SOURCE } from './seed';
import { scaleRegistry } from './scale';

const base = seedRegistry();
const big = seedRegistry(5000);
const share = (xs: School[], f: (s: School) => boolean) => xs.filter(f).length / xs.length;

describe('the city at 5,000 schools', () => {
	it('keeps the seed as it is and adds generated schools with their own ids', () => {
		expect(big.schools).toHaveLength(5000);
		expect(big.schools.slice(0, base.schools.length)).toEqual(base.schools);
		const added = big.schools.slice(base.schools.length);
		expect(added.every((s) => /^gx-\d{3}-\d{4}$/.test(s.school_id))).toBe(true);
		expect(added.every((s) => s.synthetic && !s.plan83)).toBe(true);
		expect(new Set(big.schools.map((s) => s.school_id)).size).toBe(5000);
		expect(new Set(big.schools.map((s) => s.name)).size).toBe(5000);
		for (const s of added) schoolSchema.parse(s);
		expect(big.areas).toBe(base.areas);
	});

	it('is deterministic', () => {
		expect(scaleRegistry(base, 5000)).toEqual(big);
		expect(seedRegistry(5000)).toBe(big);
		expect(seedSource(5000)).toBe(`${SEED_SOURCE}:n5000`);
		expect(seedSource()).toBe(SEED_SOURCE);
	});

	it('has the seed’s distributions: levels, districts, devices, e-libraries', () => {
		const levelsOf = (s: School) => s.levels.join('+');
		for (const key of new Set(base.schools.map(levelsOf)))
			expect(share(big.schools, (s) => levelsOf(s) === key)).toBeCloseTo(
				share(base.schools, (s) => levelsOf(s) === key),
				2
			);
		for (const d of new Set(base.schools.map((s) => s.area_id)))
			expect(share(big.schools, (s) => s.area_id === d)).toBeCloseTo(
				share(base.schools, (s) => s.area_id === d),
				2
			);
		expect(share(big.schools, (s) => s.elibrary)).toBeCloseTo(
			share(base.schools, (s) => s.elibrary),
			2
		);
		const devices = big.schools.reduce((a, s) => a + devicesOf(s).length, 0);
		expect(devices).toBeGreaterThan(22_000);
		expect(devices).toBeLessThan(27_000);
		const perSchool = (xs: School[]) => xs.reduce((a, s) => a + s.devices, 0) / xs.length;
		expect(perSchool(big.schools) / perSchool(base.schools)).toBeGreaterThan(0.97);
		expect(perSchool(big.schools) / perSchool(base.schools)).toBeLessThan(1.03);
	});

	it('places every school inside its district', () => {
		const geom = new Map(big.areas.map((a) => [a.area_id, a.geometry as GeometryLike]));
		const outside = big.schools.filter((s) => !pointInGeometry(s.lon, s.lat, geom.get(s.area_id)!));
		expect(outside.map((s) => s.school_id)).toEqual([]);
	});

	it('is the seed alone at or below its size', () => {
		expect(seedRegistry(100)).toBe(base);
		expect(scaleRegistry(base, base.schools.length)).toBe(base);
	});
});
