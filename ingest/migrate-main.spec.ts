/**
 * `npm run migrate -- --print [--cluster NAME]`: the whole DDL on stdout, nothing touched (no
 * ClickHouse is configured here: the print must not need one).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printDdl } from '#server/platform/clickhouse/cluster-ddl';
import { readMigrations } from '#server/platform/clickhouse/migrations';

const root = path.resolve(import.meta.dirname, '..');
const run = (...args: string[]) =>
	spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['ingest/migrate-main.ts', ...args], {
		cwd: root,
		encoding: 'utf8',
		// nothing of ClickHouse configured, and no data folder
		env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: '/nonexistent' },
		timeout: 60_000
	});

// each spawns tsx (1–3 s, more on a busy machine)
describe('npm run migrate -- --print', { timeout: 60_000 }, () => {
	it('prints the cluster DDL for --cluster, exactly what the generator makes', async () => {
		const r = run('--print', '--cluster', 'edu_vn');
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(r.stdout).toBe(printDdl(await readMigrations(), { cluster: 'edu_vn', database: 'edu' }));
		expect(r.stdout).toContain(`CREATE DATABASE IF NOT EXISTS edu ON CLUSTER 'edu_vn';`);
	});

	it('prints the migrations as they are without a cluster, and refuses a bad name', async () => {
		const plain = run('--print');
		expect(plain.status).toBe(0);
		expect(plain.stdout).toBe(printDdl(await readMigrations()));
		expect(plain.stdout).not.toContain('ON CLUSTER');
		const bad = run('--print', '--cluster', "x'; DROP");
		expect(bad.status).toBe(1);
		expect(bad.stdout).toBe('');
	});
});
