/**
 * What each page's client JavaScript weighs, read from the last client build
 * (`.svelte-kit/output/client` and its Vite manifest): the chunks a page loads (SvelteKit's
 * entry, the root layout, the page's node and everything they import, dynamic imports included,
 * since the pages start those at once, and the scripts they reference as assets, such as a
 * worker), gzip-compressed one by one as a server sends them. bench/bundle.ts prints it, the
 * budget test (tests/e2e/bundle-budget.spec.ts) holds the pages to JS_BUDGET_KB, and bench:wall
 * reports /wall's figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue 17: kB of gzip JavaScript (1 kB = 1,024 bytes) the wall, and every other page, may load. */
export const JS_BUDGET_KB = { wall: 600, other: 350 } as const;

export const CLIENT_OUT = '.svelte-kit/output';

interface ManifestEntry {
	file: string;
	imports?: string[];
	dynamicImports?: string[];
	assets?: string[];
}

export interface PageBundle {
	/** the route, groups left out: `/wall`, `/districts/[id]` */
	route: string;
	/** the manifest key of the page's node */
	key: string;
	/** every script it loads, dynamic imports included */
	files: Set<string>;
	/** their gzip size, kB */
	kb: number;
	/** without the dynamic imports: what the first load waits for, kB */
	firstKb: number;
}

export interface ClientBundle {
	/** heaviest first */
	pages: PageBundle[];
	/** a client file's size, gzip and raw bytes */
	sizeOf(file: string): { gzip: number; raw: number };
}

const isScript = (f: string) => f.endsWith('.js') || f.endsWith('.mjs');

/** The pages of the client build in `out` (run from the project's folder, after `vite build`). */
export function clientBundle(out = CLIENT_OUT): ClientBundle {
	const manifestFile = path.join(out, 'client/.vite/manifest.json');
	if (!existsSync(manifestFile))
		throw new Error(`${manifestFile} is missing: build the app first (vite build)`);
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestEntry>;

	const gz = new Map<string, { gzip: number; raw: number }>();
	function sizeOf(file: string) {
		let s = gz.get(file);
		if (!s) {
			const body = readFileSync(path.join(out, 'client', file));
			s = { gzip: gzipSync(body).length, raw: body.length };
			gz.set(file, s);
		}
		return s;
	}

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
	const rootLayout = nodeKeys.find((k) => k.endsWith('/nodes/0.js'));
	if (!rootLayout || entries.length === 0)
		throw new Error(`${manifestFile}: no SvelteKit entry or root layout in it`);
	const kbOf = (fs: Set<string>) => [...fs].reduce((n, f) => n + sizeOf(f).gzip, 0) / 1024;

	const pages = nodeKeys
		.map((k) => ({ key: k, route: routeOf(k) }))
		.filter((p): p is { key: string; route: string } => p.route !== null)
		.map((p) => {
			const files = closure([rootLayout, p.key], true, closure(entries, false));
			const first = closure([rootLayout, p.key], false, closure(entries, false));
			return { ...p, files, kb: kbOf(files), firstKb: kbOf(first) };
		})
		.sort((a, b) => b.kb - a.kb);
	return { pages, sizeOf };
}

/** The pages over their budget (/wall: JS_BUDGET_KB.wall, any other: JS_BUDGET_KB.other). */
export function overBudget(pages: PageBundle[]): { route: string; kb: number; budget: number }[] {
	return pages
		.map((p) => ({
			route: p.route,
			kb: p.kb,
			budget: p.route === '/wall' ? JS_BUDGET_KB.wall : JS_BUDGET_KB.other
		}))
		.filter((p) => p.kb > p.budget);
}
