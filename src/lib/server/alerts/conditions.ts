/**
 * Which alert conditions hold now, from measurements (a pure function: evaluate.ts reads the
 * measurements from ClickHouse). Times are the wall's (the DayClock: a demo clock's shifted day
 * has its own school hours). Each rule says when it is evaluated at all; outside that (a holiday,
 * before the cut-off, outside school hours) it is not evaluated, so its open alerts stay as they
 * are rather than being resolved by a quiet night.
 *
 * - attendance_missing: a school with a school day today that has no attendance report after `after`
 * - attendance_low: present ÷ enrolled under `below` after `after`
 * - uptime_low: a school's devices up under `below` over the last `minutes` of school hours
 * - school_silent: a school with devices (they report every minute) heard on no source for `minutes`
 *   of its school hours
 * - library_silent: no library event in the whole city for `minutes` of school hours (the library
 *   system, not a school, is down)
 * - completeness_low: sector data filled under `below`, or the last sync to the department older
 *   than `sync_hours`
 * - rejects_spike: more than `over` events rejected by ingest in the last `minutes`
 */
import type { AlertDetailArgs, AlertRule, RuleKind } from '../../shared/alerts';
import { isSchoolDay, localMinute } from '../../shared/calendar';
import type { School } from '../../shared/registry';
import type { Condition } from '../store/alerts';
import type { DayClock } from '../kpi/day-clock';

export interface Measurements {
	now: number;
	schools: readonly School[];
	districtOf: (s: School) => string | null;
	/** today's attendance so far: reports, present, enrolled */
	attendance: Map<string, { reports: number; present: number; enrolled: number }>;
	/** per rule window (minutes → per school up seconds and heartbeats in [from, to), the part of the
	 * window the stream covered: minutes before the first heartbeat heard anywhere are no data, not down) */
	devices: Map<
		number,
		{ from: number; to: number; schools: Map<string, { up_seconds: number; heartbeats: number }> }
	>;
	/** per school, the newest minute heard on any source (ms), within the longest silence window */
	lastHeard: Map<string, number>;
	/** the newest library event in the city (ms), or null */
	lastLibrary: number | null;
	completeness: Map<
		string,
		{ required: number; filled: number; last_sync_department: number | null }
	>;
	/** rejects per window (minutes → count) */
	rejects: Map<number, number>;
}

