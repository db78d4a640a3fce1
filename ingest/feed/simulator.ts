/**
 * The demo feed's world: a deterministic simulation of a school day in Cần Thơ.
 *
 * `eventsBetween` is pure: every event is a function of (seed, school, day, minute) only, so the
 * same window always yields the same events with the same `event_id`, and overlapping windows
 * yield identical duplicates that ingest deduplicates. Nothing here reads the clock or
 * Math.random. Per-day plans are memoised, which changes speed, not results.
 *
 * What it models (see docs in DESIGN.md, "Facts for a believable demo day"):
 * - attendance: one report per class and session, 07:00–08:00 (morning / full day) and
 *   13:30–14:00 (afternoon); ~96 % present in the city, ~93 % in rural districts, rainy days
 *   in the rainy season cost rural schools 3–8 points; a few schools have chronic absence.
 * - devices: a heartbeat per device per minute of school hours; ~5 % of schools are flaky and
 *   lose power or internet for 10–60 minutes (no messages at all then); rural districts lose
 *   power in afternoon downpours; a broken device reports `down` / `hardware`.
 * - library: 15-minute counts for schools with an e-library, peaking at breaks and lunch.
 * - completeness: a nightly sync (22:00–23:30) of the nine datasets, and a 06:00 status round.
 *
 * The code is in simulator/, by kind of source: school.ts (classes, devices, static facts),
 * traits.ts, weather.ts, attendance.ts, devices.ts, library.ts, datasets.ts and completeness.ts,
 * the per-day plans (day.ts, context.ts, plan.ts), time.ts and events.ts (eventsBetween). This
 * file is its public face.
 */
export type { SimEvent, SimOptions, SimRegistry } from './simulator/types';
export { DEFAULT_SEED } from './simulator/seed';
export { RURAL_DISTRICTS, schoolTraits, type SchoolTraits } from './simulator/traits';
export { classesOf, type ClassInfo } from './simulator/school';
export { weatherOf, type Weather } from './simulator/weather';
export { eventsBetween, tsMs } from './simulator/events';
