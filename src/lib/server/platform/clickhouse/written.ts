/**
 * Writers in this process say which Vietnam days they wrote events or rollup rows for; readers
 * that keep days in memory (the version board, kpi/day-cache.ts) listen, so what this process
 * writes is seen by its own next read at once. Writes by other processes (an ingest service, a
 * repair run from the command line) are seen through day_versions within a tick.
 */
import type { CH } from './client';

type Listener = (d0: number, d1: number) => void;
const listeners = new WeakMap<CH, Set<Listener>>();

/** Call `fn` with the first and last Vietnam day of every write to `ch` in this process. */
export function onDaysWritten(ch: CH, fn: Listener): void {
	let set = listeners.get(ch);
	if (!set) listeners.set(ch, (set = new Set()));
	set.add(fn);
}

/** Tell the listeners of `ch` that days d0..d1 (Vietnam day numbers) were written. */
export function daysWritten(ch: CH, d0: number, d1: number): void {
	for (const fn of listeners.get(ch) ?? []) fn(d0, d1);
}
