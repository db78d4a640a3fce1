/**
 * Attendance: one report per class and session, 07:00–08:00 (morning / full day) and
 * 13:30–14:00 (afternoon); ~96 % present in the city, ~93 % in rural districts, rainy days in the
 * rainy season cost rural schools 3–8 points; a few schools have chronic absence.
 */
import type { SchoolLevel } from '#shared/registry';
import { civil, hm, isTetBreak, sessionsOn, type Session } from '#shared/calendar';
import { binomial, hashStr, mix, mulberry32, normal } from '../random';
import { addSparse, type Planning } from './day';
import type { ClassInfo } from './school';
import { S } from './seed';
import { isoAt } from './time';
import type { SchoolTraits } from './traits';
import type { Weather } from './weather';

/**
 * A school's attendance rate on a day before the class's own adjustments, and the share of
 * absences that are excused.
 */
export function attendanceBase(
	tr: SchoolTraits,
	day: number,
	weather: Weather
): { base: number; excusedShare: number } {
	const { weekday } = civil(day);
	let dayAdj = 0;
	if (weekday === 1) dayAdj -= 0.005;
	if (weekday === 6) dayAdj -= 0.01;
	// families travel home for Tết and come back late
	if (
		!isTetBreak({ day }) &&
		(isTetBreak({ day: day - 1 }) || isTetBreak({ day: day - 2 }) || isTetBreak({ day: day - 3 }))
	)
		dayAdj -= 0.03;
	const rainDip = weather.rainy
		? tr.rural
			? 0.03 + 0.04 * weather.intensity
			: 0.01 * weather.intensity
		: 0;
	// the level and session adjustments of each class cost about half a point on average
	const base = (tr.rural ? 0.935 : 0.965) + tr.attendanceOffset + dayAdj - rainDip - tr.chronicDip;
	const excusedShare = tr.chronic ? 0.4 : weather.rainy ? 0.7 : 0.6;
	return { base, excusedShare };
}

/** The attendance adjustment of a level: preschool −2 points, upper secondary −0.5. */
export function levelAdjust(level: SchoolLevel): number {
	return level === 'preschool' ? -0.02 : level === 'upper_secondary' ? -0.005 : 0;
}

/** The sessions a class reports, by its shift. */
export function sessionsOf(shift: ClassInfo['shift']): Session[] {
	return shift === 'both'
		? ['morning', 'afternoon']
		: shift === 'full_day'
			? ['full_day']
			: [shift];
}

/** Plan a school's attendance reports of a day: one per class and session held. */
export function planAttendance(p: Planning): void {
	const { seedH, st, tr, day, key, weather, active } = p;
	const { sparse } = p.plan;
	const sessionsByLevel = new Map<SchoolLevel, Session[]>();
	for (const l of st.school.levels)
		sessionsByLevel.set(
			l,
			sessionsOn({ day }, l).map((s) => s.session)
		);
	const { base, excusedShare } = attendanceBase(tr, day, weather);

	for (const cls of st.classes) {
		const held = sessionsByLevel.get(cls.level) ?? [];
		for (const session of sessionsOf(cls.shift)) {
			if (!held.includes(session)) continue;
			const ch = hashStr(cls.code, st.h);
			const srng = mulberry32(
				mix(seedH, ch, S.attendance, day * 4 + (session === 'afternoon' ? 1 : 0))
			);
			const r = Math.pow(srng(), 1.6);
			const minute =
				session === 'afternoon' ? hm(13, 30) + Math.floor(30 * r) : hm(7) + Math.floor(60 * r);
			const sec = Math.floor(srng() * 60);
			const levelAdj = levelAdjust(cls.level);
			const sessionAdj = session === 'afternoon' ? -0.005 : 0;
			addSparse(sparse, active, minute, {
				sec,
				kind: 'attendance',
				build: () => {
					const rng = mulberry32(
						mix(seedH, ch, S.attendance, day * 4 + 2 + (session === 'afternoon' ? 1 : 0))
					);
					const rate = base + levelAdj + sessionAdj + normal(rng) * 0.012;
					const pAbsent = Math.min(0.5, Math.max(0.002, 1 - rate));
					const absent = binomial(rng, cls.size, pAbsent);
					const excused = binomial(rng, absent, excusedShare);
					return {
						kind: 'attendance',
						event_id: `sim-att-${st.sid}-${key}-${cls.code}-${session}`,
						schema: 1,
						school_id: st.school.school_id,
						ts: isoAt(day, minute, sec),
						source: tr.attendanceSource,
						payload: {
							class: cls.name,
							grade: cls.grade,
							session,
							enrolled: cls.size,
							present: cls.size - absent,
							absent_excused: excused,
							absent_unexcused: absent - excused
						}
					};
				}
			});
		}
	}
}
