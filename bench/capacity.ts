/**
 * npm run bench:capacity — the measured inputs of docs/capacity.md.
 *  1. The registry: schools, pupils and classroom devices by level (the seed of Cần Thơ).
 *  2. The demo feed's event mix: one whole school day of the simulator (ingest/feed/), events per
 *     kind per day and at the peak minute and second, and the JSON bytes of a message per kind.
 *  3. School days per year by level (the calendar of src/lib/shared/calendar.ts).
 *  4. Bytes per row per table: CAPACITY_DAYS (default 14) days of history for every school
 *     (bench/history, as bench:queries generates it) in a temporary chDB, the columns that ingest
 *     fills and the generator does not (stream_seq, ingest_block) filled as ingest would (a
 *     sequence growing with time, a new block every 50 ms), every part merged (OPTIMIZE FINAL),
 *     then system.parts and system.columns read per table.
 * Prints each figure, and the last line is the JSON of all of them (docs/capacity.md quotes it).
 * CAPACITY_DAY (default: the latest primary-school day up to today) is the simulated day and the
 * last day of the history (recent, so the 35-day minute rollups still hold it).
 */
import { performance } from 'node:perf_hooks';
import { rows } from '#server/platform/clickhouse/client';
import { setLogLevel } from '#server/platform/log';
import { seedRegistry } from '#server/platform/registry/seed';
import { applyRegistry } from '#server/platform/registry/store';
import { dayOf, isSchoolDay, localDay, localMs } from '#shared/calendar';
import { SCHOOL_LEVELS } from '#shared/registry';
import { formatDay } from '#shared/range';
import { eventsBetween } from '#ingest/feed/simulator';
import { startClickHouse } from '#harness/chdb';
import { generateHistory } from './history/generate';

setLogLevel('warn');
const say = (s: string) => console.log(s);
const DAYS = Number(process.env.CAPACITY_DAYS ?? 14);
const latestSchoolDay = () => {
	let day = localDay(Date.now());
	while (!isSchoolDay({ day }, 'primary')) day--;
	return formatDay(day);
};
const DAY = process.env.CAPACITY_DAY ?? latestSchoolDay();
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// 1. the registry
const reg = seedRegistry();
const byLevel: Record<string, { schools: number; pupils: number; devices: number }> = {};
for (const s of reg.schools) {
	const key = s.levels.join('+');
	const b = (byLevel[key] ??= { schools: 0, pupils: 0, devices: 0 });
	b.schools++;
	b.pupils += s.enrolment;
	b.devices += s.devices;
}
const devices = reg.schools.reduce((a, s) => a + s.devices, 0);
const pupils = reg.schools.reduce((a, s) => a + s.enrolment, 0);
const elibrary = reg.schools.filter((s) => s.elibrary).length;
say(
	`registry: ${reg.schools.length} schools, ${pupils} pupils, ${devices} devices, ${elibrary} e-libraries`
);
for (const [k, b] of Object.entries(byLevel))
	say(
		`  ${k}: ${b.schools} schools, ${round(b.pupils / b.schools, 0)} pupils/school, ${round(b.devices / b.schools)} devices/school`
	);

// 2. one school day of the simulator
const [y, m, d] = DAY.split('-').map(Number);
const t0 = performance.now();
const perKind: Record<string, { events: number; bytes: number; subjectBytes: number }> = {};
const perMinute = new Map<number, Record<string, number>>();
const perSecond = new Map<number, number>();
for (const { subject, event } of eventsBetween(reg, localMs(y, m, d), localMs(y, m, d + 1))) {
	const k = (perKind[event.kind] ??= { events: 0, bytes: 0, subjectBytes: 0 });
	k.events++;
	k.bytes += Buffer.byteLength(JSON.stringify(event));
	k.subjectBytes += subject.length;
	const ms = Date.parse(event.ts);
	const minute = Math.floor(ms / 60_000);
	const pm = perMinute.get(minute) ?? {};
	pm[event.kind] = (pm[event.kind] ?? 0) + 1;
	perMinute.set(minute, pm);
	const sec = Math.floor(ms / 1000);
	perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
}
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const peakMinute = [...perMinute.entries()].sort((a, b) => sum(b[1]) - sum(a[1]))[0];
const peakSecond = Math.max(...perSecond.values());
const hhmm = (minute: number) =>
	new Date(minute * 60_000 + 7 * 3600_000).toISOString().slice(11, 16);
