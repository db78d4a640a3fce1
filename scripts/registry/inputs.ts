/** Where the generator reads and writes, and the shapes of what it reads from ../shared/data. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchoolLevel } from '#shared/registry';
import type { AreaGeometry } from '#shared/geo';
import type { Category } from './groups';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA = resolve(ROOT, '../shared/data');
export const GEO = join(DATA, 'geo');
export const SEED_DIR = join(ROOT, 'src/lib/server/platform/registry/seed');
export const STATIC_GEO = join(ROOT, 'static/geo');

export interface PlanDistrict {
	id: string;
	name: string;
	kind: 'urban' | 'rural';
}
export interface PlanUnit {
	seq: number;
	name: string;
	ward: string;
	district_id: string;
	district: string;
	levels: SchoolLevel[];
	elibrary_year: number;
}
export interface RollOut {
	year: number;
	districts: string[];
	rooms_per_school: Record<Category, number>;
	schools: Record<Category, number>;
}
export interface Plan {
	districts: PlanDistrict[];
	elibrary_rollout: PlanUnit[];
	multimedia_classrooms: RollOut[];
	smart_interactive_classrooms: RollOut[];
}
export interface Feature {
	properties: Record<string, unknown>;
	geometry: AreaGeometry;
}

export interface Inputs {
	plan: Plan;
	districtFeatures: Feature[];
	cityFeatures: Feature[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** plan-83.json and the district and city shapes. */
export function readInputs(): Inputs {
	const plan = readJson<Plan>(join(DATA, 'plan-83.json'));
	const districtFeatures = readJson<{ features: Feature[] }>(
		join(GEO, 'cantho_districts_2019-2025_wof.geojson')
	).features;
	const cityFeatures = readJson<{ features: Feature[] }>(
		join(GEO, 'cantho_city_outline_wof.geojson')
	).features;
	return { plan, districtFeatures, cityFeatures };
}
