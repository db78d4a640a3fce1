/**
 * Completeness: a nightly sync (22:00–23:30) of the nine datasets, and a 06:00 status round
 * that reports last night's data (or the last night that synced).
 */
import { DATASETS } from '#shared/contract';
import { civil, dayOf, hm } from '#shared/calendar';
import { mix, mulberry32, u01 } from '../random';
import { DATASET_SPECS, emptyFieldPool, fillModel } from './datasets';
import { addSparse, type Planning } from './day';
import type { StaticInfo } from './school';
import { S } from './seed';
import { isoAt } from './time';
import type { SchoolTraits } from './traits';

const SYNC_BASE = hm(22);
export const STATUS_ROUND = hm(6);

/** Day number of the 5 September that opened the school year a day falls in. */
export function yearStartDay(day: number): number {
	const { year, month, day: d } = civil(day);
	const y = month > 9 || (month === 9 && d >= 5) ? year : year - 1;
	return dayOf(y, 9, 5);
}

/** The salts of the nightly sync's draws (bench/history draws with its own). */
export interface SyncSalts {
	skip: number;
	jitter: number;
}
const SYNC_SALTS: SyncSalts = { skip: S.syncSkip, jitter: S.syncJitter };

/** Whether the nightly sync of the school with hash `h` went through on a night. */
export function syncedOn(
	seedH: number,
	h: number,
	tr: SchoolTraits,
	night: number,
	salts: SyncSalts = SYNC_SALTS
): boolean {
	return u01(seedH, h, salts.skip, night) >= tr.skipRate;
}

/** The minute a night's sync starts: 22:00 + the school's usual delay + up to 14 minutes. */
export function syncMinuteOn(
	seedH: number,
	h: number,
	tr: SchoolTraits,
	night: number,
	salts: SyncSalts = SYNC_SALTS
): number {
	return SYNC_BASE + tr.syncBase + Math.floor(14 * u01(seedH, h, salts.jitter, night));
}

/** The last night before `day` whose sync went through (looking back 60 nights at most). */
export function lastSyncNight(day: number, synced: (night: number) => boolean): number {
	let last = day - 1;
	while (last > day - 60 && !synced(last)) last--;
	return last;
}

/**
 * The last ministry sync as of a night: none for a school that never syncs, the department's
 * own `dept` for one that syncs every night, else `iso` of its last ministry night.
 */
export function ministrySync(
	tr: SchoolTraits,
	night: number,
	dept: string | null,
	iso: (night: number) => string
): string | null {
	if (tr.ministryNever) return null;
	if (tr.ministryEvery <= 1) return dept;
	return iso(night - ((night + tr.ministryPhase) % tr.ministryEvery));
}

function syncIso(seedH: number, st: StaticInfo, tr: SchoolTraits, day: number): string {
	return isoAt(day, syncMinuteOn(seedH, st.h, tr, day), st.h % 50);
}

function completenessPayloads(
	seedH: number,
	st: StaticInfo,
	tr: SchoolTraits,
	night: number,
	lastSyncDept: string | null
) {
	const yearDays = Math.max(0, night - yearStartDay(night));
	const ministry = ministrySync(tr, night, lastSyncDept, (d) => syncIso(seedH, st, tr, d));
	return DATASETS.map((dataset, i) => {
		const spec = DATASET_SPECS[dataset];
		const records = spec.records(st, tr.rural);
		const required = Math.max(1, records) * spec.fields;
		const u = u01(seedH, st.h, S.completeness, i + 1);
		const [r0, slope, jitter] = fillModel(u, tr.behind);
		const ratio = Math.min(
			1,
			Math.max(
				0,
				r0 +
					yearDays * slope +
					(u01(seedH, st.h, S.completeness, (i + 1) * 1000 + night) - 0.5) * jitter
			)
		);
		const filled = Math.min(required, Math.round(required * ratio));
		const empty = required - filled;
		let missing: string[] = [];
		if (empty > 0) {
			const rng = mulberry32(mix(seedH, st.h, S.completeness, 77 + i));
			missing = emptyFieldPool(spec.missing, rng, tr.behind).slice(0, Math.min(empty, 50));
		}
		return {
			dataset,
			required_fields: required,
			filled_fields: filled,
			records,
			missing_fields: missing,
			last_sync_department: lastSyncDept,
			last_sync_ministry: ministry
		};
	});
}

/** Plan a school's completeness reports of a day: the 06:00 round and the nightly sync. */
export function planCompleteness(p: Planning): void {
	const { seedH, st, tr, day, key, active } = p;
	const { sparse } = p.plan;
	const emit = (
		minute: number,
		sec0: number,
		round: string,
		night: number,
		lastSync: string | null
	) => {
		const payloads = completenessPayloads(seedH, st, tr, night, lastSync);
		payloads.forEach((payload, i) => {
			const sec = sec0 + i * 6;
			const m = minute + Math.floor(sec / 60);
			addSparse(sparse, active, m, {
				sec: sec % 60,
				kind: 'completeness',
				build: () => ({
					kind: 'completeness',
					event_id: `sim-cmp-${st.sid}-${key}-${round}-${payload.dataset}`,
					schema: 1,
					school_id: st.school.school_id,
					ts: isoAt(day, m, sec % 60),
					source: 'csdl-nganh',
					payload
				})
			});
		});
	};
	// 06:00: the department's status of last night's data (or the last night that synced)
	const synced = (night: number) => syncedOn(seedH, st.h, tr, night);
	const last = lastSyncNight(day, synced);
	const lastSync = synced(last) ? syncIso(seedH, st, tr, last) : null;
	emit(STATUS_ROUND + (st.h % 15), 0, '0600', last, lastSync);
	// the nightly sync itself, unless the link or the school skipped it tonight
	if (synced(day)) {
		const minute = syncMinuteOn(seedH, st.h, tr, day);
		emit(minute, st.h % 50, 'sync', day, isoAt(day, minute, st.h % 50));
	}
}
