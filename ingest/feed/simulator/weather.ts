/**
 * Weather: rainy days per date and district, correlated across the city.
 */
import { DAY_MS, VN_OFFSET_MS, civil, hm, isRainySeason } from '#shared/calendar';
import { hashStr, u01 } from '../random';
import { DEFAULT_SEED, S, seedHash } from './seed';

export interface Weather {
	rainy: boolean;
	/** 0–1: how hard it rains (drives the attendance dip and outage odds) */
	intensity: number;
	/** minute of the afternoon downpour's start */
	stormStart: number;
	stormMinutes: number;
}

// chance of a rainy day in the city, by month (index 0 = January)
const RAIN_P = [0, 0, 0, 0, 0.35, 0.55, 0.6, 0.6, 0.65, 0.6, 0.4, 0];

/** The weather of a district on a local day under a seed hash. */
export function weatherFor(seedH: number, day: number, districtId: string): Weather {
	const dh = hashStr(districtId);
	const dry: Weather = { rainy: false, intensity: 0, stormStart: 0, stormMinutes: 0 };
	if (!isRainySeason({ day })) return dry;
	const p = RAIN_P[civil(day).month - 1];
	const cityRain = u01(seedH, S.cityRain, day) < p;
	const rainy = u01(seedH, S.districtRain, day, dh) < (cityRain ? 0.85 : 0.08);
	if (!rainy) return dry;
	return {
		rainy,
		intensity: u01(seedH, S.intensity, day, dh),
		stormStart: hm(13, 45) + Math.floor(150 * u01(seedH, S.storm, day, dh)),
		stormMinutes: 30 + Math.floor(90 * u01(seedH, S.storm, day, dh ^ 1))
	};
}

/** The simulated weather of a district on a local day (the day number, or a moment). */
export function weatherOf(
	districtId: string,
	date: number | { day: number },
	opts: { seed?: number } = {}
): Weather {
	const day = typeof date === 'number' ? Math.floor((date + VN_OFFSET_MS) / DAY_MS) : date.day;
	return weatherFor(seedHash(opts.seed ?? DEFAULT_SEED), day, districtId);
}
