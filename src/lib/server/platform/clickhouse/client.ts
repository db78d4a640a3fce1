/**
 * One ClickHouse client for both modes: chDB in-process (embedded) or a ClickHouse server
 * over HTTP. Same SQL, same schema, same @clickhouse/client API.
 */
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config';
import { CLUSTER_SETTINGS } from './cluster-ddl';
import { Lane } from './lane';

export type CH = ClickHouseClient;

/** The clients that run on chDB in this process (closing them has to wait for the engine). */
const embedded = new WeakSet<CH>();

const settings = {
	// chDB returns UInt64 as numbers, a server as strings: quote both the same way.
	output_format_json_quote_64bit_integers: 1,
	date_time_input_format: 'best_effort'
} as const;

/** Connect to ClickHouse (server when `url` is set, else chDB at `chdbPath`), creating the database. */
export async function connectClickHouse(cfg: Config['clickhouse']): Promise<CH> {
	if (cfg.url) {
		const bootstrap = createClient({ url: cfg.url, username: cfg.user, password: cfg.password });
		await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${cfg.database}` });
		await bootstrap.close();
		return createClient({
			url: cfg.url,
			username: cfg.user,
			password: cfg.password,
			database: cfg.database,
			clickhouse_settings: (cfg.cluster ? { ...settings, ...CLUSTER_SETTINGS } : settings) as never,
			request_timeout: 60_000
		});
	}
	// Loaded lazily: a server deployment never loads the 550 MB native engine.
	const { createChdbConnection } = await import('chdb/connection');
	// chDB ignores the client's `database` option; its data directory is the whole instance,
	// so the embedded mode uses `default` and CLICKHOUSE_DATABASE applies to servers only.
	const connection = createChdbConnection({ path: cfg.chdbPath });
	// The settings once for the session, not with every call: over chDB the client sends a
	// call's settings as `SET …;` statements before it (two more statements for every query).
	const ch = createClient({ connection: connection as never });
	await ch.command({ query: `SET ${settingAssignments(settings).join(', ')}` });
	embedded.add(ch);
	rawInserts.set(ch, (p) => connection.chdb.rawInsert(p));
	throughLane(ch);
	return ch;
}

interface RawInsert {
	table: string;
	values: Buffer;
	format: 'JSONEachRow';
	settings: Record<string, string | number>;
}

/** chDB's own insert of a body of bytes, for each embedded client (see `insertBody`). */
const rawInserts = new WeakMap<CH, (p: RawInsert) => Promise<unknown>>();

/**
 * Insert rows given as text (`JSONEachRow`, one per line) into `table`, with these settings for
 * this statement alone (in its text: never the session's). Over chDB the body goes to the engine
 * as bytes, through the lane: the client's `exec` would first join statement and body into one
 * string (a megabyte for a backlog's batch) and read the result back as a stream, ~3 ms an
 * insert. A server takes it as before.
 */
export async function insertBody(
	ch: CH,
	table: string,
	body: string,
	settings: Record<string, string | number>
): Promise<void> {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
	const raw = rawInserts.get(ch);
	if (raw) {
		const values = Buffer.from(body);
		await laneOf(ch)!.run(() => raw({ table, values, format: 'JSONEachRow', settings }));
		return;
	}
	const r = await ch.exec({
		query: `INSERT INTO ${table} ${settingsClause(settings)} FORMAT JSONEachRow`,
		values: Readable.from([body])
	});
	r.stream.resume();
}

/** A statement's own `SETTINGS …` clause (empty for none). */
export function settingsClause(settings: Record<string, string | number>): string {
	const text = settingAssignments(settings);
	return text.length ? `SETTINGS ${text.join(', ')}` : '';
}

/** `name = value` for each setting: names checked, strings quoted. */
function settingAssignments(settings: Record<string, string | number>): string[] {
	return Object.entries(settings).map(([k, v]) => {
		if (!/^[a-z_][a-z0-9_]*$/.test(k)) throw new Error(`not a setting name: ${k}`);
		return `${k} = ${typeof v === 'number' ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`}`;
	});
}

/** The lane of each embedded client (lane.ts). */
const lanes = new WeakMap<CH, Lane>();

/** An embedded client's lane (none for a server's client). */
export const laneOf = (ch: CH): Lane | undefined => lanes.get(ch);

/** Send every call of an embedded client through a lane of its own (lane.ts). */
function throughLane(ch: CH): void {
	const lane = new Lane();
	lanes.set(ch, lane);
	const methods = ch as unknown as Record<string, (p: unknown) => Promise<unknown>>;
	for (const m of ['query', 'exec', 'command', 'insert']) {
		const call = methods[m].bind(ch);
		methods[m] = (p) => lane.run(() => call(p));
	}
}

/**
 * Close a client. For chDB, also wait (at most `withinMs`) until no query or insert is still
 * running in the engine: a query cannot be interrupted, and a process that exits while one runs
 * tears the engine down under it (a crash at exit: SIGSEGV or SIGABRT). Resolves true when nothing
 * is left running, false when the wait ran out.
 */
export async function closeClickHouse(ch: CH, withinMs = 3000): Promise<boolean> {
	await ch.close();
	if (!embedded.has(ch)) return true;
	const { drainPending } = await import('chdb');
	let timer: NodeJS.Timeout | undefined;
	const out = new Promise<false>((r) => (timer = setTimeout(() => r(false), withinMs)));
	const done = await Promise.race([drainPending().then(() => true as const), out]);
	clearTimeout(timer);
	return done;
}

/**
 * Run a query and return its rows as objects. Read as one JSON document (`JSONCompact`: the
 * column names once, then arrays) and made into objects here: the client's `JSONEachRow` reader
 * parses each row on its own through a stream, about a third more CPU for the same rows.
 */
export async function rows<T>(ch: CH, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
	const { meta, data } = await readCompact<unknown[]>(ch, query, params);
	const names = meta.map((m) => m.name);
	const out = new Array<T>(data.length);
	for (let i = 0; i < data.length; i++) {
		const row = data[i];
		const o: Record<string, unknown> = {};
		for (let j = 0; j < names.length; j++) o[names[j]] = row[j];
		out[i] = o as T;
	}
	return out;
}

/**
 * Run a query and return its rows as arrays, in the SELECT's column order: no object per row,
 * for large reads (the day tables: ~5,000 rows a read at 10× the city).
 */
export async function compactRows<T extends unknown[]>(
	ch: CH,
	query: string,
	params: Record<string, unknown> = {}
): Promise<T[]> {
	return (await readCompact<T>(ch, query, params)).data;
}

/** A query's answer as one JSON document: its columns' names, then its rows as arrays. */
async function readCompact<T>(
	ch: CH,
	query: string,
	params: Record<string, unknown>
): Promise<{ meta: { name: string }[]; data: T[] }> {
	const r = await ch.query({ query, query_params: params, format: 'JSONCompact' });
	return (await r.json()) as { meta: { name: string }[]; data: T[] };
}

/** One `T` per ClickHouse client, made on first use: the caches that live as long as their client. */
export function perClient<T>(make: (ch: CH) => T): (ch: CH) => T {
	const made = new WeakMap<CH, T>();
	return (ch) => {
		let v = made.get(ch);
		if (v === undefined) made.set(ch, (v = make(ch)));
		return v;
	};
}
