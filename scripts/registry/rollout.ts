/** Plan 83's classroom roll-out matched to schools: plan units first, then a fixed random order. */
import { GROUP_CATEGORY, type Category } from './groups';
import type { RollOut } from './inputs';
import type { Built } from './numbers';
import { rngFor, shuffled } from './random';

/** Plan-83 roll-out: per year, its districts, and per level category how many schools get how many rooms. */
export function rollOut(built: Built[], rows: RollOut[], kind: 'multimedia' | 'smart'): void {
	for (const row of rows) {
		for (const cat of Object.keys(row.schools) as Category[]) {
			const eligible = built.filter(
				(b) =>
					row.districts.includes(b.draft.district) &&
					GROUP_CATEGORY[b.draft.group] === cat &&
					(kind === 'multimedia' || b.multimedia_year === row.year)
			);
			const rng = rngFor(`${kind}:${row.year}:${cat}`);
			const planFirst = [
				...eligible.filter((b) => b.draft.plan),
				...shuffled(
					eligible.filter((b) => !b.draft.plan),
					rng
				)
			];
			for (const b of planFirst.slice(0, row.schools[cat])) {
				if (kind === 'multimedia') {
					b.multimedia_rooms = row.rooms_per_school[cat];
					b.multimedia_year = row.year;
				} else {
					b.smart_rooms = row.rooms_per_school[cat];
					b.smart_year = row.year;
				}
			}
			if (eligible.length < row.schools[cat])
				console.warn(
					`${kind} ${row.year} ${cat}: plan says ${row.schools[cat]} schools, the seed has ${eligible.length} eligible (all equipped)`
				);
		}
	}
}
