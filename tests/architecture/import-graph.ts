/**
 * The import graph of the repository and the rules it must keep, read from the table
 * "Allowed imports" in docs/architecture.md (the rules are written down there, once).
 * Used by imports.spec.ts; plain TypeScript (the compiler's own import scanner), no bundler.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Area {
	name: string;
	/** folders (ending in /) and files this area owns */
	paths: string[];
	mayImport: string[];
}

export interface Edge {
	from: string;
	line: number;
	spec: string;
	to: string;
}

export interface Violation {
	file: string;
	line: number;
	message: string;
}

/** The aliases of package.json "imports" and SvelteKit's $lib, as folder prefixes. */
export const ALIASES: Record<string, string> = {
	'$lib/': 'src/lib/',
	'#shared/': 'src/lib/shared/',
	'#server/': 'src/lib/server/',
	'#ingest/': 'ingest/',
	'#harness/': 'harness/'
};

/** Top-level trees: a relative import stays inside its own; between them, a # alias. */
export const topTree = (file: string) => (file.includes('/') ? file.split('/')[0] : '.');

/** Files SvelteKit (vite) alone runs: the only ones that may use $lib (tsx does not resolve it). */
export const isKitFile = (file: string) =>
	file.endsWith('.svelte') ||
	file.startsWith('src/routes/') ||
	file.startsWith('src/lib/components/') ||
	file.startsWith('src/compose/') ||
	/^src\/(hooks(\.server|\.client)?|app\.d)\.ts$/.test(file);

/** Parse the "Allowed imports" table: | area | `path/`, `file.ts` | a, b (or —) | */
export function parseRules(markdown: string): Area[] {
	const section = markdown.split(/^## /m).find((s) => s.startsWith('Allowed imports'));
	if (!section) throw new Error('docs/architecture.md has no "## Allowed imports" section');
	const areas: Area[] = [];
	for (const row of section.split('\n')) {
		const cells = row
			.split('|')
			.slice(1, -1)
			.map((c) => c.trim());
		if (cells.length !== 3 || !/^\*\*[\w-]+\*\*$/.test(cells[0])) continue;
		const paths = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
		const mayImport =
			cells[2] === '—'
				? []
				: cells[2]
						.replace(/\(.*?\)/g, '')
						.split(',')
						.map((s) => s.trim().replace(/\*/g, ''))
						.filter(Boolean);
		areas.push({ name: cells[0].replace(/\*/g, ''), paths, mayImport });
	}
	return areas;
}

/** The area owning a file: the longest matching path. */
export function areaOf(areas: readonly Area[], file: string): Area | null {
	let best: Area | null = null;
	let bestLen = -1;
	for (const a of areas)
		for (const p of a.paths)
			if ((p.endsWith('/') ? file.startsWith(p) : file === p) && p.length > bestLen) {
				best = a;
				bestLen = p.length;
			}
	return best;
}

const CODE = /\.(ts|js|svelte)$/;

/** Source files of the repository: tracked and new ones, not what .gitignore leaves out. */
export function sourceFiles(root: string): string[] {
	return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root })
		.toString()
		.split('\n')
		.filter((f) => CODE.test(f) && existsSync(path.join(root, f)));
}

/** The script of a Svelte file with its other lines blanked, so line numbers stay the file's. */
function scriptOf(text: string): string {
	let out = '';
	let last = 0;
	for (const m of text.matchAll(/(<script[^>]*>)([\s\S]*?)<\/script>/g)) {
		const start = m.index + m[1].length;
		out += text.slice(last, start).replace(/[^\n]/g, ' ') + m[2];
		last = start + m[2].length;
	}
	return out + text.slice(last).replace(/[^\n]/g, ' ');
}

