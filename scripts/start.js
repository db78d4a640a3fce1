// `npm start`: build once when build/ is missing or older than the sources, then serve.
// Binds 127.0.0.1 unless HOST is set (adapter-node alone would bind every interface).
// A taken port is one line and exit 1 before anything else runs (the app checks again before it
// opens chDB, for `node build`: src/compose/lifecycle.ts, which prints the same line).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

function newest(dir) {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

/** The error code of listening on host:port (null: free). */
function tryPort(host, port) {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', (e) => resolve(e.code ?? 'ERROR'));
		probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
	});
}

process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
const port = Number(process.env.PORT);
if (!/^\d+$/.test(process.env.PORT) || port < 1 || port > 65535) {
	console.error(`invalid configuration: PORT: a port number (1–65535), not "${process.env.PORT}"`);
	process.exit(1);
}
if (!process.env.SOCKET_PATH && !process.env.LISTEN_FDS) {
	const code = await tryPort(process.env.HOST, port);
	const line =
		code === 'EADDRINUSE'
			? `port ${port} is in use (another npm start?): set PORT or stop it`
			: code === 'EACCES'
				? `port ${port} needs privileges here: set PORT to 1024 or above`
				: code === 'EADDRNOTAVAIL'
					? `HOST ${process.env.HOST} is not an address of this machine: set HOST`
					: null;
	if (line) {
		console.error(line);
		process.exit(1);
	}
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
	try {
		execSync('npx vite build', { stdio: 'inherit' });
	} catch {
		console.error('the build failed (its errors are above): fix them and npm start again');
		process.exit(1);
	}
}
// every form of the app is small: a larger request body is refused with 413 before it is read
process.env.BODY_SIZE_LIMIT ??= '64K';
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
