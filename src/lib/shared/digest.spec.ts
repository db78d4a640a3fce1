import { describe, expect, it } from 'vitest';
import { dayOf, localMs } from './calendar';
import {
	digestEventId,
	dueAt,
	dueWeek,
	hasSchoolDays,
	mondayOf,
	parseDigestEventId,
	weekSearch
} from './digest';
import { parseViewQuery } from './views';

const mon2Nov = dayOf(2026, 11, 2);

describe('the digest week', () => {
	it('runs Monday to Sunday in Vietnam time', () => {
		for (let d = 2; d <= 8; d++) expect(mondayOf(dayOf(2026, 11, d))).toBe(mon2Nov);
		expect(mondayOf(dayOf(2026, 11, 9))).toBe(mon2Nov + 7);
	});

	it('is due from the next Monday 07:00 Vietnam time, never before', () => {
		// Sunday 8 Nov 23:59 and Monday 9 Nov 06:59 (Vietnam): the week of 26 Oct is still the last one due
		expect(dueWeek(localMs(2026, 11, 8, 23, 59))).toBe(mon2Nov - 7);
		expect(dueWeek(localMs(2026, 11, 9, 6, 59))).toBe(mon2Nov - 7);
		expect(dueWeek(localMs(2026, 11, 9, 7, 0))).toBe(mon2Nov);
		expect(dueWeek(localMs(2026, 11, 15, 23, 0))).toBe(mon2Nov);
		expect(dueAt(mon2Nov)).toBe(localMs(2026, 11, 9, 7, 0));
		// 00:30 UTC on Monday is already 07:30 in Cần Thơ
		expect(dueWeek(Date.UTC(2026, 10, 9, 0, 30))).toBe(mon2Nov);
	});

	it('follows the demo clock: a calendar shifted back by whole hours', () => {
		const shift = 30 * 3600_000;
		expect(dueWeek(localMs(2026, 11, 10, 12, 59), shift)).toBe(mon2Nov - 7);
		expect(dueWeek(localMs(2026, 11, 10, 13, 0), shift)).toBe(mon2Nov);
		expect(dueAt(mon2Nov, shift)).toBe(localMs(2026, 11, 10, 13, 0));
	});

	it('knows the weeks without classes (summer, Tết)', () => {
		expect(hasSchoolDays(mon2Nov)).toBe(true);
		expect(hasSchoolDays(mondayOf(dayOf(2026, 7, 15)))).toBe(false);
		expect(hasSchoolDays(mondayOf(dayOf(2026, 2, 17)))).toBe(false);
	});

	it('has one id per district and week, read back for the delivery log', () => {
		expect(digestEventId('ninh-kieu', mon2Nov)).toBe('digest:ninh-kieu:2026-11-02');
		expect(parseDigestEventId('digest:ninh-kieu:2026-11-02')).toEqual({
			district: 'ninh-kieu',
			monday: mon2Nov
		});
		expect(parseDigestEventId('digest:ninh-kieu:2026-13-02')).toBeNull();
		expect(parseDigestEventId('abc123')).toBeNull();
	});

	it('links the district page for that week against the week before', () => {
		expect(weekSearch(mon2Nov, 'vi')).toBe('?range=custom&from=2026-11-02&to=2026-11-08&compare=1');
		const q = parseViewQuery(new URLSearchParams(weekSearch(mon2Nov, 'en')));
		expect(q.ok && q.value.range).toEqual({
			preset: 'custom',
			from: '2026-11-02',
			to: '2026-11-08',
			at: null,
			compare: true
		});
		expect(weekSearch(mon2Nov, 'en')).toContain('&lang=en');
	});
});
