/**
 * The import rules of docs/architecture.md hold for the whole repository: every file is in an
 * area, each import goes only where its area may go, no file imports itself through others,
 * and specifiers are written the one way (relative inside a tree, # aliases between trees).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	areaCycles,
	checkEdges,
	fileCycles,
	formatViolations,
	importEdges,
	parseRules,
	sourceFiles,
	type Edge
} from './import-graph';

const root = path.resolve(import.meta.dirname, '../..');
const rules = parseRules(readFileSync(path.join(root, 'docs/architecture.md'), 'utf8'));
const files = sourceFiles(root);
const edges = importEdges(root, files);

describe('the import rules (docs/architecture.md, "Allowed imports")', () => {
	it('are read from the page: each area with its folders', () => {
		const names = rules.map((a) => a.name);
		for (const n of ['shared', 'platform', 'kpi', 'ingest', 'compose', 'routes', 'harness'])
			expect(names).toContain(n);
		expect(rules.find((a) => a.name === 'shared')?.mayImport).toEqual([]);
		expect(rules.find((a) => a.name === 'ingest')?.paths).toEqual(['ingest/']);
	});

	it('form no cycle between areas', () => {
		expect(areaCycles(rules)).toEqual([]);
	});

	it('are kept by every import of the repository', () => {
		expect(files.length).toBeGreaterThan(200);
		expect(edges.length).toBeGreaterThan(500);
		expect(formatViolations(checkEdges(rules, files, edges))).toBe('');
	});

	it('leave no import cycle between files', () => {
		expect(formatViolations(fileCycles(edges))).toBe('');
	});

	it('let nothing but the framework entry import the composition root', () => {
		const into = edges.filter(
			(e) => e.to.startsWith('src/compose/') && !e.from.startsWith('src/compose/')
		);
		expect(into.map((e) => e.from)).toEqual(['src/hooks.server.ts']);
	});
});

describe('the checker', () => {
	// a small repository of its own, so each kind of mistake is shown to be caught
	const fake = parseRules(`## Allowed imports
| Area | Owns | May import |
| --- | --- | --- |
| **shared** | \`src/lib/shared/\` | — |
| **platform** | \`src/lib/server/platform/\` | shared |
| **live** | \`src/lib/server/live/\` | shared, platform |
| **ingest** | \`ingest/\` | shared, platform |
`);
	const fakeFiles = [
		'src/lib/shared/a.ts',
		'src/lib/server/platform/db.ts',
		'src/lib/server/live/hub.ts',
		'ingest/worker.ts',
		'ingest/x.ts'
	];
	const edge = (from: string, line: number, spec: string, to: string): Edge => ({
		from,
		line,
		spec,
		to
	});

	it('names the file and line of a wrong-way import', () => {
		const v = checkEdges(fake, fakeFiles, [
			edge('ingest/worker.ts', 7, '#server/live/hub', 'src/lib/server/live/hub.ts')
		]);
		expect(formatViolations(v)).toBe(
			"ingest/worker.ts:7: imports '#server/live/hub' (src/lib/server/live/hub.ts): ingest may not import live"
		);
	});

	it('refuses a relative path out of its tree, an alias inside it, and $lib outside SvelteKit', () => {
		const v = checkEdges(fake, fakeFiles, [
			edge('ingest/worker.ts', 3, '../src/lib/shared/a', 'src/lib/shared/a.ts'),
			edge('ingest/worker.ts', 4, '#ingest/x', 'ingest/x.ts'),
			edge('src/lib/server/platform/db.ts', 5, '$lib/shared/a', 'src/lib/shared/a.ts')
		]);
		expect(v.map((x) => `${x.file}:${x.line}`)).toEqual([
			'ingest/worker.ts:3',
			'ingest/worker.ts:4',
			'src/lib/server/platform/db.ts:5'
		]);
	});

	it('finds a file outside every area and an area the table does not name', () => {
		const bad = parseRules('## Allowed imports\n| **a** | `a/` | b |\n');
		const v = checkEdges(bad, ['a/x.ts', 'z/y.ts'], []);
		expect(v.map((x) => x.message)).toEqual([
			'area a may import "b", which is no area',
			'belongs to no area of docs/architecture.md ("Allowed imports")'
		]);
	});

	it('names the imports that close a cycle', () => {
		const v = fileCycles([
			edge('src/a.ts', 2, './b', 'src/b.ts'),
			edge('src/b.ts', 9, './a', 'src/a.ts'),
			edge('src/b.ts', 10, './c', 'src/c.ts')
		]);
		expect(formatViolations(v)).toBe(
			'src/a.ts:2: import cycle: src/a.ts:2 → src/b.ts, src/b.ts:9 → src/a.ts'
		);
	});

	it('finds a cycle in the table itself', () => {
		const t = parseRules('## Allowed imports\n| **a** | `a/` | b |\n| **b** | `b/` | a |\n');
		expect(areaCycles(t)).toEqual([['a', 'b']]);
	});
});
