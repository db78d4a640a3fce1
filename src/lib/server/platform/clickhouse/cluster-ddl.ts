/**
 * The migrations for a ClickHouse cluster, generated from the same files (docs/capacity.md, "The
 * cluster DDL"). With CLICKHOUSE_CLUSTER set (or `npm run migrate -- --cluster NAME --print`), each
 * statement of clickhouse/migrations/*.sql becomes its cluster form:
 *
 * - Every table is created `ON CLUSTER`, and every `*MergeTree` engine becomes its `Replicated*`
 *   twin with its arguments kept: `ReplacingMergeTree(version)` →
 *   `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/<table>', '{replica}', version)`.
 * - Sharded tables (every table with a school's rows, and day_versions) are created as
 *   `<name>_local` on every node, and a `Distributed` table under the original `<name>` spreads
 *   them over the shards by `cityHash64(school_id)`: a school's rows all live on one shard, so
 *   its raw rows, the rollups the views make of them, the ReplacingMergeTree's duplicates and an
 *   argMax's versions are all on one node and merge there; queries by school read one shard, and
 *   GROUP BY school_id, FINAL and joins on school_id are exact shard by shard. The app and ingest
 *   keep the names they use today (the Distributed ones); nothing else changes for them.
 * - Small tables every query needs whole (the registry, schema_migrations, ingest_status,
 *   reconciliations) are replicated to every node instead: one ZooKeeper path for the whole
 *   cluster (`/clickhouse/tables/all/{database}/<table>`, so `{replica}` must be unique across the
 *   cluster), no Distributed table, and a shard's `school_id IN (SELECT … FROM schools …)` reads
 *   its own copy.
 * - Materialized views are created `ON CLUSTER`, read the local raw table and write to the local
 *   rollup: each shard aggregates its own schools.
 * - `ALTER` goes `ON CLUSTER` to the local table (indexes, projections, settings, TTL) and, for
 *   a column change, to the Distributed table as well; `non_replicated_deduplication_window`
 *   (ingest's exactly-once, docs/ingest-exactness.md) becomes `replicated_deduplication_window`.
 *   `DROP` drops both.
 * - A plain view (`CREATE VIEW`: a grain of a kind's rollup table under its old name) is created
 *   `ON CLUSTER` over the Distributed table, so it reads every shard as the table's name does.
 * - `INSERT … SELECT` (backfills) run once, through the Distributed names, unchanged.
 *
 * Pure: statements in, statements out. A statement it does not understand is an error naming
 * the migration, so a new kind of migration cannot slip through untranslated.
 */
import { splitStatements, type Migration } from './migration-files';

export const LOCAL_SUFFIX = '_local';

