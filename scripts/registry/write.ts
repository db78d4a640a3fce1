/** Writing: the seed JSON in the repository's layout, and the map layers with their credits. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Area, School } from '#shared/registry';
import { GEO, SEED_DIR, STATIC_GEO } from './inputs';
import { fail } from './random';

/** JSON with tabs, arrays of numbers/strings on one line (so coordinates stay one pair per line). */
export function format(v: unknown, indent = ''): string {
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

export function writeSeed(areas: Area[], schools: School[]): void {
	mkdirSync(SEED_DIR, { recursive: true });
	writeFileSync(join(SEED_DIR, 'areas.json'), format(areas) + '\n');
	writeFileSync(join(SEED_DIR, 'schools.json'), format(schools) + '\n');
}

// map layers for the app, unchanged, with their credits
const LAYERS = [
	'cantho_districts_2019-2025_wof.geojson',
	'cantho_city_outline_wof.geojson',
	'context_neighbour_districts_wof.geojson',
	'context_provinces_pre2025_wof.geojson',
	'rivers_naturalearth_10m.geojson',
	'places_naturalearth_10m.geojson'
];

export function copyLayers(): void {
	mkdirSync(STATIC_GEO, { recursive: true });
	// byte copies, written afresh so the copies are not read-only like the sources
	for (const f of LAYERS) writeFileSync(join(STATIC_GEO, f), readFileSync(join(GEO, f)));
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
