/**
 * The simulator's seed and salts, and the minute arithmetic every module shares.
 */
import { MINUTE_MS, VN_OFFSET_MS } from '#shared/calendar';
import { mix } from '../random';

export const DEFAULT_SEED = 83;

/** Local (Vietnam) minutes ahead of UTC. */
export const LOCAL_MINUTE_OFFSET = VN_OFFSET_MS / MINUTE_MS;
export const MINUTES_PER_DAY = 1440;

// Salts: each kind of draw has its own, so draws never correlate by accident.
export const S = {
	flaky: 1,
	chronic: 2,
	behind: 3,
	offset: 4,
	engagement: 5,
	syncBase: 6,
	ministryEvery: 7,
	ministryPhase: 8,
	ministryNever: 9,
	cityRain: 10,
	districtRain: 11,
	intensity: 12,
	storm: 13,
	outage: 14,
	broken: 15,
	miss: 16,
	attendance: 17,
	library: 18,
	syncJitter: 19,
	syncSkip: 20,
	completeness: 21,
	gradeJitter: 22,
	sites: 23,
	source: 24
} as const;

/** The hash every seed-dependent draw starts from. */
export function seedHash(seed: number): number {
	return mix(seed >>> 0, 0x5eed);
}
