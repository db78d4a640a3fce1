/**
 * The cluster DDL generated from the repository's migrations: it parses (chDB's formatQuery),
 * every table is replicated with its engine's arguments kept, every statement goes ON CLUSTER,
 * the views read and write local tables, a Distributed table stands for each sharded table, and
 * with no cluster the migrations are exactly their files. One chDB in this file's process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeClickHouse, connectClickHouse, rows, type CH } from './client';
import {
	CLUSTER_SETTINGS,
	ClusterCatalog,
	ClusterDdlError,
	EVERYWHERE_TABLES,
	SCHEMA_MIGRATIONS_DDL,
	clusterStatement,
	migrationStatements,
	printDdl,
	schemaMigrationsStatements
} from './cluster-ddl';
import { migrate, readMigrations, splitStatements, type Migration } from './migrations';

const O = { cluster: 'edu_vn', database: 'edu' };
const ON = `ON CLUSTER 'edu_vn'`;
let migrations: Migration[];
/** every statement of the cluster DDL, schema_migrations first */
let ddl: string[];

/** The tables the migration files create, with their engine and its arguments, read independently. */
function createdTables(ms: Migration[]) {
	const out: { name: string; engine: string; args: string; as?: string }[] = [];
	for (const m of ms)
		for (const s of splitStatements(m.sql)) {
			const t = /^CREATE TABLE IF NOT EXISTS (\w+)(?: AS (\w+))?/.exec(s);
			if (!t) continue;
			const e = /ENGINE = (\w+)(?:\(([^)]*)\))?/.exec(s);
			if (!e) throw new Error(`no engine: ${s.slice(0, 60)}`);
			out.push({ name: t[1], as: t[2], engine: e[1], args: e[2] ?? '' });
		}
	return out;
}

let chdbDir: string;
let ch: CH;
beforeAll(async () => {
	migrations = await readMigrations();
	const by = migrationStatements(migrations, O);
	ddl = [...schemaMigrationsStatements(O), ...migrations.flatMap((m) => by.get(m.version)!)];
	chdbDir = await mkdtemp(path.join(tmpdir(), 'edu-cluster-ddl-'));
	ch = await connectClickHouse({
		user: 'default',
		password: '',
		database: 'edu',
		chdbPath: path.join(chdbDir, 'clickhouse')
	});
}, 60_000);
afterAll(async () => {
	if (ch) await closeClickHouse(ch);
	if (chdbDir) await rm(chdbDir, { recursive: true, force: true });
}, 60_000);

const formatted = async (q: string) =>
	(await rows<{ f: string }>(ch, 'SELECT formatQuery({q:String}) AS f', { q }))[0].f;

describe('with no cluster set', { timeout: 60_000 }, () => {
	it('every migration is its file, statement for statement, byte for byte', () => {
		const plain = migrationStatements(migrations);
		expect([...plain.keys()]).toEqual(migrations.map((m) => m.version));
		for (const m of migrations) {
			const stmts = plain.get(m.version)!;
			expect(stmts).toEqual(splitStatements(m.sql));
			for (const s of stmts) expect(m.sql).toContain(s);
			expect(stmts.join('\n')).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local\b/);
		}
		expect(schemaMigrationsStatements()).toEqual([SCHEMA_MIGRATIONS_DDL]);
		const printed = printDdl(migrations);
		for (const m of migrations) for (const s of splitStatements(m.sql)) expect(printed).toContain(`${s};`);
	});

	it('migrate() sends exactly the files’ statements; with a cluster, exactly the generated ones', async () => {
		const sent = async (cluster?: typeof O) => {
			const commands: string[] = [];
			const inserted: string[] = [];
			const fake = {
				command: async ({ query }: { query: string }) => void commands.push(query),
				query: async () => ({ json: async () => ({ meta: [], data: [] }) }),
				insert: async ({ table }: { table: string }) => void inserted.push(table)
			} as unknown as CH;
			await migrate(fake, undefined, { cluster });
			return { commands, inserted };
		};
		const single = await sent();
		expect(single.commands).toEqual([
			SCHEMA_MIGRATIONS_DDL,
			...migrations.flatMap((m) => splitStatements(m.sql))
		]);
		const cluster = await sent(O);
		expect(cluster.commands).toEqual(ddl);
		expect(cluster.inserted).toEqual(migrations.map(() => 'schema_migrations'));
	});
});

