/** Hand-made events for tests, with known numbers. */
import type { EduEventInput, EventKind } from '#shared/contract';
import { subjectFor } from '#shared/contract';
import type { Area, Registry, School } from '#shared/registry';
import { devicesOf } from '#shared/devices';

export const enc = new TextEncoder();

export function testRegistry(): Registry {
	const area = (area_id: string, name: string, kind: 'urban' | 'rural'): Area => ({
		area_id,
		parent_id: 'can-tho',
		level: 'district',
		name,
		name_en: '',
		kind,
		code: '',
		geometry: null
	});
	const school = (school_id: string, area_id: string, name: string): School => ({
		school_id,
		name,
		area_id,
		ward: '',
		levels: ['primary'],
		lat: 10.03,
		lon: 105.77,
		enrolment: 800,
		classrooms: 24,
		multimedia_rooms: 2,
		smart_rooms: 1,
		devices: 4,
		elibrary: true,
		elibrary_year: 2023,
		multimedia_year: 2023,
		smart_year: 2023,
		plan83: false,
		synthetic: true
	});
	return {
		areas: [
			{
				area_id: 'can-tho',
				parent_id: null,
				level: 'city',
				name: 'Thành phố Cần Thơ',
				name_en: 'Can Tho',
				kind: '',
				code: '92',
				geometry: null
			},
			area('ninh-kieu', 'Ninh Kiều', 'urban'),
			area('co-do', 'Cờ Đỏ', 'rural')
		],
		schools: [
			school('t-nk-1', 'ninh-kieu', 'Trường Tiểu học Thử Nghiệm 1'),
			school('t-nk-2', 'ninh-kieu', 'Trường Tiểu học Thử Nghiệm 2'),
			school('t-cd-1', 'co-do', 'Trường Tiểu học Cờ Đỏ Thử')
		]
	};
}

export interface Made {
	subject: string;
	event: EduEventInput;
}

/**
 * `n` valid events of mixed kinds over `schools`, deterministic from `prefix`, with ts in the
 * last hour before `now`. Attendance: enrolled 40, present 40 - (i % 4), excused (i % 4 > 1 ? 1 : 0).
 */
export function makeEvents(n: number, schools: School[], prefix: string, now = Date.now()): Made[] {
	const out: Made[] = [];
	const kinds: EventKind[] = ['attendance', 'device', 'device', 'library', 'completeness'];
	for (let i = 0; i < n; i++) {
		const s = schools[i % schools.length];
		const kind = kinds[i % kinds.length];
		const ts = new Date(now - 3600_000 + ((i * 997) % 3_500_000)).toISOString();
		const event_id = `${prefix}-${kind}-${String(i).padStart(7, '0')}`;
		const base = { event_id, schema: 1 as const, school_id: s.school_id, ts };
		let event: EduEventInput;
		if (kind === 'attendance') {
			const absent = i % 4;
			const excused = absent > 1 ? 1 : 0;
			event = {
				kind,
				...base,
				payload: {
					class: `${1 + (i % 5)}A${i % 3}`,
					grade: 1 + (i % 5),
					session: 'morning',
					enrolled: 40,
					present: 40 - absent,
					absent_excused: excused,
					absent_unexcused: absent - excused
				}
			};
		} else if (kind === 'device') {
			event = {
				kind,
				...base,
				payload: {
					device_id: `${s.school_id}-d0${i % 4}`,
					room: 'Phòng 1',
					device_kind: 'projector',
					status: i % 10 === 0 ? 'down' : 'up',
					event: 'heartbeat',
					interval_s: 60
				}
			};
		} else if (kind === 'library') {
			event = {
				kind,
				...base,
				payload: {
					period_s: 900,
					loans: i % 7,
					returns: i % 5,
					ebook_opens: i % 11,
					visits: 1 + (i % 9)
				}
			};
		} else {
			event = {
				kind: 'completeness',
				...base,
				payload: {
					dataset: 'students',
					required_fields: 1000,
					filled_fields: 900 + (i % 100),
					records: 50,
					missing_fields: [],
					last_sync_department: ts,
					last_sync_ministry: null
				}
			};
		}
		out.push({ subject: subjectFor(kind, s.area_id, s.school_id), event });
	}
	return out;
}