const totalEvents = Object.values(perKind).reduce((a, k) => a + k.events, 0);
say(`simulated ${DAY} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${totalEvents} events`);
for (const [k, v] of Object.entries(perKind))
	say(
		`  ${k}: ${v.events} events (${round(v.events / reg.schools.length)} per school), ${round(v.bytes / v.events, 0)} B JSON, ${round(v.subjectBytes / v.events, 0)} B subject`
	);
say(
	`  peak minute ${hhmm(peakMinute[0])} (local): ${sum(peakMinute[1])} events = ${round(sum(peakMinute[1]) / 60, 1)}/s (${Object.entries(
		peakMinute[1]
	)
		.map(([k, v]) => `${k} ${round(v / 60, 1)}/s`)
		.join(', ')}); peak second ${peakSecond} events`
);
// the morning's busiest minute (attendance opens 07:00–08:00 while every device beats)
const morning = [...perMinute.entries()]
	.filter(([minute]) => hhmm(minute) < '12:00')
	.sort((a, b) => sum(b[1]) - sum(a[1]))[0];
say(
	`  morning peak minute ${hhmm(morning[0])}: ${sum(morning[1])} events = ${round(sum(morning[1]) / 60, 1)}/s (${Object.entries(
		morning[1]
	)
		.map(([k, v]) => `${k} ${round(v / 60, 1)}/s`)
		.join(', ')})`
);
// the busiest minute of each kind on its own
const kindPeaks: Record<string, { minute: string; perS: number }> = {};
for (const [minute, r] of perMinute)
	for (const [k, v] of Object.entries(r))
		if (!kindPeaks[k] || v / 60 > kindPeaks[k].perS)
			kindPeaks[k] = { minute: hhmm(minute), perS: round(v / 60, 2) };
say(
	`  each kind's busiest minute: ${Object.entries(kindPeaks)
		.map(([k, v]) => `${k} ${v.perS}/s at ${v.minute}`)
		.join(', ')}`
);

// 3. school days per year by level (1 September to 31 August)
const schoolDays: Record<string, number> = {};
const y0 = dayOf(2025, 9, 1);
const y1 = dayOf(2026, 8, 31);
for (const level of SCHOOL_LEVELS) {
	let n = 0;
	for (let day = y0; day <= y1; day++) if (isSchoolDay({ day }, level)) n++;
	schoolDays[level] = n;
}
say(
	`school days 2025–26: ${Object.entries(schoolDays)
		.map(([k, v]) => `${k} ${v}`)
		.join(', ')}`
);

