/**
 * The day plans: for every school of the context, what it sends on a local day, by minute.
 */
import { dateKey, schoolHours } from '#shared/calendar';
import { planAttendance } from './attendance';
import { planCompleteness } from './completeness';
import { weatherCached, type Ctx } from './context';
import type { DayPlans, Planning, SchoolDay, Sparse } from './day';
import { planDevices } from './devices';
import { planLibrary } from './library';
import type { StaticInfo } from './school';
import { MINUTES_PER_DAY } from './seed';
import type { SchoolTraits } from './traits';

/** The plans of a day (the context keeps the last three days). */
export function plansFor(ctx: Ctx, day: number): DayPlans {
	let p = ctx.plans.get(day);
	if (p) return p;
	const active = new Uint8Array(MINUTES_PER_DAY);
	const days = ctx.statics.map((st, i) => planDay(ctx, st, ctx.traits[i], day, active));
	p = { days, active };
	// a live feed works on today (and briefly yesterday); a backfill walks forward
	if (ctx.plans.size >= 3) ctx.plans.delete(ctx.plans.keys().next().value as number);
	ctx.plans.set(day, p);
	return p;
}

function planDay(
	ctx: Ctx,
	st: StaticInfo,
	tr: SchoolTraits,
	day: number,
	active: Uint8Array
): SchoolDay {
	const school = st.school;
	const sparse = new Map<number, Sparse[]>();
	const key = dateKey(day);
	const hours = schoolHours({ day }, school.levels);
	const weather = weatherCached(ctx, day, school.area_id);
	const plan: SchoolDay = { inHours: null, offline: null, brokenFrom: null, sparse };
	const p: Planning = { seedH: ctx.seedH, st, tr, day, key, hours, weather, plan, active };

	planCompleteness(p);
	if (hours.length === 0) return plan;
	planDevices(p);
	planAttendance(p);
	if (school.elibrary) planLibrary(p);
	return plan;
}
