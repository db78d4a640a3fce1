/**
 * A year of demo history in a chDB, for the benches that read one (bench:queries, bench:reports):
 * generated (bench/history) and merged as background merges would leave it, or reused from
 * BENCH_DIR when an earlier run of the same day and months left it there.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyRegistry } from '#server/platform/registry/store';
import { rows, type CH } from '#server/platform/clickhouse/client';
import { localDay } from '#shared/calendar';
import { formatDay } from '#shared/range';
import type { Registry } from '#shared/registry';
import { generateHistory } from './generate';

export interface Prepared {
	from: string;
	to: string;
	/** events generated per kind */
	rows: Record<string, number>;
}

/** The `months` up to today (Vietnam days) in `ch`, generated or reused from `keepDir`. */
export async function prepareHistory(
	ch: CH,
	reg: Registry,
	months: number,
	keepDir: string | undefined,
	say: (s: string) => void
): Promise<Prepared> {
	const today = localDay(Date.now());
	const from = formatDay(today - Math.round(months * 30.44));
	const to = formatDay(today);
	const marker = keepDir ? path.join(keepDir, 'history.json') : null;
	const kept =
		marker && existsSync(marker) ? (JSON.parse(await readFile(marker, 'utf8')) as Prepared) : null;
	if (kept && kept.from === from && kept.to === to) {
		say(`reusing ${from} … ${to} in ${keepDir}`);
		return kept;
	}
	// a kept directory from another day or span is emptied first: generating into it again would
	// hold every event twice
	if (kept) {
		const tables = await rows<{ name: string }>(
			ch,
			`SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View%' AND name != 'schema_migrations'`
		);
		for (const t of tables) await ch.command({ query: `TRUNCATE TABLE ${t.name}` });
		say(`emptied ${tables.length} tables of ${kept.from} … ${kept.to} in ${keepDir}`);
	}
	await applyRegistry(ch, reg, { source: 'bench', mode: 'replace' });
	say(`generating ${from} … ${to} for ${reg.schools.length} schools`);
	const gen = await generateHistory(ch, { from, to }, (s) => say(`  ${s}`));
	say(`generated in ${gen.seconds.toFixed(0)} s`);
	// a store that has been running merges its parts in the background; a bulk load leaves
	// many, and merging them (device_raw: 1.2 GB) would otherwise run beside the timed reads
	const t0 = performance.now();
	for (const k of ['attendance', 'device', 'library', 'completeness'])
		for (const g of ['raw', 'rollup']) await ch.command({ query: `OPTIMIZE TABLE ${k}_${g}` });
	for (const t of ['day_version_bumps', 'device_unit_1d'])
		await ch.command({ query: `OPTIMIZE TABLE ${t}` });
	say(`parts merged in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	const out = { from, to, rows: gen.rows };
	if (marker) await writeFile(marker, JSON.stringify(out));
	return out;
}