const hm = (s: string | undefined, dflt: number) => {
	const m = /^(\d{1,2}):(\d{2})$/.exec(s ?? '');
	return m ? Number(m[1]) * 60 + Number(m[2]) : dflt;
};
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function conditionsOf(
	rules: readonly AlertRule[],
	m: Measurements,
	clock: DayClock
): { evaluated: RuleKind[]; conditions: Condition[] } {
	const evaluated: RuleKind[] = [];
	const conditions: Condition[] = [];
	const day = clock.day(m.now);
	const minuteNow = localMinute(m.now - clock.shiftMs);
	const sched = clock.scheduledMinutesMemo();
	const add = (
		rule: RuleKind,
		s: School | null,
		value: number | null,
		detail: string,
		args: AlertDetailArgs
	) =>
		conditions.push({
			rule_id: rule,
			school_id: s?.school_id ?? '',
			district_id: s ? (m.districtOf(s) ?? '') : '',
			value,
			detail,
			args
		});
	const schoolDay = (s: School) => s.levels.some((l) => isSchoolDay({ day }, l));

	for (const r of rules) {
		if (!r.enabled) continue;
		const p = r.params;
		switch (r.id) {
			case 'attendance_missing':
			case 'attendance_low': {
				if (minuteNow < hm(p.after, 9 * 60)) break;
				evaluated.push(r.id);
				for (const s of m.schools) {
					if (!schoolDay(s)) continue;
					const a = m.attendance.get(s.school_id);
					if (r.id === 'attendance_missing' && !(a && a.reports > 0))
						add(r.id, s, null, `no attendance report since ${p.after}`, {
							key: 'attendance_missing',
							p: { after: p.after ?? '09:00' }
						});
					if (
						r.id === 'attendance_low' &&
						a &&
						a.enrolled > 0 &&
						a.present / a.enrolled < (p.below ?? 0.85)
					)
						add(
							r.id,
							s,
							a.present / a.enrolled,
							`attendance ${pct(a.present / a.enrolled)} < ${pct(p.below ?? 0.85)}`,
							{
								key: 'attendance_low',
								p: { value: a.present / a.enrolled, below: p.below ?? 0.85 }
							}
						);
				}
				break;
			}
			case 'uptime_low': {
				const minutes = p.minutes ?? 15;
				const w = m.devices.get(minutes);
				// only schools whose window lies wholly in school hours (the first minutes of the day
				// are not "down"), and only when the stream covered at least half of it
				const inHours = w
					? m.schools.filter(
							(s) =>
								(s.devices ?? 0) > 0 && sched(s.levels, w.to - minutes * 60_000, w.to) >= minutes
						)
					: [];
				if (!w || !inHours.length || w.to - w.from < (minutes * 60_000) / 2) break;
				evaluated.push(r.id);
				for (const s of inHours) {
					const scheduled = (s.devices ?? 0) * ((w.to - w.from) / 1000);
					const d = w.schools.get(s.school_id);
					if (!d || d.heartbeats === 0) continue; // silent: school_silent's business
					const up = Math.min(1, d.up_seconds / scheduled);
					if (up < (p.below ?? 0.8))
						add(r.id, s, up, `devices up ${pct(up)} over ${minutes} min < ${pct(p.below ?? 0.8)}`, {
							key: 'uptime_low',
							p: { value: up, minutes, below: p.below ?? 0.8 }
						});
				}
				break;
			}
			case 'school_silent': {
				const minutes = p.minutes ?? 20;
				// evaluated only while some school is in its hours: a quiet night resolves nothing
				const inHours = m.schools.filter(
					(s) => (s.devices ?? 0) > 0 && sched(s.levels, m.now - minutes * 60_000, m.now) >= minutes
				);
				if (!inHours.length) break;
				evaluated.push(r.id);
				for (const s of inHours) {
					const last = m.lastHeard.get(s.school_id) ?? 0;
					if (m.now - last >= minutes * 60_000)
						add(
							r.id,
							s,
							null,
							last
								? `nothing heard since ${new Date(last).toISOString()}`
								: `nothing heard for ${minutes} min`,
							last
								? { key: 'silent_since', p: { since: last } }
								: { key: 'silent_for', p: { minutes } }
						);
				}
				break;
			}
			case 'library_silent': {
				const minutes = p.minutes ?? 60;
				const open = m.schools.some(
					(s) => s.elibrary && sched(s.levels, m.now - minutes * 60_000, m.now) >= minutes
				);
				if (!open) break;
				evaluated.push(r.id);
				if (m.lastLibrary === null || m.now - m.lastLibrary >= minutes * 60_000)
					add(r.id, null, null, `no library event in the city for ${minutes} min`, {
						key: 'library_silent',
						p: { minutes }
					});
				break;
			}
			case 'completeness_low': {
				evaluated.push(r.id);
				for (const s of m.schools) {
					const c = m.completeness.get(s.school_id);
					if (!c || c.required === 0) continue;
					const v = c.filled / c.required;
					const overdue =
						c.last_sync_department === null ||
						m.now - c.last_sync_department > (p.sync_hours ?? 48) * 3_600_000;
					if (v < (p.below ?? 0.9) || overdue)
						add(
							r.id,
							s,
							v,
							`${pct(v)} filled${overdue ? `, last sync to the department over ${p.sync_hours ?? 48} h ago` : ''}`,
							{
								key: overdue ? 'completeness_overdue' : 'completeness_low',
								p: { value: v, hours: p.sync_hours ?? 48 }
							}
						);
				}
				break;
			}
			case 'rejects_spike': {
				const n = m.rejects.get(p.minutes ?? 5);
				if (n === undefined) break;
				evaluated.push(r.id);
				if (n > (p.over ?? 50))
					add(r.id, null, n, `${n} events rejected in ${p.minutes ?? 5} min`, {
						key: 'rejects_spike',
						p: { n, minutes: p.minutes ?? 5 }
					});
				break;
			}
		}
	}
	return { evaluated, conditions };
}
