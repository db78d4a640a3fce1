/** Per school: enrolment, classrooms, e-library and the odd preschool multimedia room, drawn. */
import type { Draft } from './drafts';
import type { Group } from './groups';
import type { PlanDistrict } from './inputs';
import { rngFor } from './random';

export const ENROLMENT: Record<Group, [number, number]> = {
	preschool: [150, 450],
	primary: [400, 1400],
	th_thcs: [450, 1300],
	lower: [500, 1600],
	thcs_thpt: [700, 1800],
	upper: [700, 2000]
};
export const ELIBRARY_SHARE: Record<Group, number> = {
	preschool: 0.15,
	primary: 0.42,
	th_thcs: 0.45,
	lower: 0.5,
	thcs_thpt: 0.5,
	upper: 0.6
};

export interface Built {
	draft: Draft;
	urban: boolean;
	enrolment: number;
	classrooms: number;
	multimedia_rooms: number;
	smart_rooms: number;
	elibrary: boolean;
	elibrary_year: number | null;
	multimedia_year: number | null;
	smart_year: number | null;
	pcs: number;
}

export function buildNumbers(drafts: Draft[], planDistricts: Map<string, PlanDistrict>): Built[] {
	return drafts.map((draft) => {
		const rng = rngFor(`numbers:${draft.school_id}`);
		const urban = planDistricts.get(draft.district)?.kind === 'urban';
		const [lo, hi] = ENROLMENT[draft.group];
		const u = rng();
		const enrolment = Math.round(lo + (hi - lo) * (urban ? 0.3 + 0.7 * u : 0.75 * u));
		const classrooms = Math.max(6, Math.round(enrolment / (draft.group === 'preschool' ? 25 : 35)));
		let elibrary = false;
		let elibrary_year: number | null = null;
		const e = rng();
		const ey = rng();
		if (draft.plan) {
			elibrary = true;
			elibrary_year = draft.plan.elibrary_year;
		} else if (e < ELIBRARY_SHARE[draft.group]) {
			elibrary = true;
			elibrary_year = 2021 + Math.floor(ey * 5);
		}
		// a few preschools got one multimedia room outside the plan
		let multimedia_rooms = 0;
		let multimedia_year: number | null = null;
		const m = rng();
		if (draft.group === 'preschool' && m < (urban ? 0.12 : 0.04)) {
			multimedia_rooms = 1;
			multimedia_year = m < 0.04 ? 2022 : 2024;
		}
		const pcs = Math.floor(rng() * (draft.group === 'preschool' ? 3 : 7));
		return {
			draft,
			urban,
			enrolment,
			classrooms,
			multimedia_rooms,
			smart_rooms: 0,
			elibrary,
			elibrary_year,
			multimedia_year,
			smart_year: null,
			pcs
		};
	});
}
