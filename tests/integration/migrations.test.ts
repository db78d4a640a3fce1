import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '#server/platform/clickhouse/client';
import {
	DEFAULT_MIGRATIONS_DIR,
	migrate,
	MigrationError,
	readMigrations
} from '#server/platform/clickhouse/migrations';
import { startClickHouse, type TempClickHouse } from '#harness/chdb';

let db: TempClickHouse;
let scratch: string;

beforeAll(async () => {
	db = await startClickHouse(undefined, { migrate: false });
	scratch = await mkdtemp(path.join(tmpdir(), 'edu-mig-'));
});
afterAll(async () => {
	await db?.cleanup();
	await rm(scratch, { recursive: true, force: true });
});

describe('migrations', () => {
	it('the repository has unique, well-named migration numbers', async () => {
		const ms = await readMigrations();
		expect(ms.length).toBeGreaterThanOrEqual(7);
		expect(new Set(ms.map((m) => m.version)).size).toBe(ms.length);
	});

	it('a duplicate number fails', async () => {
		const dir = path.join(scratch, 'dup');
		await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
		await writeFile(path.join(dir, '0002_create_something_else.sql'), 'SELECT 1;\n');
		await expect(readMigrations(dir)).rejects.toThrow(/0002 is used twice/);
		await expect(migrate(db.ch, dir)).rejects.toBeInstanceOf(MigrationError);
		// and nothing was applied by the refused run
		const t = await rows<{ n: string }>(
			db.ch,
			"SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'attendance_raw'"
		);
		expect(Number(t[0].n)).toBe(0);
	});

	it('starting twice applies nothing twice', async () => {
		const all = await readMigrations();
		const first = await migrate(db.ch);
		expect(first).toEqual(all.map((m) => m.version));
		const second = await migrate(db.ch);
		expect(second).toEqual([]);
		const recorded = await rows<{ version: number }>(
			db.ch,
			'SELECT version FROM schema_migrations FINAL ORDER BY version'
		);
		expect(recorded.map((r) => Number(r.version))).toEqual(all.map((m) => m.version));
		const tables = await rows<{ name: string }>(
			db.ch,
			"SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%_raw' ORDER BY name"
		);
		expect(tables.map((t) => t.name)).toEqual([
			'attendance_raw',
			'completeness_raw',
			'device_raw',
			'library_raw'
		]);
	});

	it('an applied migration that was edited is refused', async () => {
		const dir = path.join(scratch, 'edited');
		await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
		await writeFile(
			path.join(dir, '0006_create_rejects.sql'),
			'CREATE TABLE IF NOT EXISTS rejects2 (x UInt8) ENGINE = Memory;\n'
		);
		await expect(migrate(db.ch, dir)).rejects.toThrow(/changed after it was applied/);
	});
});
