/**
 * Exactness of the stored numbers against the events that were published (the crash matrix and
 * the NATS cluster test): every raw table holds each event once, and every rollup (1m/1h/1d per
 * kind, `device_unit_1d`, `day_versions`) equals, per school and bucket (and dataset or device),
 * both the sums computed again from its raw table and the sums computed from the events in the
 * test, without ClickHouse.
 */
import { rows, type CH } from '#server/platform/clickhouse/client';
import type { EduEventInput, TelemetryKind } from '#shared/contract';

const TELEMETRY: TelemetryKind[] = ['attendance', 'device', 'library', 'completeness'];

export interface ExactReport {
	/** per raw table: rows, distinct event ids, and the events of its kind that were published */
	raw: Record<TelemetryKind, { rows: number; ids: number; want: number }>;
	/** buckets where a rollup differs from its raw table or from the events (0: exact) */
	differences: number;
	byTable: Record<string, number>;
	/** buckets compared, every rollup and both sides */
	compared: number;
	/** the first differences, and the detached parts when there are any, for a failure's message */
	samples: string[];
}

/** Rollups and the raw expressions they must equal (sums and counts; per school and bucket). */
type Grain = 'minute' | 'hour' | 'day';
interface Check {
	table: string;
	raw: string;
	grain: Grain;
	/** extra key columns (same name in the rollup and the raw table) */
	keys?: string[];
	/** rollup column → [expression over the raw table, value of one published event] */
	sums: Record<string, Sum>;
}
const att =
	(f: 'enrolled' | 'present' | 'absent_excused' | 'absent_unexcused') => (e: EduEventInput) =>
		e.kind === 'attendance' ? e.payload[f] : 0;
const lib = (f: 'loans' | 'returns' | 'ebook_opens' | 'visits') => (e: EduEventInput) =>
	e.kind === 'library' ? e.payload[f] : 0;
const hb = (up: boolean) => (e: EduEventInput) =>
	e.kind === 'device' && e.payload.event === 'heartbeat' && (!up || e.payload.status === 'up')
		? 1
		: 0;
const hbSeconds = (up: boolean) => (e: EduEventInput) =>
	e.kind === 'device' ? hb(up)(e) * (e.payload.interval_s ?? 0) : 0;
const down = (e: EduEventInput) =>
	e.kind === 'device' && e.payload.event === 'change' && e.payload.status === 'down' ? 1 : 0;
const one = () => 1;
type Sum = [string, (e: EduEventInput) => number];
const sum = (sql: string, f: (e: EduEventInput) => number): Sum => [sql, f];
const GRAINS: Grain[] = ['minute', 'hour', 'day'];
const suffix = { minute: '1m', hour: '1h', day: '1d' } as const;

