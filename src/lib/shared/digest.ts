/**
 * Weekly digests: each district's week by email to its contacts. The period is the Vietnam
 * calendar week, Monday to Sunday, of the app's measured days (DayClock: the demo clock's shifted
 * calendar, or the real one), so the week the mail reports is the week the district page shows for
 * the same dates. A week's digest is due from Monday DIGEST_HOUR on (the day after it ended),
 * never before, and planned once (store: `digests`, one row per district × week).
 *
 * Pure: the scheduler, the store, the admin page and the tests share these rules and ids.
 */
import { civil, dayStartMs, isSchoolDay, localDay } from './calendar';
import { formatDay, parseDay } from './range';
import { viewSearch } from './views';

/** Local hour on the Monday after the week from which its digest goes out (after the night's syncs). */
export const DIGEST_HOUR = 7;

/** The Monday (local day number) of the week holding `day`. */
export function mondayOf(day: number): number {
	return day - ((civil(day).weekday + 6) % 7);
}

/**
 * The last week whose digest is due at `now`: its Monday, as a local day number. `shiftMs` is the
 * demo clock's shift (0 with the real clock): weeks are of measured days, as the drill-down's.
 */
export function dueWeek(now: number, shiftMs = 0): number {
	// the measured day as it was DIGEST_HOUR hours ago: on Monday 06:59 still Sunday, so the week
	// that just ended is not due before Monday DIGEST_HOUR:00
	const day = localDay(now - shiftMs - DIGEST_HOUR * 3600_000);
	return mondayOf(day) - 7;
}

/** The moment a week's digest becomes due (its next Monday at DIGEST_HOUR, measured). */
export function dueAt(monday: number, shiftMs = 0): number {
	return dayStartMs(monday + 7) + shiftMs + DIGEST_HOUR * 3600_000;
}

/** Whether classes met (by the calendar) on any day of the week: summer and Tết weeks send nothing. */
export function hasSchoolDays(monday: number): boolean {
	for (let d = monday; d < monday + 7; d++)
		if (isSchoolDay({ day: d }, 'primary') || isSchoolDay({ day: d }, 'upper_secondary'))
			return true;
	return false;
}

/** A week as stored and linked: its Monday `YYYY-MM-DD`. */
export const weekKey = (monday: number): string => formatDay(monday);

/** The first and last day (`YYYY-MM-DD`) of the week starting at `monday`. */
export const weekDays = (monday: number): { from: string; to: string } => ({
	from: formatDay(monday),
	to: formatDay(monday + 6)
});

/** The outbox's "event" of a district's weekly digest; a delivery's id adds `:email:<user id>`. */
export const digestEventId = (district: string, monday: number): string =>
	`digest:${district}:${weekKey(monday)}`;

/** The district and week of a digest's event id (the delivery log links to that week's page), or null. */
export function parseDigestEventId(id: string): { district: string; monday: number } | null {
	const m = /^digest:([^:]+):(\d{4}-\d{2}-\d{2})$/.exec(id);
	if (!m) return null;
	const monday = parseDay(m[2]);
	return monday === null ? null : { district: m[1], monday };
}

/** The district page's link for the week, compared with the week before (views.ts' canonical order). */
export function weekSearch(monday: number, locale: 'vi' | 'en'): string {
	const { from, to } = weekDays(monday);
	return viewSearch(
		{
			range: { preset: 'custom', from, to, at: null, compare: true },
			kpi: 'attendance',
			sort: 'status',
			dir: 'desc',
			level: null,
			setting: null
		},
		{ lang: locale === 'en' ? 'en' : null }
	);
}