/** The numbers the KPIs must show for `events`. */
export function expectedTotals(events: Made[]) {
	const t = {
		attendance: 0,
		device: 0,
		library: 0,
		completeness: 0,
		enrolled: 0,
		present: 0,
		unexcused: 0,
		upHeartbeats: 0,
		loans: 0
	};
	for (const { event: e } of events) {
		if (e.kind === 'registry') continue;
		t[e.kind]++;
		if (e.kind === 'attendance') {
			t.enrolled += e.payload.enrolled;
			t.present += e.payload.present;
			t.unexcused += e.payload.absent_unexcused;
		}
		if (e.kind === 'device' && e.payload.status === 'up') t.upHeartbeats++;
		if (e.kind === 'library') t.loans += e.payload.loans;
	}
	return t;
}

/** A heartbeat of every device of each school, stamped `now` (what a live school sends each minute). */
export function heartbeats(
	schools: School[],
	now: number,
	tag: string,
	status: 'up' | 'down' = 'up'
): Made[] {
	const out: Made[] = [];
	const ts = new Date(now).toISOString();
	for (const s of schools)
		for (const d of devicesOf(s))
			out.push({
				subject: subjectFor('device', s.area_id, s.school_id),
				event: {
					kind: 'device',
					event_id: `hb-${tag}-${d.device_id}`,
					schema: 1,
					school_id: s.school_id,
					ts,
					payload: {
						device_id: d.device_id,
						room: d.room,
						device_kind: d.device_kind,
						status,
						event: 'heartbeat',
						interval_s: 60
					}
				}
			});
	return out;
}

/** One class's attendance report, stamped `now`. */
export function attendance(
	s: School,
	now: number,
	tag: string,
	enrolled: number,
	present: number
): Made {
	const absent = enrolled - present;
	return {
		subject: subjectFor('attendance', s.area_id, s.school_id),
		event: {
			kind: 'attendance',
			event_id: `att-${tag}-${s.school_id}`,
			schema: 1,
			school_id: s.school_id,
			ts: new Date(now).toISOString(),
			payload: {
				class: '5A',
				grade: 5,
				session: 'morning',
				enrolled,
				present,
				absent_excused: Math.floor(absent / 2),
				absent_unexcused: absent - Math.floor(absent / 2)
			}
		}
	};
}

/**
 * Hand-made events for fixtures (each with its own event id under `prefix`): a roll call of class
 * 5A's morning session, a device heartbeat, a library count, a completeness report.
 */
export function fixtureEvents(prefix: string) {
	let n = 0;
	const ev = (
		kind: EduEventInput['kind'],
		school: School,
		ts: number,
		payload: Record<string, unknown>
	) => {
		const event = {
			kind,
			event_id: `${prefix}-${String(n++).padStart(6, '0')}`,
			schema: 1,
			school_id: school.school_id,
			ts: new Date(ts).toISOString(),
			payload
		} as EduEventInput;
		return {
			subject: subjectFor(kind, school.area_id, school.school_id),
			data: enc.encode(JSON.stringify(event))
		};
	};
	return {
		ev,
		roll: (s: School, ts: number, enrolled: number, present: number, excused: number) =>
			ev('attendance', s, ts, {
				class: '5A',
				grade: 5,
				session: 'morning',
				enrolled,
				present,
				absent_excused: excused,
				absent_unexcused: enrolled - present - excused
			}),
		beat: (s: School, deviceIndex: number, ts: number) => {
			const d = devicesOf(s)[deviceIndex];
			return ev('device', s, ts, {
				device_id: d.device_id,
				room: d.room,
				device_kind: d.device_kind,
				status: 'up',
				event: 'heartbeat',
				interval_s: 60
			});
		},
		lib: (s: School, ts: number, visits: number) =>
			ev('library', s, ts, { period_s: 900, loans: 0, returns: 0, ebook_opens: 0, visits }),
		comp: (
			s: School,
			ts: number,
			dataset: string,
			required: number,
			filled: number,
			opts: { sync?: number; missing?: string[] } = {}
		) =>
			ev('completeness', s, ts, {
				dataset,
				required_fields: required,
				filled_fields: filled,
				records: 10,
				missing_fields: opts.missing ?? [],
				last_sync_department: new Date(opts.sync ?? ts).toISOString(),
				last_sync_ministry: null
			})
	};
}