// chDB formats and runs ~130 statements: seconds, more on a busy machine
describe('the cluster DDL', { timeout: 60_000 }, () => {
	it('parses: chDB formats every statement (and refuses a broken one)', async () => {
		expect(ddl.length).toBeGreaterThanOrEqual(134);
		for (const s of ddl) {
			const f = await formatted(s);
			expect(f, s.slice(0, 80)).toMatch(/^(CREATE|ALTER|DROP|INSERT)/);
			if (!s.startsWith('INSERT')) expect(f, s.slice(0, 80)).toContain('ON CLUSTER edu_vn');
		}
		await expect(formatted(ddl[3].replace(/\)\s*ENGINE/, 'ENGINE'))).rejects.toThrow(/Syntax/i);
	});

	it('asks for session settings this ClickHouse knows', async () => {
		const set = Object.entries(CLUSTER_SETTINGS)
			.map(([k, v]) => `${k} = ${typeof v === 'string' ? `'${v}'` : v}`)
			.join(', ');
		expect(await rows(ch, `SELECT 1 AS one SETTINGS ${set}`)).toEqual([{ one: 1 }]);
		await expect(rows(ch, 'SELECT 1 SETTINGS distributed_foreground_insertt = 1')).rejects.toThrow();
	});

	it('sends every CREATE, ALTER and DROP ON CLUSTER; only backfills run once, unchanged', () => {
		for (const s of ddl) {
			if (s.startsWith('INSERT INTO ')) {
				expect(migrations.some((m) => m.sql.includes(s))).toBe(true);
				continue;
			}
			expect(s).toMatch(/^(CREATE|ALTER|DROP) /);
			expect(s.split('\n')[0]).toMatch(
				/^(CREATE (TABLE|MATERIALIZED VIEW|VIEW|DATABASE) IF NOT EXISTS|ALTER TABLE|DROP (TABLE|VIEW)( IF EXISTS)?) \w+ ON CLUSTER 'edu_vn'/
			);
		}
		// 0008's day_versions, 0010's device_unit_1d, 0013's copies of the old rollups (3 grains × 4
		// kinds) and of day_versions
		expect(ddl.filter((s) => s.startsWith('INSERT')).length).toBe(5 + 12 + 1);
	});

	it('replicates every MergeTree with its ZooKeeper path and its arguments kept', () => {
		const tables = createdTables(migrations);
		expect(tables.length).toBeGreaterThanOrEqual(24);
		expect(tables.map((t) => t.engine)).toEqual(
			expect.arrayContaining([
				'ReplacingMergeTree',
				'AggregatingMergeTree',
				'SummingMergeTree',
				'MergeTree'
			])
		);
		for (const t of tables) {
			const everywhere = EVERYWHERE_TABLES.has(t.name);
			const local = everywhere ? t.name : `${t.name}_local`;
			const zk = `/clickhouse/tables/${everywhere ? 'all' : '{shard}'}/{database}/${local}`;
			const args = [`'${zk}'`, `'{replica}'`, ...(t.args ? [t.args] : [])].join(', ');
			const create = ddl.filter((s) =>
				s.startsWith(`CREATE TABLE IF NOT EXISTS ${local} ${ON}`)
			);
			expect(create, t.name).toHaveLength(1);
			expect(create[0]).toContain(`ENGINE = Replicated${t.engine}(${args})`);
			if (t.as) expect(create[0]).toContain(` AS ${t.as}_local\n`);
		}
		// nothing else is a MergeTree, and nothing is left unreplicated
		const engines = ddl.flatMap((s) => [...s.matchAll(/ENGINE = (\w*MergeTree)\b/g)].map((m) => m[1]));
		expect(engines.length).toBe(tables.length + 1);
		expect(engines.filter((e) => !e.startsWith('Replicated'))).toEqual([]);
		// the ReplacingMergeTree's version column is still its version
		expect(ddl.join('\n')).toContain(
			`ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/device_raw_local', '{replica}', ingested_at)`
		);
		expect(ddl.join('\n')).toContain(
			`ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/schools', '{replica}', version)`
		);
	});

	it('keeps schema_migrations on every node', () => {
		expect(ddl[0]).toBe(`CREATE DATABASE IF NOT EXISTS edu ${ON}`);
		expect(ddl[1]).toMatch(
			/^CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER 'edu_vn'\n[\s\S]*ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/all\/\{database\}\/schema_migrations', '\{replica\}'\) ORDER BY version$/
		);
		expect(ddl.some((s) => /^CREATE TABLE IF NOT EXISTS schema_migrations\b.*Distributed/s.test(s))).toBe(false);
	});

	it('puts a Distributed table under each sharded table’s name, by school', () => {
		const sharded = createdTables(migrations).filter((t) => !EVERYWHERE_TABLES.has(t.name));
		const names = sharded.map((t) => t.name);
		for (const must of ['attendance_raw', 'device_raw', 'library_raw', 'completeness_raw', 'device_1m', 'completeness_1d', 'device_unit_1d', 'day_versions', 'day_version_bumps', 'attendance_rollup', 'rejects'])
			expect(names).toContain(must);
		for (const t of sharded) {
			const key = t.name.startsWith('day_version') ? 'cityHash64(kind, day)' : 'cityHash64(school_id)';
			expect(ddl, t.name).toContain(
				`CREATE TABLE IF NOT EXISTS ${t.name} ${ON} AS ${t.name}_local\nENGINE = Distributed('edu_vn', currentDatabase(), ${t.name}_local, ${key})`
			);
		}
		const distributed = ddl.filter((s) => s.includes('ENGINE = Distributed('));
		expect(distributed).toHaveLength(sharded.length);
		for (const t of EVERYWHERE_TABLES) expect(distributed.join('\n')).not.toContain(`${t}_local`);
	});

	it('has every materialized view read a local table and write to a local table', () => {
		const views = ddl.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'));
		const original = migrations.flatMap((m) =>
			splitStatements(m.sql).filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'))
		);
		expect(views).toHaveLength(original.length);
		expect(views.length).toBeGreaterThanOrEqual(17);
		const locals = new Set(
			ddl.flatMap((s) => /^CREATE TABLE IF NOT EXISTS (\w+_local) /.exec(s)?.[1] ?? [])
		);
		for (const v of views) {
			const target = /^CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ ON CLUSTER 'edu_vn' TO (\w+) AS\n/.exec(v);
			expect(target, v.slice(0, 80)).not.toBeNull();
			expect(locals).toContain(target![1]);
			const sources = [...v.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/g)].map((m) => m[1]);
			expect(sources.length).toBeGreaterThan(0);
			for (const s of sources) expect(locals).toContain(s);
		}
	});

	it('alters the local table, the Distributed one too for a column, with the replicated dedup window', () => {
		const alters = ddl.filter((s) => s.startsWith('ALTER TABLE'));
		const text = ddl.join('\n');
		expect(text).not.toContain('non_replicated_deduplication_window');
		expect(alters.filter((s) => s.includes('MODIFY SETTING replicated_deduplication_window'))).toHaveLength(18);
		for (const a of alters) {
			const [, table] = /^ALTER TABLE (\w+) /.exec(a)!;
			if (/ (ADD|DROP|MODIFY|RENAME) COLUMN /.test(a)) {
				if (!table.endsWith('_local')) expect(alters).toContain(a.replace(`ALTER TABLE ${table} `, `ALTER TABLE ${table}_local `));
			} else expect(table, a).toMatch(/_local$/);
		}
		expect(alters.filter((s) => / ADD COLUMN /.test(s) && !/^ALTER TABLE \w+_local /.test(s))).toHaveLength(8);
		expect(text).toContain(`ALTER TABLE attendance_1m_local ${ON} MATERIALIZE PROJECTION by_bucket SETTINGS mutations_sync = 2`);
	});

	it('drops both tables of a sharded table, and refuses what it does not understand', () => {
		const catalog = new ClusterCatalog();
		clusterStatement(`CREATE TABLE IF NOT EXISTS t (school_id String) ENGINE = MergeTree ORDER BY school_id`, catalog, O);
		expect(clusterStatement('DROP TABLE IF EXISTS t', catalog, O)).toEqual([
			`DROP TABLE IF EXISTS t ${ON} SYNC`,
			`DROP TABLE IF EXISTS t_local ${ON} SYNC`
		]);
		expect(clusterStatement('DROP VIEW IF EXISTS t_mv', catalog, O)).toEqual([`DROP VIEW IF EXISTS t_mv ${ON} SYNC`]);
		expect(() => clusterStatement('RENAME TABLE a TO b', catalog, O)).toThrow(ClusterDdlError);
		expect(() => clusterStatement('ALTER TABLE nowhere ADD COLUMN x UInt8', catalog, O)).toThrow(/nowhere/);
		expect(() =>
			clusterStatement(`CREATE TABLE IF NOT EXISTS k (kind String) ENGINE = MergeTree ORDER BY kind`, catalog, O)
		).toThrow(/no school_id and no sharding key/);
		clusterStatement(`CREATE TABLE IF NOT EXISTS u (school_id String, x UInt8) ENGINE = MergeTree ORDER BY school_id`, catalog, O);
		expect(() => clusterStatement('ALTER TABLE u ADD COLUMN y UInt8, MODIFY SETTING index_granularity = 1', catalog, O)).toThrow(/two statements/);
	});

	it('applies, without ZooKeeper, as a working local layer: an insert reaches every local rollup', async () => {
		// what one node runs, with the replication and the cluster taken out: chDB has neither
		const distributed = new Set(
			ddl.flatMap((s) => /^CREATE TABLE IF NOT EXISTS (\w+) .*\nENGINE = Distributed/s.exec(s)?.[1] ?? [])
		);
		const local = ddl
			// the plain views read the Distributed tables: not on a node alone
			.filter((s) => !/^(INSERT|CREATE DATABASE|CREATE VIEW)/.test(s))
			.filter((s) => !distributed.has(/^(?:CREATE TABLE IF NOT EXISTS|ALTER TABLE) (\w+)/.exec(s)?.[1] ?? ''))
			.map((s) =>
				s
					.replace(` ${ON}`, '')
					.replace(/Replicated(\w*MergeTree)\('[^']*', '\{replica\}'(?:, )?/, '$1(')
					.replace('replicated_deduplication_window', 'non_replicated_deduplication_window')
			);
		for (const s of local) await ch.command({ query: s });
		await ch.insert({
			table: 'attendance_raw_local',
			values: [
				{ event_id: 'e1', school_id: 's1', ts: '2026-12-04 01:00:00.000', class: '6A', grade: 6, session: 'morning', enrolled: 30, present: 28, absent_excused: 1, absent_unexcused: 1 },
				{ event_id: 'e2', school_id: 's2', ts: '2026-12-04 01:00:10.000', class: '7B', grade: 7, session: 'morning', enrolled: 20, present: 20, absent_excused: 0, absent_unexcused: 0 }
			],
			format: 'JSONEachRow'
		});
		const one = async (q: string) => (await rows<{ n: string }>(ch, q))[0].n;
		// each grain of the kind's rollup (migration 0013)
		for (const grain of [1, 2, 3])
			expect(await one(`SELECT toString(sum(present)) AS n FROM attendance_rollup_local WHERE grain = ${grain}`)).toBe('48');
		expect(await one('SELECT toString(sum(reports)) AS n FROM attendance_rollup_local WHERE grain = 3')).toBe('2');
		// day_versions' count: the city-wide grain
		expect(await one(`SELECT toString(sum(reports)) AS n FROM attendance_rollup_local WHERE grain = 4`)).toBe('2');
		const tables = await rows<{ name: string }>(ch, `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%\\_local' ORDER BY name`);
		// every sharded table a later migration did not drop (0013 drops the old rollups)
		const dropped = new Set(ddl.flatMap((s) => /^DROP TABLE (?:IF EXISTS )?(\w+)_local /.exec(s)?.[1] ?? []));
		expect(dropped.size).toBe(13);
		expect(tables.map((t) => t.name)).toEqual(
			[...distributed].filter((d) => !dropped.has(d)).map((d) => `${d}_local`).sort()
		);
	});
});
