/** Plan 83 progress as the wall shows it (computed in src/lib/server/plan83/targets.ts). */
import type { SchoolLevel } from './registry';

export interface RolloutYear {
	year: number;
	/** cumulative, per the plan */
	planned_schools: number;
	planned_rooms: number;
	/** cumulative, per the registry */
	installed_schools: number;
	installed_rooms: number;
}

export interface Plan83Progress {
	years: number[];
	multimedia: RolloutYear[];
	smart: RolloutYear[];
	elibrary: RolloutYear[];
	targets: {
		id: string;
		by: number;
		text: string;
		/** the target ratio */
		value: number;
		/** where the city stands today; null when it is measured live (data sync) */
		current: number | null;
		numerator: number;
		denominator: number;
	}[];
}

/* ---- The Plan 83 view (/plan83), computed in src/lib/server/plan83/view.ts ---- */

/** What the plan rolls out: multimedia rooms, smart interactive rooms, e-library schools. */
export const PLAN83_ITEMS = ['multimedia', 'smart', 'elibrary'] as const;
export type Plan83Item = (typeof PLAN83_ITEMS)[number];

/** The view's tables, one CSV each. */
export const PLAN83_TABLES = ['years', 'districts', 'targets', 'missing'] as const;
export type Plan83Table = (typeof PLAN83_TABLES)[number];

/** Planned against installed. Planned is null where the plan gives no number (rooms for a district). */
export interface Plan83Tally {
	planned_schools: number | null;
	planned_rooms: number | null;
	installed_schools: number;
	installed_rooms: number;
}

export interface Plan83District {
	id: string;
	name: string;
	name_en: string;
	kind: 'urban' | 'rural' | '';
	/** the year the plan equips its multimedia and smart rooms; null when the plan does not name it */
	plan_year: number | null;
}

/** One plan year, cumulative: the plan's table up to that year against what is installed by then. */
export interface Plan83YearRow {
	year: number;
	/** districts the plan equips that year */
	districts: string[];
	multimedia: Plan83Tally;
	smart: Plan83Tally;
	/** schools on the plan's e-library list due by that year (rooms = schools), installed = of those */
	elibrary: Plan83Tally;
	/** every school with an e-library by that year, on the plan's list or not */
	elibrary_all: number;
}

/** One district, as of the asked year. */
export interface Plan83DistrictRow {
	district: string;
	/** all schools, and those at a level the plan equips (primary, lower and upper secondary) */
	schools: number;
	eligible: number;
	classrooms: number;
	multimedia: { schools: number; rooms: number };
	smart: { schools: number; rooms: number };
	/** multimedia rooms installed by the asked year ÷ classrooms */
	multimedia_share: number | null;
	elibrary: {
		/** entries of the plan's list for this district due by the asked year */
		planned: number;
		/** of those, with an e-library installed by the asked year */
		installed: number;
		/** every school with an e-library by the asked year, on the list or not */
		all_schools: number;
	};
	/** schools still missing each item (see Plan83Missing) */
	missing: Record<Plan83Item, number>;
}

/** A plan year's group of districts: the plan's table for that year against the group's districts. */
export interface Plan83Group {
	year: number;
	/** the asked year is this year or later */
	due: boolean;
	plan: {
		multimedia: { schools: number; rooms: number; by_level: Partial<Record<SchoolLevel, number>> };
		smart: { schools: number; rooms: number; by_level: Partial<Record<SchoolLevel, number>> };
	};
	rows: Plan83DistrictRow[];
	/** the rows added up (all the group's districts, or only the filtered one) */
	total: Plan83DistrictRow;
}

export interface Plan83TargetValue {
	numerator: number;
	denominator: number;
	/** null: nothing to divide by, or measured live and not available */
	current: number | null;
	/** false where the target does not apply (the multimedia share in a rural district) */
	applies: boolean;
}

export interface Plan83Target {
	id: string;
	by: number;
	text: string;
	value: number;
	city: Plan83TargetValue;
	districts: Record<string, Plan83TargetValue>;
}

/** A school (or a plan-list entry not in the registry) still without an item by the asked year. */
export interface Plan83Missing {
	item: Plan83Item;
	/** null: on the plan's list but not found in the registry */
	school_id: string | null;
	name: string;
	/** the district id, or null when the school is in none (or the entry is the city itself) */
	district: string | null;
	district_name: string;
	ward: string;
	levels: SchoolLevel[];
	/** the year the plan wanted it by */
	due: number;
	/** installed, but after the asked year; null: not installed */
	installed_year: number | null;
	/** named in the plan's appendix */
	on_plan_list: boolean;
}

export interface Plan83View {
	/** the plan's years */
	years: number[];
	/** the asked year: counts are "installed by the end of this year" */
	year: number;
	/** the district filter, or null for the whole city */
	district: Plan83District | null;
	districts: Plan83District[];
	/** cumulative per plan year (city-wide, or the filtered district) */
	cumulative: Plan83YearRow[];
	groups: Plan83Group[];
	/** current values (the registry today, not the asked year) */
	targets: Plan83Target[];
	missing: Record<Plan83Item, Plan83Missing[]>;
	/** schools counted (city or district) */
	schools: number;
}
