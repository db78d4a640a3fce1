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
const sources = Math.max(
	newest('src'),
	newest('ingest'),
	newest('static'),
	statSync('package.json').mtimeMs,
	statSync('svelte.config.js').mtimeMs
);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
	console.log('building the app (first start or sources changed)…');
	execSync('npx vite build', { stdio: 'inherit' });
}
process.env.HOST ??= '127.0.0.1';
// every form of the app is small: a larger request body is refused with 413 before it is read
process.env.BODY_SIZE_LIMIT ??= '64K';
process.env.PORT ??= '3000';
const origin = `http://${process.env.HOST === '127.0.0.1' ? 'localhost' : process.env.HOST}:${process.env.PORT}`;
// adapter-node takes a request without ORIGIN for https, and SvelteKit refuses a sign-in form posted
// from another origin: on this machine the origin is the address printed below; on a server, set
// ORIGIN to the address people type (https://…), or PROTOCOL_HEADER/HOST_HEADER behind a proxy.
if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) {
	if (process.env.HOST === '127.0.0.1') process.env.ORIGIN = origin;
	else
		console.warn(
			`ORIGIN is not set: sign-in will be refused until it is the address people type (e.g. ORIGIN=https://edu.example.vn)`
		);
}
console.log(
	`serving on ${origin}: the wall ${origin}/wall (kiosk tour: ${origin}/wall?rotate=city,ninh-kieu,cai-rang,binh-thuy,o-mon,thot-not,phong-dien,co-do,thoi-lai,vinh-thanh&dwell=30), status ${origin}/`
);
await import(path.resolve('build/index.js'));
