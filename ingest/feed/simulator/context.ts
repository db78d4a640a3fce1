/**
 * The simulation context of a registry and a seed: the schools' static facts and traits, and
 * caches of the weather and the day plans. Memoised, which changes speed, not results.
 */
import type { School } from '#shared/registry';
import type { DayPlans } from './day';
import { staticOf, type StaticInfo } from './school';
import { seedHash } from './seed';
import { ruralTest, traitsFor, type SchoolTraits } from './traits';
import type { SimRegistry } from './types';
import { weatherFor, type Weather } from './weather';

export interface Ctx {
	schoolsRef: School[];
	count: number;
	seedH: number;
	statics: StaticInfo[];
	traits: SchoolTraits[];
	weather: Map<string, Weather>;
	plans: Map<number, DayPlans>;
}

const ctxCache = new WeakMap<object, Map<number, Ctx>>();

/** The context of a registry and a seed (built again when the registry's school list changes). */
export function contextFor(registry: SimRegistry, seed: number): Ctx {
	let bySeed = ctxCache.get(registry);
	if (!bySeed) ctxCache.set(registry, (bySeed = new Map()));
	let ctx = bySeed.get(seed);
	if (ctx && ctx.schoolsRef === registry.schools && ctx.count === registry.schools.length)
		return ctx;
	const seedH = seedHash(seed);
	const rural = ruralTest(registry);
	const statics = registry.schools.map(staticOf);
	ctx = {
		schoolsRef: registry.schools,
		count: registry.schools.length,
		seedH,
		statics,
		traits: statics.map((st) => traitsFor(seedH, st.h, rural(st.school.area_id))),
		weather: new Map(),
		plans: new Map()
	};
	bySeed.set(seed, ctx);
	return ctx;
}

/** A district's weather on a day, through the context's cache. */
export function weatherCached(ctx: Ctx, day: number, district: string): Weather {
	const key = `${day}|${district}`;
	let w = ctx.weather.get(key);
	if (!w) {
		if (ctx.weather.size > 2000) ctx.weather.clear();
		ctx.weather.set(key, (w = weatherFor(ctx.seedH, day, district)));
	}
	return w;
}