/** The table migrate() keeps its record in; created before the migrations (also on a cluster). */
export const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations
			(version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC'))
			ENGINE = ReplacingMergeTree ORDER BY version`;

/** Tables replicated whole to every node (small, read whole or joined against). */
export const EVERYWHERE_TABLES: ReadonlySet<string> = new Set([
	'areas',
	'schools',
	'registry_imports',
	'schema_migrations',
	'ingest_status',
	'reconciliations'
]);

/** The sharding key of a sharded table with no school_id column. */
export const SHARDING_KEYS: Readonly<Record<string, string>> = {
	// written by every shard's views (each shard counts its own events); read only as sum(events)
	day_versions: 'cityHash64(kind, day)',
	// day_versions' successor table (migration 0013): versions written outside the views
	day_version_bumps: 'cityHash64(kind, day)'
};

export const SCHOOL_SHARDING_KEY = 'cityHash64(school_id)';

/** What a cluster's name may be (as CLICKHOUSE_CLUSTER checks it). */
export const CLUSTER_NAME_RE = /^[A-Za-z0-9_.-]+$/;

export interface ClusterOptions {
	/** the cluster's name in the servers' remote_servers */
	cluster: string;
	/** the database (CLICKHOUSE_DATABASE), created ON CLUSTER first */
	database?: string;
}

/**
 * The session settings of the app and ingest on a cluster (client.ts adds them when
 * CLICKHOUSE_CLUSTER is set): an insert through a Distributed table returns once its shards have
 * their parts (so ingest's ack after it, and each part's deduplication token, mean what they mean
 * on one server); IN and JOIN between two sharded tables run shard by shard, exact because every
 * such table is sharded by school; a query for some schools reads only their shards.
 */
export const CLUSTER_SETTINGS = {
	distributed_foreground_insert: 1,
	distributed_product_mode: 'local',
	optimize_skip_unused_shards: 1
} as const;

export class ClusterDdlError extends Error {
	override name = 'ClusterDdlError';
}

interface TableInfo {
	placement: 'sharded' | 'everywhere';
	/** the name of the table that holds the rows on each node */
	local: string;
	/** the Distributed table (sharded tables only) */
	distributed?: string;
	shardingKey?: string;
}

/** What the generator knows of the tables made so far (migrations are read in order). */
export class ClusterCatalog {
	readonly tables = new Map<string, TableInfo>();

	define(name: string, hasSchoolId: boolean): TableInfo {
		let info: TableInfo;
		if (EVERYWHERE_TABLES.has(name)) info = { placement: 'everywhere', local: name };
		else {
			const shardingKey = SHARDING_KEYS[name] ?? (hasSchoolId ? SCHOOL_SHARDING_KEY : undefined);
			if (!shardingKey)
				throw new ClusterDdlError(
					`table ${name} has no school_id and no sharding key: add it to SHARDING_KEYS or EVERYWHERE_TABLES (cluster-ddl.ts)`
				);
			info = { placement: 'sharded', local: name + LOCAL_SUFFIX, distributed: name, shardingKey };
		}
		this.tables.set(name, info);
		return info;
	}

	get(name: string, where: string): TableInfo {
		const info = this.tables.get(name);
		if (!info) throw new ClusterDdlError(`${where}: table ${name} is not created by an earlier migration`);
		return info;
	}

	/** the local name of a known table, the name itself otherwise (a system table, a function) */
	localName(name: string): string {
		return this.tables.get(name)?.local ?? name;
	}
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const onCluster = (o: ClusterOptions) => `ON CLUSTER ${quote(o.cluster)}`;

/** The ZooKeeper path of a table's replicas: per shard, or one for the whole cluster. */
export function zooKeeperPath(info: Pick<TableInfo, 'placement' | 'local'>): string {
	const shard = info.placement === 'sharded' ? '{shard}' : 'all';
	return `/clickhouse/tables/${shard}/{database}/${info.local}`;
}

/** The index just past the parenthesis that closes the one at `open` (quotes respected). */
function closing(s: string, open: number): number {
	let depth = 0;
	for (let i = open; i < s.length; i++) {
		const c = s[i];
		if (c === "'" || c === '`' || c === '"') {
			const end = s.indexOf(c, i + 1);
			if (end < 0) break;
			i = end;
		} else if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return i + 1;
	}
	throw new ClusterDdlError(`unbalanced parentheses in: ${s.slice(open, open + 80)}…`);
}

/** Split on commas outside parentheses and quotes. */
function topLevelCommas(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === "'" || c === '`' || c === '"') i = Math.max(i, s.indexOf(c, i + 1));
		else if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (c === ',' && depth === 0) {
			out.push(s.slice(start, i).trim());
			start = i + 1;
		}
	}
	out.push(s.slice(start).trim());
	return out;
}

const ENGINE_RE = /ENGINE\s*=\s*(\w*MergeTree)\b/;

