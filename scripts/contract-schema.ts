/** Write the published contract (JSON Schema + examples) to static/contract/v1/. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contractFiles } from '#shared/contract-schema';

const dir = path.resolve('static/contract/v1');
await mkdir(dir, { recursive: true });
for (const [name, content] of Object.entries(contractFiles()))
	await writeFile(path.join(dir, name), content);
console.log(`wrote ${Object.keys(contractFiles()).length} files to ${dir}`);
