/**
 * npm run bench:reports — the reports over a school year of history.
 *  1. The 12 months of demo history bench:queries reads (bench/history/prepare.ts: generated, or
 *     reused from BENCH_DIR), in a fresh chDB, and an empty store.
 *  2. The city's yearly Plan 83 report for the current year (1 January to today) and a district's
 *     report (Cờ Đỏ, the school year so far against the period before), each made whole —
 *     figures, document, DOCX and PDF — BENCH_RUNS times after one warm-up run.
 * Prints each run's seconds, then, last line, the medians, the plan report's pages and the
 * process's peak resident memory:
 *   reports plan_s=<n> district_s=<n> pages=<n> rss_mb=<n>
 * Targets (issue 15): plan_s ≤ 10, district_s ≤ 3 on the 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DayClock } from '#server/kpi/day-clock';
import { setLogLevel } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { seedRegistry } from '#server/platform/registry/seed';
import { makeReport } from '#server/reports/engine';
import { parseReportRequest } from '#server/reports/request';
import { openStore } from '#server/store/open';
import { CITY } from '#shared/scope';
import { startClickHouse } from '#harness/chdb';
import { prepareHistory } from './history/prepare';

setLogLevel('warn');
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const say = (s: string) => console.log(s);
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
};

const keepDir = process.env.BENCH_DIR;
if (keepDir) await mkdir(keepDir, { recursive: true });
const db = await startClickHouse(keepDir);
const storeDir = mkdtempSync(path.join(tmpdir(), 'edu-bench-reports-'));
const store = await openStore({ dataDir: storeDir });
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
try {
	const reg = seedRegistry();
	await prepareHistory(db.ch, reg, MONTHS, keepDir, say);
	const registry = new RegistryCache(db.ch);
	await registry.reload();
	const deps = { ch: db.ch, clock: new DayClock(0), store, registry: registry.registry };
	const now = Date.now();
	const spec = (q: string) => {
		const r = parseReportRequest(new URLSearchParams(q), {
			registry: registry.registry,
			now,
			shiftMs: 0,
			scope: CITY
		});
		if (!r.ok) throw new Error(`${r.key} ${JSON.stringify(r.params)}`);
		return r.value;
	};
	const year = new Date(now + 7 * 3_600_000).getUTCFullYear();
	const cases = [
		{ name: 'plan', spec: spec(`kind=plan83&year=${year}`) },
		{ name: 'district', spec: spec('kind=district&district=co-do&range=year') }
	];
	const seconds: Record<string, number[]> = {};
	let pages = 0;
	for (const c of cases) {
		say(
			`${c.name}: ${c.spec.schools.length} schools, ${c.spec.range.days} days (${c.spec.range.query.preset})`
		);
		seconds[c.name] = [];
		for (let i = 0; i <= RUNS; i++) {
			// each step's time, named when the next one starts
			const steps: [string, number][] = [];
			const t0 = performance.now();
			let last = t0;
			let current = 'start';
			const files = await makeReport(deps, c.spec, 'vi', now, (s) => {
				const t = performance.now();
				steps.push([current, t - last]);
				[current, last] = [s, t];
			});
			const s = (performance.now() - t0) / 1000;
			steps.push([current, performance.now() - last]);
			if (c.name === 'plan') pages = files.pages;
			say(
				`  ${i === 0 ? 'warm-up' : `run ${i}`}: ${s.toFixed(2)} s, ${files.pages} pages, pdf ${(files.pdf.length / 1024).toFixed(0)} kB, docx ${(files.docx.length / 1024).toFixed(0)} kB (${steps.map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')} ms)`
			);
			if (i > 0) seconds[c.name].push(s);
		}
	}
	peak = Math.max(peak, process.memoryUsage().rss);
	say(
		`reports plan_s=${median(seconds.plan).toFixed(2)} district_s=${median(seconds.district).toFixed(2)} pages=${pages} rss_mb=${Math.round(peak / 1048576)}`
	);
} finally {
	clearInterval(sample);
	await store.close();
	rmSync(storeDir, { recursive: true, force: true });
	if (keepDir) await db.ch.close();
	else await db.cleanup();
}
