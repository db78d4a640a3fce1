/**
 * The school calendar of Cần Thơ, in Vietnam time (UTC+7 all year, no DST): school year
 * 5 September – 25 May, no school on Sundays, Saturday mornings for secondary schools only,
 * a two-week Tết break and the public holidays. Nothing here reads the machine's time zone.
 *
 * Days are "local day numbers" (days since 1970-01-01 in Vietnam time) and times of day are
 * minutes after local midnight, so callers can do arithmetic without Date objects.
 */
import type { SchoolLevel } from './registry';

export const VN_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export type Session = 'morning' | 'afternoon' | 'full_day';
export interface SessionWindow {
	session: Session;
	/** minutes after local midnight, inclusive */
	start: number;
	/** minutes after local midnight, exclusive */
	end: number;
}

export const hm = (h: number, m = 0): number => h * 60 + m;
export const MORNING: SessionWindow = { session: 'morning', start: hm(7), end: hm(11, 15) };
export const AFTERNOON: SessionWindow = { session: 'afternoon', start: hm(13, 30), end: hm(17) };
export const FULL_DAY: SessionWindow = { session: 'full_day', start: hm(7), end: hm(16, 30) };

/** Lunar new year's day (mùng 1 Tết), 2024–2030. */
export const TET_DATES: Readonly<Record<number, string>> = {
	2024: '2024-02-10',
	2025: '2025-01-29',
	2026: '2026-02-17',
	2027: '2027-02-06',
	2028: '2028-01-26',
	2029: '2029-02-13',
	2030: '2030-02-03'
};
/** The break runs from a week before Tết to a week after (Cần Thơ gave 3–17 Feb in 2024). */
export const TET_BREAK_BEFORE_DAYS = 7;
export const TET_BREAK_AFTER_DAYS = 7;

/** Hùng Kings' commemoration (10th day of the 3rd lunar month), 2024–2030. */
export const HUNG_KINGS_DATES: Readonly<Record<number, string>> = {
	2024: '2024-04-18',
	2025: '2025-04-07',
	2026: '2026-04-26',
	2027: '2027-04-16',
	2028: '2028-04-04',
	2029: '2029-04-23',
	2030: '2030-04-12'
};
/** Fixed-date public holidays (month, day): new year, reunification day, labour day, national day. */
export const FIXED_HOLIDAYS: readonly (readonly [number, number])[] = [
	[1, 1],
	[4, 30],
	[5, 1],
	[9, 2]
];

export const SCHOOL_YEAR_START = { month: 9, day: 5 } as const;
export const SCHOOL_YEAR_END = { month: 5, day: 25 } as const;

export interface LocalDate {
	year: number;
	/** 1–12 */
	month: number;
	/** 1–31 */
	day: number;
	/** 0 = Sunday … 6 = Saturday */
	weekday: number;
}

/** A moment (ms since epoch or Date) or a local day number. */
export type DayLike = number | Date | { day: number };

/** The local (Vietnam) day number of a moment. */
export function localDay(ms: number): number {
	return Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
}

