/**
 * Seed-dependent traits: which schools are flaky, chronically absent, behind on data.
 */
import type { Area, School } from '#shared/registry';
import { between, hashStr, u01 } from '../random';
import { DEFAULT_SEED, S, seedHash } from './seed';
import type { SimRegistry } from './types';

/** Rural districts of Cần Thơ (huyện), used when the registry carries no urban/rural kind. */
export const RURAL_DISTRICTS: readonly string[] = ['phong-dien', 'co-do', 'thoi-lai', 'vinh-thanh'];

export interface SchoolTraits {
	rural: boolean;
	/** unstable power or internet: outages most school days */
	flaky: boolean;
	/** chronic absence (lower attendance, more unexcused) */
	chronic: boolean;
	/** behind on data entry (60–85 % complete, ministry sync days old) */
	behind: boolean;
	/** never synced to the ministry database */
	ministryNever: boolean;
	attendanceOffset: number;
	chronicDip: number;
	libraryEngagement: number;
	/** minutes after 22:00 the nightly sync usually starts */
	syncBase: number;
	ministryEvery: number;
	ministryPhase: number;
	skipRate: number;
	missRate: number;
	attendanceSource: string;
}

/** The traits of the school with hash `h` under the seed hash `seedH`. */
export function traitsFor(seedH: number, h: number, rural: boolean): SchoolTraits {
	const flaky = u01(seedH, h, S.flaky) < 0.05;
	const chronic = u01(seedH, h, S.chronic) < 0.03;
	const behind = u01(seedH, h, S.behind) < 0.08;
	return {
		rural,
		flaky,
		chronic,
		behind,
		ministryNever: behind && u01(seedH, h, S.ministryNever) < 0.12,
		attendanceOffset: (u01(seedH, h, S.offset) - 0.5) * 0.03,
		chronicDip: chronic ? 0.06 + 0.04 * u01(seedH, h, S.chronic, 2) : 0,
		libraryEngagement: 0.4 + 1.2 * u01(seedH, h, S.engagement),
		syncBase: between(u01(seedH, h, S.syncBase), 0, 75),
		ministryEvery: behind ? between(u01(seedH, h, S.ministryEvery), 5, 30) : 1,
		ministryPhase: between(u01(seedH, h, S.ministryPhase), 0, 29),
		skipRate: behind ? 0.25 : flaky ? 0.1 : 0.02,
		missRate: flaky ? 0.01 : rural ? 0.003 : 0.001,
		attendanceSource: u01(seedH, h, S.source) < 0.7 ? 'smas' : 'vnedu'
	};
}

/** Whether a district is rural: its `kind` in the registry's areas, else RURAL_DISTRICTS. */
export function ruralTest(registry: SimRegistry): (areaId: string) => boolean {
	const kinds = new Map<string, string>();
	for (const a of registry.areas ?? []) if (a.kind) kinds.set(a.area_id, a.kind);
	return (id) => (kinds.has(id) ? kinds.get(id) === 'rural' : RURAL_DISTRICTS.includes(id));
}

/** The simulated character of a school under a seed (for tests, demos and the report). */
export function schoolTraits(
	school: School,
	opts: { seed?: number; areas?: Area[] } = {}
): SchoolTraits {
	return traitsFor(
		seedHash(opts.seed ?? DEFAULT_SEED),
		hashStr(school.school_id),
		ruralTest({ schools: [], areas: opts.areas })(school.area_id)
	);
}
