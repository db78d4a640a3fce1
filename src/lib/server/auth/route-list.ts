/**
 * Every route of src/routes with the methods it answers, read from the files (pages answer GET,
 * form actions POST, +server.ts its exported methods). For the tests that hold every route to a
 * rule (routes.spec.ts, and the role × route matrix in the e2e suite); not used at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface RouteEntry {
	id: string;
	methods: string[];
}

export function listRoutes(dir = path.resolve('src/routes')): RouteEntry[] {
	const out = new Map<string, Set<string>>();
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				walk(p);
				continue;
			}
			const rel = path
				.relative(dir, d)
				.split(path.sep)
				.filter((s) => !/^\(.*\)$/.test(s));
			const id = '/' + rel.join('/');
			const add = (m: string) => out.set(id, (out.get(id) ?? new Set()).add(m));
			if (e.name === '+page.svelte') add('GET');
			if (e.name === '+page.server.ts' && /export const actions\b/.test(readFileSync(p, 'utf8')))
				add('POST');
			if (e.name === '+server.ts')
				for (const m of readFileSync(p, 'utf8').matchAll(
					/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g
				))
					add(m[1]);
		}
	};
	walk(dir);
	return [...out]
		.map(([id, m]) => ({ id, methods: [...m].sort() }))
		.sort((a, b) => a.id.localeCompare(b.id));
}
