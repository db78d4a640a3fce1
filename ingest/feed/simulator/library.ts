/**
 * Library: 15-minute counts for schools with an e-library, peaking at breaks and lunch.
 */
import { civil, hm } from '#shared/calendar';
import type { School } from '#shared/registry';
import { mix, mulberry32, poisson, type Rng } from '../random';
import { addSparse, type Planning } from './day';
import { MINUTES_PER_DAY, S } from './seed';
import { HHMM, isoAt } from './time';
import type { SchoolTraits } from './traits';

/** [from, to, weight]: how busy the library is through the day (0.3 before the first span). */
export const LIBRARY_PROFILE: [number, number, number][] = [
	[hm(7), hm(7, 30), 0.4],
	[hm(7, 30), hm(9), 0.7],
	[hm(9), hm(9, 30), 3],
	[hm(9, 30), hm(11, 15), 0.7],
	[hm(11, 15), hm(12, 30), 2],
	[hm(12, 30), hm(13, 30), 1],
	[hm(13, 30), hm(14, 45), 0.6],
	[hm(14, 45), hm(15, 15), 2.5],
	[hm(15, 15), hm(16, 30), 0.7],
	[hm(16, 30), hm(24), 0.5]
];
/** The weight of the minutes LIBRARY_PROFILE does not cover. */
export const LIBRARY_OFF_PROFILE = 0.3;

function libraryWeight(minute: number): number {
	for (const [a, b, w] of LIBRARY_PROFILE) if (minute >= a && minute < b) return w;
	return LIBRARY_OFF_PROFILE;
}

/** A day's counts per unit of libraryVolume. */
export const LIBRARY_DAILY = { visits: 0.12, loans: 0.03, returns: 0.028, ebook_opens: 0.15 };

/** The library's volume on a day: enrolment × the school's engagement, halved on Saturdays. */
export function libraryVolume(school: School, tr: SchoolTraits, day: number): number {
	return school.enrolment * tr.libraryEngagement * (civil(day).weekday === 6 ? 0.5 : 1);
}

/** Plan a school's library counts of a day: one per 15 minutes of its hours. */
export function planLibrary(p: Planning): void {
	const { seedH, st, tr, day, key, hours, active } = p;
	const { sparse } = p.plan;
	const open = hours[0][0];
	const close = hours[hours.length - 1][1];
	const slots: number[] = [];
	for (let s = open; s + 15 <= close; s += 15) slots.push(s);
	const totalW = slots.reduce((n, s) => n + libraryWeight(s), 0);
	const E = libraryVolume(st.school, tr, day);
	const daily = {
		visits: LIBRARY_DAILY.visits * E,
		loans: LIBRARY_DAILY.loans * E,
		returns: LIBRARY_DAILY.returns * E,
		ebook_opens: LIBRARY_DAILY.ebook_opens * E
	};
	const sec = 5 + (st.h % 50);
	for (const s of slots) {
		const w = libraryWeight(s) / totalW;
		// e-books are opened in class too, so they follow the breaks less closely
		const wEbook = (0.5 * (libraryWeight(s) + 1)) / (0.5 * (totalW + slots.length));
		const minute = s + 14;
		addSparse(sparse, active, minute, {
			sec,
			kind: 'library',
			build: () => {
				const rng: Rng = mulberry32(mix(seedH, st.h, S.library, day * MINUTES_PER_DAY + s));
				const payload = {
					period_s: 900,
					loans: poisson(rng, daily.loans * w),
					returns: poisson(rng, daily.returns * w),
					ebook_opens: poisson(rng, daily.ebook_opens * wEbook),
					visits: poisson(rng, daily.visits * w)
				};
				if (payload.loans + payload.returns + payload.ebook_opens + payload.visits === 0)
					return null;
				return {
					kind: 'library',
					event_id: `sim-lib-${st.sid}-${key}-${HHMM[s].replace(':', '')}`,
					schema: 1,
					school_id: st.school.school_id,
					ts: isoAt(day, minute, sec),
					source: 'elib',
					payload
				};
			}
		});
	}
}
