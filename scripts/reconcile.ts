/**
 * npm run reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD [--repair] [--table <name>]… [--limit N] [--json]
 *
 * Compares every rollup with its raw table per school and bucket over those Vietnam days
 * (docs/reconcile.md), prints a line per table and the differing buckets (at most --limit, 50 by
 * default), and with --repair rebuilds them from the raw tables and compares again. The result
 * is stored: /api/health shows the last one. --json prints the whole result instead.
 *
 * Exit codes: 0 nothing differs (or all was repaired), 1 differences remain, 2 bad arguments,
 * 3 the data could not be opened (embedded chDB allows one process per data directory: while
 * `npm start` runs on DATA_DIR, stop it first).
 */
import { loadConfig } from '#server/platform/config';
import { setLogLevel } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';
import { RECONCILED_TABLES, reconcile } from '#server/platform/clickhouse/reconcile';
import { USAGE, parseReconcileArgs, report } from './reconcile-cli';

async function main(): Promise<number> {
	const a = parseReconcileArgs(process.argv.slice(2), RECONCILED_TABLES);
	if (!a.ok) {
		console.error(`${a.message}\n${USAGE}`);
		return 2;
	}
	setLogLevel('warn');
	const cfg = loadConfig();
	let storage;
	try {
		storage = await prepareStorage(cfg);
	} catch (e) {
		// chDB's error for a data directory another process holds (its stderr says "Cannot lock file")
		const inUse = (e as { code?: unknown }).code === 'CHDB_CONNECTION';
		console.error(
			inUse
				? `the embedded ClickHouse in ${cfg.dataDir} is in use (is npm start running?): stop it, then reconcile`
				: `cannot open the data: ${(e as Error).message}`
		);
		return 3;
	}
	const { ch } = storage;
	try {
		const r = await reconcile(ch, {
			from: a.value.from,
			to: a.value.to,
			repair: a.value.repair,
			tables: a.value.tables,
			record: 'command',
			onTable: (t) =>
				process.stderr.write(
					`${t.table}: ${t.differing} differing (${(t.ms / 1000).toFixed(1)} s)\n`
				)
		});
		console.log(a.value.json ? JSON.stringify(r, null, 2) : report(r, a.value.limit));
		return r.remaining > 0 ? 1 : 0;
	} finally {
		await ch.close();
	}
}

process.exit(await main());
