/**
 * What the Plan 83 page's panels show, from its view: the targets' lines (the district's beside the
 * city's when one is chosen) and their detail, a plan year's cells against the plan's table, and
 * how full a bar is.
 */
import type { MessageKey } from '$lib/i18n/dictionary';
import type { Plan83TargetValue, Plan83View, Plan83YearRow } from '$lib/shared/plan83';
import type { Plan83Format } from './format';

/** A district's name by id (the id itself when the view does not know it). */
export const districtName = (v: Plan83View, id: string) =>
	v.districts.find((d) => d.id === id)?.name ?? id;

/** Each target with its label and the values shown: the chosen district's, then the city's. */
export const targetRows = (v: Plan83View, f: Plan83Format) =>
	v.targets.map((tg) => ({
		...tg,
		label: f.targetLabel(tg.id),
		shown: v.district
			? [
					{ who: v.district.name, x: tg.districts[v.district.id] },
					{ who: f.tr('plan83.targets.city'), x: tg.city }
				]
			: [{ who: f.tr('plan83.targets.city'), x: tg.city }]
	}));

/** The line under a target's gauge: what was counted, or that the live count is missing. */
export const targetDetail = (id: string, x: Plan83TargetValue, f: Plan83Format) =>
	id === 'data_sync_2030' && x.current === null
		? f.tr('plan83.targets.detail.live_missing')
		: f.tr(`plan83.targets.detail.${id}` as MessageKey, {
				num: f.N(x.numerator),
				den: f.N(x.denominator)
			});

/** A plan year's installed against planned, in the roll-out table's column order. */
export const yearCells = (y: Plan83YearRow): { done: number; plan: number | null }[] => [
	{ done: y.multimedia.installed_schools, plan: y.multimedia.planned_schools },
	{ done: y.multimedia.installed_rooms, plan: y.multimedia.planned_rooms },
	{ done: y.smart.installed_schools, plan: y.smart.planned_schools },
	{ done: y.smart.installed_rooms, plan: y.smart.planned_rooms },
	{ done: y.elibrary.installed_schools, plan: y.elibrary.planned_schools }
];

/** How full a bar of done against planned is: 0 to 1, 0 without a plan. */
export const ratio = (a: number, b: number | null) => (b && b > 0 ? Math.min(1, a / b) : 0);
