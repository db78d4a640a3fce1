/**
 * The embedded default registry (Cần Thơ, 9 districts, ~467 schools; see seed/README.md), or the
 * same city grown to `REGISTRY_SCHOOLS` schools (./scale.ts, docs/scale.md).
 */
import { areaSchema, schoolSchema, type Registry } from '../../../shared/registry';
import { rows, type CH } from '../clickhouse/client';
import { scaleRegistry, scaledSource } from './scale';
import seedAreas from './seed/areas.json' with { type: 'json' };
import seedSchools from './seed/schools.json' with { type: 'json' };
import { applyRegistry, countSchools } from './store';

export const SEED_SOURCE = 'seed:cantho-2019-2025';

let base: Registry | null = null;
const scaled = new Map<number, Registry>();

/**
 * The seed, validated with the same schemas as any import; with `schools` above the seed's size,
 * grown to that many (memoised: every caller in a process gets the same object).
 */
export function seedRegistry(schools?: number): Registry {
	base ??= {
		areas: (seedAreas as unknown[]).map((a) => areaSchema.parse(a)),
		schools: (seedSchools as unknown[]).map((s) => schoolSchema.parse(s))
	};
	if (!schools || schools <= base.schools.length) return base;
	let reg = scaled.get(schools);
	if (!reg) scaled.set(schools, (reg = scaleRegistry(base, schools)));
	return reg;
}

/** The source tag the seed of that size is written with. */
export function seedSource(schools?: number): string {
	return schools && schools > (seedSchools as unknown[]).length
		? scaledSource(SEED_SOURCE, schools)
		: SEED_SOURCE;
}

/**
 * Load the seed when the registry is empty, or when it holds a seed of another size (the
 * `REGISTRY_SCHOOLS` setting changed); an imported registry is never replaced. True when it did.
 */
export async function ensureSeeded(ch: CH, schools?: number): Promise<boolean> {
	const source = seedSource(schools);
	if ((await countSchools(ch)) > 0) {
		const last = await rows<{ source: string }>(
			ch,
			'SELECT source FROM registry_imports ORDER BY committed_at DESC LIMIT 1'
		);
		const current = last[0]?.source ?? '';
		if (!current.startsWith(SEED_SOURCE) || current === source) return false;
	}
	await applyRegistry(ch, seedRegistry(schools), { source, mode: 'replace' });
	return true;
}
