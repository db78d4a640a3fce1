/** A real chDB in a temporary directory, migrated. One per test file: chDB binds one directory per process. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	closeClickHouse,
	connectClickHouse,
	rows,
	type CH
} from '#server/platform/clickhouse/client';
import { migrate } from '#server/platform/clickhouse/migrations';

export interface TempClickHouse {
	ch: CH;
	dataDir: string;
	count(table: string, where?: string, params?: Record<string, unknown>): Promise<number>;
	cleanup(): Promise<void>;
}

export async function tempDataDir(): Promise<string> {
	return mkdtemp(path.join(tmpdir(), 'edu-data-'));
}

/** Open chDB under `dataDir` (default: a new temporary one) and apply the migrations. */
export async function startClickHouse(
	dataDir?: string,
	opts: { migrate?: boolean } = {}
): Promise<TempClickHouse> {
	const dir = dataDir ?? (await tempDataDir());
	const ch = await connectClickHouse({
		user: 'default',
		password: '',
		database: 'edu',
		chdbPath: path.join(dir, 'clickhouse')
	});
	if (opts.migrate !== false) await migrate(ch);
	return {
		ch,
		dataDir: dir,
		async count(table, where = '1', params = {}) {
			const r = await rows<{ n: string }>(
				ch,
				`SELECT count() AS n FROM {t:Identifier} WHERE ${where}`,
				{ t: table, ...params }
			);
			return Number(r[0].n);
		},
		async cleanup() {
			// once no query runs in it: a process that exits under a running one crashes
			await closeClickHouse(ch);
			await rm(dir, { recursive: true, force: true });
		}
	};
}

/** Poll until `check` returns true (or throw with `what` after `timeoutMs`). */
export async function waitFor(
	what: string,
	check: () => boolean | Promise<boolean>,
	timeoutMs = 60_000,
	everyMs = 50
): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, everyMs));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/**
 * Wait (at most `maxMs`) until ClickHouse's background merges and mutations are done: a bench
 * step then does not run beside an earlier step's merges on two cores. Returns the ms waited.
 */
export async function settleMerges(ch: CH, maxMs = 120_000): Promise<number> {
	const t0 = Date.now();
	while (Date.now() - t0 < maxMs) {
		const busy = await rows<{ n: string }>(
			ch,
			`SELECT (SELECT count() FROM system.merges WHERE database = currentDatabase()) + (SELECT count() FROM system.mutations WHERE database = currentDatabase() AND NOT is_done) AS n`
		);
		if (Number(busy[0].n) === 0) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	return Date.now() - t0;
}
