/**
 * Demo history: a school year (or any range of days) of telemetry for every school, written
 * straight into an already-migrated ClickHouse / chDB with `INSERT … SELECT` generated in SQL.
 * Going through JSON and the ingest pipeline (~27k rows/s) would take hours; this takes minutes.
 *
 * How it works
 * - The registry is read from ClickHouse with `loadRegistry` (per school_id the newest row of a
 *   committed import, active only — the same reader the app uses), so the caller must have run
 *   `applyRegistry` first. `schools: n` keeps the first n schools by school_id (quick tests).
 * - Small facts are computed here in TypeScript, with the app's own rules, and loaded into five
 *   helper tables (`_history_*`, Memory engine, dropped at the end):
 *     schools × days  one row per school and school day (calendar.ts: no Sundays, Saturday
 *                     mornings for secondary only, Tết break, public holidays, school hours
 *                     per level): school hours, sessions held, outages, attendance base rate,
 *                     library volume, last sync times;
 *     classes         classesOf() from the simulator (~35 pupils a class, grade from the level:
 *                     preschool 0, primary 1–5, lower secondary 6–9, upper secondary 10–12);
 *     devices         devicesOf() (2,252 devices for the seed registry);
 *     datasets        the nine datasets per school: size, required fields, fields left empty.
 *   School traits (rural, ~5 % flaky, ~3 % chronic absence, ~8 % behind on data, attendance
 *   source) come from the simulator's schoolTraits() and the weather (rainy days May–Nov,
 *   correlated across the city) from its weatherOf(), so history and the live feed agree on
 *   which schools are which.
 * - The volume is expanded in SQL: days × classes × sessions, days × library slots, days ×
 *   datasets, days × devices × minutes. Per-row noise is cityHash64 of ids and day numbers,
 *   never rand(), so a range always regenerates the same rows. Event ids use the simulator's
 *   formats (sim-att-…, sim-dev-…, sim-chg-…, sim-lib-…, sim-cmp-…).
 * - Work goes month by month (a chunk of days at a time), so memory stays bounded; the
 *   materialized views fill the *_1m / *_1h / *_1d rollups from the raw inserts.
 * - The code is in history/: rows.ts (the helper tables' rows, with the simulator's rules from
 *   #ingest/feed/simulator/*), sql.ts and device-sql.ts (the queries), days.ts, generate.ts.
 *
 * What it generates (per school day)
 * - attendance: one report per class and session ('morning' / 'afternoon' / 'full_day' as the
 *   simulator shifts them), 07:00–08:00 or 13:30–14:00; ~96 % present in the city, ~93 % in
 *   the rural districts, rainy days cost rural schools 3–7 points (city ~1), Mondays and
 *   Saturdays a little, the days after Tết 3 points; chronic-absence schools 6–10 points.
 * - device: a heartbeat per device per minute of school hours (interval_s 60, status up, or
 *   down/hardware once a device breaks); no heartbeats while the school is cut off: flaky
 *   schools lose power or internet for 10–60 minutes most days, others rarely (rural 2 %,
 *   city 0.8 % of days), and afternoon downpours cut rural schools in the rainy season;
 *   a few heartbeats go missing (0.1–1 %). Change events: "down/power" when power goes,
 *   "up" when it is back, "down/hardware" when a device breaks.
 * - library (e-library schools only, as the simulator): 15-minute counts (period_s 900) of
 *   loans, returns, e-book opens and visits, busier at breaks and lunch; empty windows skipped.
 * - completeness: the 06:00 status round, one event per dataset, with required/filled fields,
 *   the names of empty fields when filled < required (slowly improving through the year),
 *   and the last department / ministry sync times (nightly syncs, some nights skipped).
 *
 * Device heartbeats: raw rows or rollups
 *   The year 2025-09-05..2026-05-29 has ~195M heartbeats (2,252 devices × ~470 minutes × 184
 *   school days). Measured on this 2-core machine (bench/history-check.ts, FULL=1): all of them
 *   as device_raw rows through the views took 333 s (~0.6M rows/s), against 30 s for the whole
 *   year with the rollup path below. Under the 8-minute budget, but wasted: device_raw keeps 90
 *   days (TTL, applied as rows are written) and device_1m 35 days, so on a clock after August
 *   2026 not one of those raw rows is stored (were they kept: ~19 bytes a row, ~3.7 GB). Hence,
 *   by default (`devices: 'auto'`), only days still inside device_raw's 90-day TTL (counted
 *   back from ClickHouse's now()) get per-device raw rows (and device_1m/1h/1d through the
 *   views); older days are aggregated in SQL from the very same per-minute rows straight into
 *   device_1h, device_1d and device_unit_1d (per device and day) with the views' expressions (heartbeats, up_heartbeats, up_seconds,
 *   reported_seconds, went_down, uniqState(device_id), uniqStateIf(device_id, status = 'up')):
 *   the rollups hold exactly what the views would have produced (history-check.ts generates a
 *   week both ways and compares device_1h and device_1d). `devices: 'raw'` / `'rollup'` force
 *   one path.
 *
 * Caveats
 * - Not idempotent: the rollups are sums, so generating a range twice counts it twice.
 *   Generate into a range that holds no telemetry yet.
 * - The raw tables' TTLs apply at insert: rows older than the TTL (attendance/library/
 *   completeness 400 days, device 90 days, *_1m 35 days) are dropped as they are written;
 *   the views still see them, so the 1h / 1d rollups are complete.
 * - Uses five helper tables named `_history_*`; do not run two generations on one database at
 *   the same time. Row counts are read back from the *_1d rollups (before/after each chunk),
 *   so other writers in the same range at the same time would be counted too.
 * - Days follow calendar.ts, whose school year ends on 25 May: a `to` of 2026-05-29 adds nothing
 *   after the 25th.
 * - Completeness is the 06:00 round on school days only; the live feed also sends the nightly
 *   sync round and reports on holidays.
 * - Event ids follow the live feed's formats, but times and counts are drawn differently: do
 *   not generate days the live feed will also play, or those days hold both.
 */
export {
	generateHistory,
	type HistoryKind,
	type HistoryOptions,
	type HistoryResult
} from './history/generate';
