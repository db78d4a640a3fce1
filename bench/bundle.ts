/**
 * npm run bench:bundle — what each page's JavaScript is, from the client build (issue 17:
 * "measure what each kilobyte is first").
 *
 * Builds with BUNDLE_REPORT=1 (vite.config.ts then writes which modules each chunk holds), then
 * for every page what harness/client-bundle.ts counts (the budget test counts the same): the
 * scripts it loads, dynamic imports included, gzip-compressed one by one as a
 * server sends them. For the heaviest page, the packages its kilobytes come from (each chunk's
 * gzip size shared among its modules by their share of its bytes).
 * BUNDLE_SKIP_BUILD=1 reads the last build.
 * Last line: bundle wall_kb=<n> other_max_kb=<n> other_max=<route> pages=<n>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_OUT, clientBundle } from '#harness/client-bundle';

if (!process.env.BUNDLE_SKIP_BUILD)
	execFileSync('npx', ['vite', 'build'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, BUNDLE_REPORT: '1' }
	});
const modulesFile = path.join(CLIENT_OUT, 'client-modules.json');
if (!existsSync(modulesFile))
	throw new Error(
		`${modulesFile} is missing: build with BUNDLE_REPORT=1 (or drop BUNDLE_SKIP_BUILD)`
	);
const modules = JSON.parse(readFileSync(modulesFile, 'utf8')) as Record<
	string,
	{ module: string; bytes: number }[]
>;
const { pages, sizeOf } = clientBundle();

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