/** Where an import specifier leads inside the repository, or null (a package, SvelteKit's $types). */
export function resolveSpec(from: string, spec: string, exists: (f: string) => boolean) {
	let base: string | null = null;
	for (const [alias, target] of Object.entries(ALIASES))
		if (spec.startsWith(alias)) base = target + spec.slice(alias.length);
	if (base === null && spec.startsWith('.'))
		base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
	if (base === null) return null;
	for (const c of [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`]) if (exists(c)) return c;
	return null;
}

/** Every import of every file that leads to another file of the repository. */
export function importEdges(root: string, files: readonly string[]): Edge[] {
	const exists = (f: string) => existsSync(path.join(root, f));
	const edges: Edge[] = [];
	for (const from of files) {
		const raw = readFileSync(path.join(root, from), 'utf8');
		const text = from.endsWith('.svelte') ? scriptOf(raw) : raw;
		for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
			const to = resolveSpec(from, imp.fileName, exists);
			if (!to) continue;
			const line = lineOf(text, imp.pos);
			edges.push({ from, line, spec: imp.fileName, to });
		}
	}
	return edges;
}

/** 1-based line of a position */
const lineOf = (text: string, pos: number) => text.slice(0, pos).split('\n').length;

const where = (e: Edge) => `${e.from}:${e.line}`;

/** Imports that break the table, or the way specifiers are written. */
export function checkEdges(
	areas: readonly Area[],
	files: readonly string[],
	edges: readonly Edge[]
) {
	const out: Violation[] = [];
	const byName = new Map(areas.map((a) => [a.name, a]));
	for (const a of areas)
		for (const b of a.mayImport)
			if (!byName.has(b))
				out.push({
					file: 'docs/architecture.md',
					line: 0,
					message: `area ${a.name} may import "${b}", which is no area`
				});
	for (const f of files)
		if (!areaOf(areas, f))
			out.push({
				file: f,
				line: 0,
				message: 'belongs to no area of docs/architecture.md ("Allowed imports")'
			});
	for (const e of edges) {
		const a = areaOf(areas, e.from);
		const b = areaOf(areas, e.to);
		if (a && b && a !== b && !a.mayImport.includes(b.name))
			out.push({
				file: e.from,
				line: e.line,
				message: `imports '${e.spec}' (${e.to}): ${a.name} may not import ${b.name}`
			});
		const relative = e.spec.startsWith('.');
		if (relative && topTree(e.from) !== topTree(e.to))
			out.push({
				file: e.from,
				line: e.line,
				message: `'${e.spec}' leaves ${topTree(e.from)}/ by a relative path: use its # alias`
			});
		if (e.spec.startsWith('#') && topTree(e.from) === topTree(e.to))
			out.push({
				file: e.from,
				line: e.line,
				message: `'${e.spec}' is an alias inside ${topTree(e.from)}/: use a relative path`
			});
		if (e.spec.startsWith('$lib') && !isKitFile(e.from))
			out.push({
				file: e.from,
				line: e.line,
				message: `'${e.spec}': $lib only in routes, components and src/compose (tsx does not resolve it)`
			});
	}
	return out;
}

/** Strongly connected components of more than one node (Tarjan). */
export function cycles(nodes: Iterable<string>, next: (n: string) => string[]): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const on = new Set<string>();
	const out: string[][] = [];
	let i = 0;
	const visit = (v: string) => {
		index.set(v, i);
		low.set(v, i++);
		stack.push(v);
		on.add(v);
		for (const w of next(v)) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const c: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				c.push(w);
			} while (w !== v);
			if (c.length > 1) out.push(c.reverse());
		}
	};
	for (const n of nodes) if (!index.has(n)) visit(n);
	return out;
}

/** Import cycles between files, each named by the imports that close it (file:line). */
export function fileCycles(edges: readonly Edge[]): Violation[] {
	const next = new Map<string, Edge[]>();
	for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e]);
	return cycles(next.keys(), (n) => (next.get(n) ?? []).map((e) => e.to)).map((c) => {
		const inCycle = new Set(c);
		const links = edges.filter((e) => inCycle.has(e.from) && inCycle.has(e.to));
		return {
			file: links[0].from,
			line: links[0].line,
			message: `import cycle: ${links.map((e) => `${where(e)} → ${e.to}`).join(', ')}`
		};
	});
}

/** Cycles in the table itself (an area that may, through others, import itself). */
export function areaCycles(areas: readonly Area[]): string[][] {
	const byName = new Map(areas.map((a) => [a.name, a]));
	return cycles(
		areas.map((a) => a.name),
		(n) => byName.get(n)?.mayImport ?? []
	);
}

export const formatViolations = (vs: readonly Violation[]) =>
	vs.map((v) => `${v.file}${v.line ? `:${v.line}` : ''}: ${v.message}`).join('\n');
