/** Plan 83 progress as the wall shows it (computed in src/lib/server/wall/plan83.ts). */
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