// 4. bytes per row
const db = await startClickHouse();
const tables: {
	table: string;
	rows: number;
	bytes_on_disk: number;
	compressed: number;
	uncompressed: number;
	bytes_per_row: number;
}[] = [];
const columns: Record<string, { column: string; compressed_per_row: number }[]> = {};
let generated: Record<string, number> | undefined;
let uuidEventIdBytes: number | undefined;
try {
	await applyRegistry(db.ch, reg, { source: 'bench', mode: 'replace' });
	const to = dayOf(y, m, d);
	const from = to - DAYS + 1;
	const g0 = performance.now();
	const gen = await generateHistory(
		db.ch,
		{ from: formatDay(from), to: formatDay(to), devices: 'raw' },
		(s) => say(`  ${s}`)
	);
	generated = gen.rows;
	say(`generated ${DAYS} days in ${((performance.now() - g0) / 1000).toFixed(0)} s`);
	// what ingest writes and the generator leaves at its default: the message's stream sequence
	// (growing with arrival, ~10 per ms) and the insert's block (a UUID per 50 ms flush window)
	for (const k of ['attendance', 'device', 'library', 'completeness'])
		await db.ch.command({
			query: `ALTER TABLE ${k}_raw UPDATE
				stream_seq = toUInt64(toUnixTimestamp64Milli(ingested_at)) * 10 + cityHash64(event_id) % 10,
				ingest_block = reinterpretAsUUID(MD5(toString(intDiv(toUnixTimestamp64Milli(ingested_at), 50))))
				WHERE 1 SETTINGS mutations_sync = 2`
		});
	const names = await rows<{ name: string }>(
		db.ch,
		`SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree%'`
	);
	for (const t of names) await db.ch.command({ query: `OPTIMIZE TABLE ${t.name} FINAL` });
	const parts = await rows<{
		table: string;
		rows: string;
		bytes_on_disk: string;
		compressed: string;
		uncompressed: string;
	}>(
		db.ch,
		`SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes_on_disk,
		        sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed
		 FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table`
	);
	for (const p of parts) {
		const n = Number(p.rows);
		if (n === 0 || p.table.startsWith('bench_') || p.table.startsWith('cap_')) continue;
		tables.push({
			table: p.table,
			rows: n,
			bytes_on_disk: Number(p.bytes_on_disk),
			compressed: Number(p.compressed),
			uncompressed: Number(p.uncompressed),
			bytes_per_row: round(Number(p.bytes_on_disk) / n, 1)
		});
	}
	say('bytes per row (after OPTIMIZE FINAL; on disk = data + marks + primary index):');
	for (const t of tables)
		say(
			`  ${t.table}: ${t.rows} rows, ${t.bytes_per_row} B/row on disk, ${round(t.uncompressed / t.rows, 1)} B/row uncompressed (×${round(t.uncompressed / Math.max(1, t.compressed), 1)})`
		);
	const cols = await rows<{ table: string; name: string; c: string }>(
		db.ch,
		`SELECT table, name, data_compressed_bytes AS c FROM system.columns
		 WHERE database = currentDatabase() AND table LIKE '%\\_raw' ORDER BY table, c DESC`
	);
	// a small table's merged part is compact: no per-column sizes (all 0), so it is left out
	const wide = new Set(cols.filter((c) => Number(c.c) > 0).map((c) => c.table));
	for (const c of cols) {
		const n = tables.find((t) => t.table === c.table)?.rows ?? 0;
		if (!n || !wide.has(c.table)) continue;
		(columns[c.table] ??= []).push({
			column: c.name,
			compressed_per_row: round(Number(c.c) / n, 2)
		});
	}
	// the generator's event ids ('sim-dev-<device>-<minute>') compress well; a vendor's may be
	// random UUIDs: the same keys with such ids, to see what event_id would cost then
	await db.ch.command({
		query: `CREATE TABLE cap_uuid_ids (school_id LowCardinality(String), ts DateTime64(3, 'UTC'), event_id String)
			ENGINE = MergeTree ORDER BY (school_id, ts, event_id)`
	});
	await db.ch.command({
		query: `INSERT INTO cap_uuid_ids SELECT school_id, ts, toString(generateUUIDv4(rowNumberInAllBlocks())) FROM device_raw LIMIT 2000000`
	});
	await db.ch.command({ query: `OPTIMIZE TABLE cap_uuid_ids FINAL` });
	const uuid = await rows<{ c: string; n: string }>(
		db.ch,
		`SELECT c.data_compressed_bytes AS c, (SELECT count() FROM cap_uuid_ids) AS n FROM system.columns AS c
		 WHERE c.database = currentDatabase() AND c.table = 'cap_uuid_ids' AND c.name = 'event_id'`
	);
	uuidEventIdBytes = round(Number(uuid[0].c) / Number(uuid[0].n), 2);
	say(`  event_id as random UUID strings: ${uuidEventIdBytes} B/row compressed`);
	for (const [t, cs] of Object.entries(columns))
		say(
			`  ${t} by column (B/row): ${cs
				.slice(0, 8)
				.map((c) => `${c.column} ${c.compressed_per_row}`)
				.join(', ')}`
		);
} finally {
	await db.cleanup();
}

console.log(
	JSON.stringify({
		registry: { schools: reg.schools.length, pupils, devices, elibrary, byLevel },
		day: DAY,
		perKind,
		peak: {
			minute: hhmm(peakMinute[0]),
			events: sum(peakMinute[1]),
			byKind: peakMinute[1],
			second: peakSecond
		},
		morning: { minute: hhmm(morning[0]), events: sum(morning[1]), byKind: morning[1] },
		kindPeaks,
		schoolDays,
		historyDays: DAYS,
		generated,
		tables,
		columns,
		uuidEventIdBytes
	})
);