const CHECKS: Check[] = [
	...GRAINS.map((grain): Check => ({
		table: `attendance_${suffix[grain]}`,
		raw: 'attendance_raw',
		grain,
		sums: {
			reports: sum('count()', one),
			enrolled: sum('sum(enrolled)', att('enrolled')),
			present: sum('sum(present)', att('present')),
			absent_excused: sum('sum(absent_excused)', att('absent_excused')),
			absent_unexcused: sum('sum(absent_unexcused)', att('absent_unexcused'))
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `device_${suffix[grain]}`,
		raw: 'device_raw',
		grain,
		sums: {
			heartbeats: sum("countIf(event = 'heartbeat')", hb(false)),
			up_heartbeats: sum("countIf(event = 'heartbeat' AND status = 'up')", hb(true)),
			up_seconds: sum("sumIf(interval_s, event = 'heartbeat' AND status = 'up')", hbSeconds(true)),
			reported_seconds: sum("sumIf(interval_s, event = 'heartbeat')", hbSeconds(false)),
			went_down: sum("countIf(event = 'change' AND status = 'down')", down)
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `library_${suffix[grain]}`,
		raw: 'library_raw',
		grain,
		sums: {
			reports: sum('count()', one),
			loans: sum('sum(loans)', lib('loans')),
			returns: sum('sum(returns)', lib('returns')),
			ebook_opens: sum('sum(ebook_opens)', lib('ebook_opens')),
			visits: sum('sum(visits)', lib('visits'))
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `completeness_${suffix[grain]}`,
		raw: 'completeness_raw',
		grain,
		keys: ['dataset'],
		sums: { reports: sum('count()', one) }
	})),
	{
		table: 'device_unit_1d',
		raw: 'device_raw',
		grain: 'day',
		keys: ['device_id'],
		sums: {
			heartbeats: sum("countIf(event = 'heartbeat')", hb(false)),
			up_seconds: sum("sumIf(interval_s, event = 'heartbeat' AND status = 'up')", hbSeconds(true)),
			went_down: sum("countIf(event = 'change' AND status = 'down')", down)
		}
	}
];

const bucketSql = (g: Grain) =>
	g === 'day'
		? "toString(toDate(ts, 'Asia/Ho_Chi_Minh'))"
		: `toString(${g === 'minute' ? 'toStartOfMinute' : 'toStartOfHour'}(ts))`;
const bucketCol = (g: Grain) => (g === 'day' ? 'toString(day)' : 'toString(bucket)');
const bucketJs = (g: Grain, ts: string) => {
	const t = Date.parse(ts);
	if (g === 'day') return new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
	const s = new Date(
		Math.floor(t / (g === 'minute' ? 60_000 : 3600_000)) * (g === 'minute' ? 60_000 : 3600_000)
	).toISOString();
	return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
};
const keyOf = (e: EduEventInput, c: Check) =>
	[
		e.school_id,
		bucketJs(c.grain, e.ts),
		...(c.keys ?? []).map((k) => String((e.payload as Record<string, unknown>)[k]))
	].join('|');

async function grouped(ch: CH, sql: string, cols: string[]): Promise<Map<string, number[]>> {
	const r = await rows<Record<string, string>>(ch, sql);
	return new Map(r.map((x) => [x.k, cols.map((c) => Number(x[c]))]));
}

/** Compare every raw table and rollup with `published` (each event_id counted once). */
export async function exactAgainst(ch: CH, published: EduEventInput[]): Promise<ExactReport> {
	// the events as published, each event_id once
	const unique = new Map<string, EduEventInput>();
	for (const e of published) unique.set(e.event_id, e);
	const events = [...unique.values()];

	// raw tables: each event once
	const raw = {} as ExactReport['raw'];
	for (const kind of TELEMETRY) {
		const r = await rows<{ n: string; ids: string }>(
			ch,
			`SELECT count() AS n, uniqExact(event_id) AS ids FROM ${kind}_raw`
		);
		raw[kind] = {
			rows: Number(r[0].n),
			ids: Number(r[0].ids),
			want: events.filter((e) => e.kind === kind).length
		};
	}

	let differences = 0;
	let compared = 0;
	const byTable: Record<string, number> = {};
	const samples: string[] = [];
	for (const c of CHECKS) {
		const cols = Object.keys(c.sums);
		const extra = (c.keys ?? []).map((k) => `, '|', toString(${k})`).join('');
		const rollup = await grouped(
			ch,
			`SELECT concat(school_id, '|', ${bucketCol(c.grain)}${extra}) AS k, ${cols.map((x) => `sum(${x}) AS ${x}`).join(', ')}
				 FROM ${c.table} GROUP BY k`,
			cols
		);
		const fromRaw = await grouped(
			ch,
			`SELECT concat(school_id, '|', ${bucketSql(c.grain)}${extra}) AS k, ${cols.map((x) => `${c.sums[x][0]} AS ${x}`).join(', ')}
				 FROM ${c.raw} GROUP BY k`,
			cols
		);
		const fromEvents = new Map<string, number[]>();
		for (const e of events) {
			if (`${e.kind}_raw` !== c.raw) continue;
			const k = keyOf(e, c);
			const acc =
				fromEvents.get(k) ??
				fromEvents
					.set(
						k,
						cols.map(() => 0)
					)
					.get(k)!;
			cols.forEach((x, i) => (acc[i] += c.sums[x][1](e)));
		}
		for (const [name, other] of [
			['raw', fromRaw],
			['events', fromEvents]
		] as const) {
			const keys = new Set([...rollup.keys(), ...other.keys()]);
			for (const k of keys) {
				const a = rollup.get(k) ?? cols.map(() => 0);
				const b = other.get(k) ?? cols.map(() => 0);
				if (a.some((v, i) => v !== b[i])) {
					differences++;
					byTable[c.table] = (byTable[c.table] ?? 0) + 1;
					if (differences <= 10)
						samples.push(
							`${c.table} ≠ ${name} at ${k}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
						);
				}
			}
			compared += keys.size;
		}
	}
	// day_versions: how many events of each kind each day, once each
	const versions = await grouped(
		ch,
		"SELECT concat(kind, '|', toString(day)) AS k, sum(events) AS n FROM day_versions GROUP BY k",
		['n']
	);
	const wantVersions = new Map<string, number>();
	for (const e of events) {
		const k = `${e.kind}|${bucketJs('day', e.ts)}`;
		wantVersions.set(k, (wantVersions.get(k) ?? 0) + 1);
	}
	// A version counts the day's events, and a reconciliation's repair moves it on by one (so the
	// app's caches read the rebuilt day again: reconcile.ts): never below the events, and above
	// them by at most the buckets repaired (after a crash, ingest reconciles: worker.ts).
	const [rec] = await rows<{ repaired: string }>(
		ch,
		'SELECT sum(repaired) AS repaired FROM reconciliations'
	);
	let bumps = Number(rec?.repaired ?? 0);
	for (const k of new Set([...versions.keys(), ...wantVersions.keys()])) {
		const have = versions.get(k)?.[0] ?? 0;
		const want = wantVersions.get(k) ?? 0;
		if (have > want && have - want <= bumps) bumps -= have - want;
		else if (have !== want) {
			differences++;
			samples.push(`day_versions at ${k}: ${have} vs ${want}`);
		}
	}
	if (differences)
		samples.push(
			`detached parts: ${JSON.stringify(await rows(ch, 'SELECT table, name, reason FROM system.detached_parts'))}`
		);
	return { raw, differences, byTable, compared, samples };
}
