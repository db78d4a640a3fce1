// `npm start`: build once when build/ is missing or older than the sources, then serve.
// Binds 127.0.0.1 unless HOST is set (adapter-node alone would bind every interface).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(dir) {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

const built = 'build/handler.js';
const sources = Math.max(newest('src'), newest('ingest'), newest('static'), statSync('package.json').mtimeMs, statSync('svelte.config.js').mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
	console.log('building the app (first start or sources changed)…');
	execSync('npx vite build', { stdio: 'inherit' });
}
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
const origin = `http://${process.env.HOST === '127.0.0.1' ? 'localhost' : process.env.HOST}:${process.env.PORT}`;
console.log(`serving on ${origin}: the wall ${origin}/wall (kiosk tour: ${origin}/wall?rotate=city,ninh-kieu,cai-rang,binh-thuy,o-mon,thot-not,phong-dien,co-do,thoi-lai,vinh-thanh&dwell=30), status ${origin}/`);
await import(path.resolve('build/index.js'));
