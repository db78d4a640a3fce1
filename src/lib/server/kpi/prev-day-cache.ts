/**
 * The previous school day's attendance per school (the wall's comparison day), kept per process
 * while that day's version (day_versions: attendance events ever written for it) holds. The live
 * wall reads it once a day anyway; a replay is a fresh WallService per moment, so playing a
 * morning forward read the same closed day at every frame. A day not over yet (by the real clock),
 * or not a Vietnam day (a shifted demo clock), is read each time.
 */
import { DAY_MS, dayStartMs, localDay } from '../../shared/calendar';
import { perClient, type CH } from '../platform/clickhouse/client';
import { spanVersion } from './day-cache';
import { VersionedCache } from './versioned-cache';
import { attendanceBySchool, type AttendanceRow } from './queries';

/** Days kept at most (a wall asks one a day; replays of other days add theirs). */
const MAX_DAYS = 16;

export class PrevDayAttendance {
	private readonly days = new VersionedCache<number, Map<string, AttendanceRow>>(MAX_DAYS);
	readonly stats = this.days.stats;

	constructor(private readonly ch: CH) {}

	/** attendanceBySchool over the day starting at `dayStart`; `known`: attendance versions already read. */
	async get(
		dayStart: number,
		now: number,
		known?: ReadonlyMap<number, string>
	): Promise<Map<string, AttendanceRow>> {
		const day = localDay(dayStart);
		const read = () => attendanceBySchool(this.ch, dayStart, dayStart + DAY_MS, now);
		if (dayStartMs(day) !== dayStart || day >= localDay(Math.max(now, Date.now()))) return read();
		return this.days.get(day, await spanVersion(this.ch, 'attendance', day, day, known), read);
	}
}

/** The previous-day cache of a ClickHouse client (one per client, made on first use). */
export const prevDayAttendance = perClient((ch) => new PrevDayAttendance(ch));
