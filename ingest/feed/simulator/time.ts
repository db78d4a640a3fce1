/**
 * Time formatting without Date: the prefix of each day, "HH:MM" of each minute.
 */
import { dateKey } from '#shared/calendar';
import { MINUTES_PER_DAY } from './seed';

export const HHMM: string[] = Array.from(
	{ length: MINUTES_PER_DAY },
	(_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
);
const SEC: string[] = Array.from({ length: 60 }, (_, s) => String(s).padStart(2, '0'));
let prefixDay = NaN;
let prefixStr = '';

/** 'YYYY-MM-DD' of a local day number (the last one asked for is kept). */
export function datePrefix(day: number): string {
	if (day !== prefixDay) {
		const k = dateKey(day);
		prefixStr = `${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)}`;
		prefixDay = day;
	}
	return prefixStr;
}

/** The ts of a local day, minute and second: 'YYYY-MM-DDTHH:MM:SS+07:00'. */
export function isoAt(day: number, minute: number, sec: number): string {
	return `${datePrefix(day)}T${HHMM[minute]}:${SEC[sec]}+07:00`;
}
