/** The embedded default registry (Cần Thơ, 9 districts, ~467 schools; see seed/README.md). */
import { areaSchema, schoolSchema, type Registry } from '../../../shared/registry';
import type { CH } from '../clickhouse/client';
import seedAreas from './seed/areas.json' with { type: 'json' };
import seedSchools from './seed/schools.json' with { type: 'json' };
import { applyRegistry, countSchools } from './store';

export const SEED_SOURCE = 'seed:cantho-2019-2025';

/** The seed, validated with the same schemas as any import. */
export function seedRegistry(): Registry {
	return {
		areas: (seedAreas as unknown[]).map((a) => areaSchema.parse(a)),
		schools: (seedSchools as unknown[]).map((s) => schoolSchema.parse(s))
	};
}

/** Load the seed when the registry is empty; returns true when it did. */
export async function ensureSeeded(ch: CH): Promise<boolean> {
	if ((await countSchools(ch)) > 0) return false;
	await applyRegistry(ch, seedRegistry(), { source: SEED_SOURCE, mode: 'replace' });
	return true;
}