/** `ENGINE = XMergeTree[(args)]` → `ENGINE = ReplicatedXMergeTree('<path>', '{replica}'[, args])`. */
function replicateEngine(rest: string, info: TableInfo, where: string): string {
	const m = ENGINE_RE.exec(rest);
	if (!m) throw new ClusterDdlError(`${where}: no MergeTree engine in: ${rest.slice(0, 80)}…`);
	const engine = m[1];
	if (engine.startsWith('Replicated'))
		throw new ClusterDdlError(`${where}: ${engine} is replicated already`);
	let end = m.index + m[0].length;
	let args = '';
	const after = /^\s*\(/.exec(rest.slice(end));
	if (after) {
		const open = end + after[0].length - 1;
		const close = closing(rest, open);
		args = rest.slice(open + 1, close - 1).trim();
		end = close;
	}
	const replicated = `ENGINE = Replicated${engine}(${[quote(zooKeeperPath(info)), quote('{replica}'), ...(args ? [args] : [])].join(', ')})`;
	return (rest.slice(0, m.index) + replicated + rest.slice(end)).replace(
		/\bnon_replicated_deduplication_window\b/g,
		'replicated_deduplication_window'
	);
}

function distributedDdl(info: TableInfo, o: ClusterOptions): string {
	return `CREATE TABLE IF NOT EXISTS ${info.distributed} ${onCluster(o)} AS ${info.local}
ENGINE = Distributed(${quote(o.cluster)}, currentDatabase(), ${info.local}, ${info.shardingKey})`;
}

const ident = '([A-Za-z_][A-Za-z0-9_]*)';
const CREATE_TABLE_RE = new RegExp(`^CREATE TABLE (IF NOT EXISTS )?${ident}\\s*([\\s\\S]*)$`);
const CREATE_AS_RE = new RegExp(`^AS ${ident}\\s+(ENGINE[\\s\\S]*)$`);
const CREATE_MV_RE = new RegExp(
	`^CREATE MATERIALIZED VIEW (IF NOT EXISTS )?${ident} TO ${ident} AS\\s+([\\s\\S]*)$`
);
const CREATE_VIEW_RE = new RegExp(`^CREATE VIEW (IF NOT EXISTS )?${ident} AS\\s+([\\s\\S]*)$`);
const ALTER_RE = new RegExp(`^ALTER TABLE ${ident}\\s+([\\s\\S]*)$`);
const DROP_RE = new RegExp(`^DROP (TABLE|VIEW) (IF EXISTS )?${ident}\\s*$`);
const INSERT_RE = /^INSERT INTO /;
const COLUMN_ACTION_RE = /^(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR) COLUMN\b/i;
const SETTINGS_TAIL_RE = /\s+(SETTINGS\s+[\s\S]*)$/;

/** A known table name after FROM / JOIN in a view's query → its local table. */
function localSources(select: string, catalog: ClusterCatalog): string {
	return select.replace(
		new RegExp(`\\b(FROM|JOIN)\\s+${ident}\\b`, 'g'),
		(_all, kw: string, name: string) => `${kw} ${catalog.localName(name)}`
	);
}

/** One statement of a migration in its cluster form (one or more statements). */
export function clusterStatement(
	stmt: string,
	catalog: ClusterCatalog,
	o: ClusterOptions,
	where = 'migration'
): string[] {
	const s = stmt.trim();

	const mv = CREATE_MV_RE.exec(s);
	if (mv) {
		const [, ifNot = '', name, target, select] = mv;
		const t = catalog.get(target, where);
		return [
			`CREATE MATERIALIZED VIEW ${ifNot}${name} ${onCluster(o)} TO ${t.local} AS\n${localSources(select, catalog)}`
		];
	}

	const view = CREATE_VIEW_RE.exec(s);
	if (view) {
		const [, ifNot = '', name, select] = view;
		return [`CREATE VIEW ${ifNot}${name} ${onCluster(o)} AS\n${select}`];
	}

	const ct = CREATE_TABLE_RE.exec(s);
	if (ct) {
		const [, ifNot = '', name, body] = ct;
		const as = CREATE_AS_RE.exec(body);
		let hasSchoolId: boolean;
		let local: (info: TableInfo) => string;
		if (as) {
			const source = catalog.get(as[1], where);
			hasSchoolId = source.shardingKey === SCHOOL_SHARDING_KEY;
			local = (info) =>
				`CREATE TABLE ${ifNot}${info.local} ${onCluster(o)} AS ${source.local}\n${replicateEngine(as[2], info, where)}`;
		} else {
			if (!body.startsWith('('))
				throw new ClusterDdlError(`${where}: CREATE TABLE ${name} not understood`);
			const close = closing(body, 0);
			hasSchoolId = /(^|[(,\s])school_id\s/.test(body.slice(0, close));
			local = (info) =>
				`CREATE TABLE ${ifNot}${info.local} ${onCluster(o)}\n${body.slice(0, close)}\n${replicateEngine(body.slice(close).trim(), info, where)}`;
		}
		const info = catalog.define(name, hasSchoolId);
		return info.placement === 'sharded' ? [local(info), distributedDdl(info, o)] : [local(info)];
	}

	const alter = ALTER_RE.exec(s);
	if (alter) {
		const [, name, rest] = alter;
		const info = catalog.get(name, where);
		const tail = SETTINGS_TAIL_RE.exec(rest);
		const actionsText = tail ? rest.slice(0, tail.index) : rest;
		const settings = tail ? ` ${tail[1]}` : '';
		const actions = topLevelCommas(actionsText).map((a) =>
			a.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window')
		);
		const columns = actions.filter((a) => COLUMN_ACTION_RE.test(a));
		if (columns.length > 0 && columns.length < actions.length)
			throw new ClusterDdlError(
				`${where}: ALTER TABLE ${name} mixes column and other changes: write them as two statements`
			);
		const out = [`ALTER TABLE ${info.local} ${onCluster(o)} ${actions.join(', ')}${settings}`];
		if (columns.length > 0 && info.distributed)
			out.push(`ALTER TABLE ${info.distributed} ${onCluster(o)} ${actions.join(', ')}${settings}`);
		return out;
	}

	const drop = DROP_RE.exec(s);
	if (drop) {
		const [, what, ifExists = '', name] = drop;
		if (what === 'VIEW') return [`DROP VIEW ${ifExists}${name} ${onCluster(o)} SYNC`];
		const info = catalog.get(name, where);
		catalog.tables.delete(name);
		const out = [];
		if (info.distributed) out.push(`DROP TABLE ${ifExists}${info.distributed} ${onCluster(o)} SYNC`);
		out.push(`DROP TABLE ${ifExists}${info.local} ${onCluster(o)} SYNC`);
		return out;
	}

	// a backfill: run once, reading and writing through the Distributed tables
	if (INSERT_RE.test(s)) return [s];

	throw new ClusterDdlError(`${where}: statement not understood for a cluster: ${s.slice(0, 80)}…`);
}

/** The statements that create schema_migrations, for a cluster or (no options) for one server. */
export function schemaMigrationsStatements(
	o?: ClusterOptions,
	catalog = new ClusterCatalog()
): string[] {
	if (!o) return [SCHEMA_MIGRATIONS_DDL];
	const out = o.database
		? [`CREATE DATABASE IF NOT EXISTS ${o.database} ${onCluster(o)}`]
		: [];
	return [...out, ...clusterStatement(SCHEMA_MIGRATIONS_DDL, catalog, o, 'schema_migrations')];
}

/**
 * Each migration's statements as migrate() runs them: split as they are (byte for byte) with no
 * cluster, in their cluster form with one. Every migration is translated, in order, also when
 * only the last ones are to be applied: a later ALTER needs to know where its table lives.
 */
export function migrationStatements(
	migrations: readonly Migration[],
	o?: ClusterOptions
): Map<number, string[]> {
	if (o && !CLUSTER_NAME_RE.test(o.cluster))
		throw new ClusterDdlError(`"${o.cluster}" is not a cluster name of remote_servers`);
	const out = new Map<number, string[]>();
	const catalog = new ClusterCatalog();
	if (o) schemaMigrationsStatements(o, catalog);
	for (const m of migrations) {
		const plain = splitStatements(m.sql);
		out.set(
			m.version,
			o
				? plain.flatMap((s) =>
						clusterStatement(s, catalog, o, `migration ${m.version} (${m.name})`)
					)
				: plain
		);
	}
	return out;
}

/** The whole DDL as one script: schema_migrations, then each migration under a comment. */
export function printDdl(migrations: readonly Migration[], o?: ClusterOptions): string {
	const by = migrationStatements(migrations, o);
	const head = o
		? `-- ClickHouse DDL for cluster '${o.cluster}', generated from clickhouse/migrations (npm run migrate -- --cluster ${o.cluster} --print)`
		: `-- ClickHouse DDL for one server, as in clickhouse/migrations (npm run migrate -- --print)`;
	const parts = [head, '', ...schemaMigrationsStatements(o).map((s) => `${s};`)];
	for (const m of migrations) {
		parts.push('', `-- ${String(m.version).padStart(4, '0')}_${m.name}.sql`);
		for (const s of by.get(m.version) ?? []) parts.push(`${s};`);
	}
	return parts.join('\n') + '\n';
}
