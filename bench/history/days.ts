/**
 * Days of the history: 'YYYY-MM-DD' in and out, and the chunks the work goes in.
 */
import { civil, dayOf } from '#shared/calendar';
import { datePrefix } from '#ingest/feed/simulator/time';

/** 'YYYY-MM-DD' of a local day number. */
export const isoDate = (day: number): string => datePrefix(day);

/** The local day number of a date 'YYYY-MM-DD' (`what` names it in the error). */
export function parseDate(s: string, what: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	const day = m ? dayOf(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
	if (!m || isoDate(day) !== s)
		throw new Error(`history: ${what} must be a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
	return day;
}

/** [first, last] day ranges: calendar months, or `chunkDays` days at a time. */
export function chunksOf(from: number, to: number, chunkDays?: number): [number, number][] {
	const out: [number, number][] = [];
	let a = from;
	while (a <= to) {
		let b: number;
		if (chunkDays) b = a + chunkDays - 1;
		else {
			const { year, month } = civil(a);
			b = dayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
		}
		b = Math.min(b, to);
		out.push([a, b]);
		a = b + 1;
	}
	return out;
}
