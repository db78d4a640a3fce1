/**
 * `npm run registry:import -- [--replace] FILE...`: load a real registry (UTF-8 CSV/JSON schools,
 * GeoJSON areas with boundaries). A file with a bad row is refused with its line numbers and
 * nothing is written. Without --replace schools and areas are added or changed; with it the
 * files become the whole registry (what they no longer list is retired).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '#server/platform/config';
import { ImportError, importRegistry } from '#server/platform/registry/import';
import { prepareStorage } from '#server/platform/storage';

const args = process.argv.slice(2);
const replace = args.includes('--replace');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
	console.error('usage: npm run registry:import -- [--replace] areas.geojson schools.csv …');
	process.exit(2);
}
const { ch } = await prepareStorage(loadConfig());
try {
	const inputs = await Promise.all(
		files.map(async (f) => ({ name: path.basename(f), text: await readFile(f, 'utf8') }))
	);
	const r = await importRegistry(ch, inputs, replace ? 'replace' : 'upsert');
	console.log(
		`imported ${r.areas} area(s) and ${r.schools} school(s)${r.retired ? `, retired ${r.retired}` : ''} (import ${r.importId})`
	);
	await ch.close();
} catch (e) {
	await ch.close();
	if (e instanceof ImportError) {
		console.error(e.message);
		process.exit(1);
	}
	throw e;
}