/** Minutes after local midnight of a moment. */
export function localMinute(ms: number): number {
	return Math.floor(((((ms + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** The moment local midnight of a day begins. */
export function dayStartMs(day: number): number {
	return day * DAY_MS - VN_OFFSET_MS;
}

/** The moment of a local date and time. */
export function localMs(
	year: number,
	month: number,
	day: number,
	hour = 0,
	minute = 0,
	second = 0
): number {
	return Date.UTC(year, month - 1, day, hour, minute, second) - VN_OFFSET_MS;
}

function toDay(d: DayLike): number {
	if (typeof d === 'number') return localDay(d);
	if (d instanceof Date) return localDay(d.getTime());
	return d.day;
}

/** Calendar fields of a local day number. */
export function civil(day: number): LocalDate {
	const d = new Date(day * DAY_MS);
	return {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth() + 1,
		day: d.getUTCDate(),
		weekday: d.getUTCDay()
	};
}

/** Local day number of a calendar date. */
export function dayOf(year: number, month: number, day: number): number {
	return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** `yyyymmdd` of a local day number. */
export function dateKey(day: number): string {
	const { year, month, day: d } = civil(day);
	return `${year}${String(month).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function parseIsoDate(s: string): number {
	const [y, m, d] = s.split('-').map(Number);
	return dayOf(y, m, d);
}

/** Day number of Tết in a year, undefined outside the table. */
export function tetDay(year: number): number | undefined {
	const s = TET_DATES[year];
	return s === undefined ? undefined : parseIsoDate(s);
}

/** True during the Tết break (only known for the years in TET_DATES). */
export function isTetBreak(date: DayLike): boolean {
	const day = toDay(date);
	const tet = tetDay(civil(day).year);
	return (
		tet !== undefined && day >= tet - TET_BREAK_BEFORE_DAYS && day <= tet + TET_BREAK_AFTER_DAYS
	);
}

/** True on a public holiday. */
export function isPublicHoliday(date: DayLike): boolean {
	const day = toDay(date);
	const { year, month, day: d } = civil(day);
	if (FIXED_HOLIDAYS.some(([m, dd]) => m === month && dd === d)) return true;
	const hung = HUNG_KINGS_DATES[year];
	return hung !== undefined && parseIsoDate(hung) === day;
}

/** True between the opening on 5 September and the close on 25 May (inclusive). */
export function isInSchoolYear(date: DayLike): boolean {
	const { month, day } = civil(toDay(date));
	if (
		month > SCHOOL_YEAR_START.month ||
		(month === SCHOOL_YEAR_START.month && day >= SCHOOL_YEAR_START.day)
	)
		return true;
	return (
		month < SCHOOL_YEAR_END.month || (month === SCHOOL_YEAR_END.month && day <= SCHOOL_YEAR_END.day)
	);
}

const isSecondary = (level: SchoolLevel): boolean =>
	level === 'lower_secondary' || level === 'upper_secondary';

/** Whether classes of this level meet on this (local) day. */
export function isSchoolDay(date: DayLike, level: SchoolLevel): boolean {
	const day = toDay(date);
	const { weekday } = civil(day);
	if (weekday === 0) return false;
	if (weekday === 6 && !isSecondary(level)) return false;
	return isInSchoolYear({ day }) && !isTetBreak({ day }) && !isPublicHoliday({ day });
}

/** The sessions a level holds on a day ([] when it is not a school day). */
export function sessionsOn(date: DayLike, level: SchoolLevel): SessionWindow[] {
	const day = toDay(date);
	if (!isSchoolDay({ day }, level)) return [];
	if (level === 'preschool') return [FULL_DAY];
	if (civil(day).weekday === 6) return [MORNING];
	return [MORNING, AFTERNOON];
}

/**
 * The school's scheduled hours on a day: the union of its levels' sessions, as sorted, merged
 * [start, end) minute ranges. Device uptime is measured against these.
 */
export function schoolHours(date: DayLike, levels: readonly SchoolLevel[]): [number, number][] {
	const day = toDay(date);
	const spans = levels
		.flatMap((l) => sessionsOn({ day }, l))
		.map((s): [number, number] => [s.start, s.end]);
	spans.sort((a, b) => a[0] - b[0]);
	const out: [number, number][] = [];
	for (const s of spans) {
		const last = out[out.length - 1];
		if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
		else out.push([s[0], s[1]]);
	}
	return out;
}

/** The minute of the day that is `offset` minutes into these school hours (the last one past the end). */
export function minuteIntoHours(
	hours: readonly (readonly [number, number])[],
	offset: number
): number {
	for (const [a, b] of hours) {
		if (offset < b - a) return a + offset;
		offset -= b - a;
	}
	return hours[hours.length - 1][1] - 1;
}

/** Mekong Delta rainy season: May to November. */
export function isRainySeason(date: DayLike): boolean {
	const { month } = civil(toDay(date));
	return month >= 5 && month <= 11;
}
