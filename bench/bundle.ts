/**
 * npm run bench:bundle — what each page's JavaScript is, from the client build (issue 17:
 * "measure what each kilobyte is first").
 *
 * Builds with BUNDLE_REPORT=1 (vite.config.ts then writes which modules each chunk holds), then
 * for every page: the chunks it loads (SvelteKit's entry, the root layout, the page's node and
 * everything they import, dynamic imports included, since the pages start those at once, and the
 * scripts they reference as assets, such as a library's worker), gzip-compressed one by one as a
 * server sends them. For the heaviest page, the packages its kilobytes come from (each chunk's
 * gzip size shared among its modules by their share of its bytes).
 * BUNDLE_SKIP_BUILD=1 reads the last build.
 * Last line: bundle wall_kb=<n> other_max_kb=<n> other_max=<route> pages=<n>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestEntry {
	file: string;
	imports?: string[];
	dynamicImports?: string[];
	assets?: string[];
	css?: string[];
}

const OUT = '.svelte-kit/output';
if (!process.env.BUNDLE_SKIP_BUILD)
	execFileSync('npx', ['vite', 'build'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, BUNDLE_REPORT: '1' }
	});
const modulesFile = path.join(OUT, 'client-modules.json');
if (!existsSync(modulesFile))
	throw new Error(
		`${modulesFile} is missing: build with BUNDLE_REPORT=1 (or drop BUNDLE_SKIP_BUILD)`
	);
const manifest = JSON.parse(
	readFileSync(path.join(OUT, 'client/.vite/manifest.json'), 'utf8')
) as Record<string, ManifestEntry>;
const modules = JSON.parse(readFileSync(modulesFile, 'utf8')) as Record<
	string,
	{ module: string; bytes: number }[]
>;

const gz = new Map<string, { gzip: number; raw: number }>();
function sizeOf(file: string) {
	let s = gz.get(file);
	if (!s) {
		const body = readFileSync(path.join(OUT, 'client', file));
		s = { gzip: gzipSync(body).length, raw: body.length };
		gz.set(file, s);
	}
	return s;
}
const isScript = (f: string) => f.endsWith('.js') || f.endsWith('.mjs');

/**
 * every script a set of manifest entries loads; dynamic imports followed only when asked (the
 * client entry imports every page's node dynamically: those are other pages)
 */
function closure(keys: string[], dynamic: boolean, files = new Set<string>()): Set<string> {
	const seen = new Set<string>();
	const walk = (key: string) => {
		if (seen.has(key)) return;
		seen.add(key);
		const e = manifest[key];
		if (!e) return;
		files.add(e.file);
		for (const a of e.assets ?? []) if (isScript(a)) files.add(a);
		for (const k of [...(e.imports ?? []), ...(dynamic ? (e.dynamicImports ?? []) : [])]) walk(k);
	};
	keys.forEach(walk);
	return files;
}

// SvelteKit's generated nodes name their component: nodes/N.js → src/routes/…/+page.svelte
const nodeKeys = Object.keys(manifest).filter((k) => /client-optimized\/nodes\/\d+\.js$/.test(k));
const routeOf = (key: string): string | null => {
	const text = readFileSync(key, 'utf8');
	const m = /src\/routes(\/.*?)?\/\+(page|layout|error)\.svelte/.exec(text);
	if (!m || m[2] !== 'page') return null;
	return (m[1] ?? '').replace(/\/\([^)]+\)/g, '') || '/';
};
const entries = Object.keys(manifest).filter(
	(k) => k.endsWith('runtime/client/entry.js') || k.endsWith('client-optimized/app.js')
);
const rootLayout = nodeKeys.find((k) => k.endsWith('/nodes/0.js'))!;

const pages = nodeKeys
	.map((k) => ({ key: k, route: routeOf(k) }))
	.filter((p): p is { key: string; route: string } => p.route !== null)
	.map((p) => {
		const files = closure([rootLayout, p.key], true, closure(entries, false));
		const first = closure([rootLayout, p.key], false, closure(entries, false));
		const kbOf = (fs: Set<string>) => [...fs].reduce((n, f) => n + sizeOf(f).gzip, 0) / 1024;
		return { ...p, files, kb: kbOf(files), firstKb: kbOf(first) };
	})
	.sort((a, b) => b.kb - a.kb);

for (const p of pages)
	console.log(
		`${p.route.padEnd(24)} ${p.kb.toFixed(0).padStart(5)} kB gzip in ${String(p.files.size).padStart(2)} files; ${p.firstKb.toFixed(0).padStart(4)} kB without its dynamic imports`
	);

const wall = pages.find((p) => p.route === '/wall');
const heaviest = wall ?? pages[0];
const byPackage = new Map<string, number>();
for (const f of heaviest.files) {
	const { gzip } = sizeOf(f);
	const mods = modules[f] ?? [];
	const total = mods.reduce((n, m) => n + m.bytes, 0);
	if (total === 0) {
		byPackage.set(`(${path.basename(f)})`, (byPackage.get(`(${path.basename(f)})`) ?? 0) + gzip);
		continue;
	}
	for (const m of mods) {
		const pkg = m.module.startsWith('node_modules/')
			? m.module
					.split('/')
					.slice(1, m.module.split('/')[1].startsWith('@') ? 3 : 2)
					.join('/')
			: m.module.split('/').slice(0, 3).join('/');
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (gzip * m.bytes) / total);
	}
}
console.log(
	`\n${heaviest.route}: where its ${heaviest.kb.toFixed(0)} kB come from (gzip, estimated per package)`
);
for (const [pkg, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20))
	console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} kB  ${pkg}`);

const others = pages.filter((p) => p.route !== '/wall');
const otherMax = others[0];
console.log(
	`bundle wall_kb=${wall ? wall.kb.toFixed(0) : 'none'} other_max_kb=${otherMax.kb.toFixed(0)} other_max=${otherMax.route} pages=${pages.length}`
);
