/** One valid example per kind: published with the JSON Schema, and checked by the contract tests. */
import type { EduEventInput, EventKind } from './contract';

/** The moment the examples were written; validate them with `now` near this. */
export const EXAMPLES_NOW = Date.parse('2026-11-27T03:00:00Z');

export const examples: Record<EventKind, { subject: string; event: EduEventInput }> = {
	attendance: {
		subject: 'edu.v1.attendance.ninh-kieu.ct-916-001',
		event: {
			kind: 'attendance',
			event_id: 'smas-2026-11-27-3a1-morning',
			schema: 1,
			school_id: 'ct-916-001',
			ts: '2026-11-27T07:32:10+07:00',
			source: 'smas',
			payload: {
				class: '3A1',
				grade: 3,
				session: 'morning',
				enrolled: 38,
				present: 36,
				absent_excused: 1,
				absent_unexcused: 1
			}
		}
	},
	device: {
		subject: 'edu.v1.device.ninh-kieu.ct-916-001',
		event: {
			kind: 'device',
			event_id: 'hb-ct-916-001-d03-29405730',
			schema: 1,
			school_id: 'ct-916-001',
			ts: '2026-11-27T08:30:00+07:00',
			source: 'board-fw-4.2',
			payload: {
				device_id: 'ct-916-001-d03',
				room: 'Phòng học thông minh 1',
				device_kind: 'interactive_board',
				status: 'up',
				event: 'heartbeat',
				interval_s: 60
			}
		}
	},
	library: {
		subject: 'edu.v1.library.ninh-kieu.ct-916-001',
		event: {
			kind: 'library',
			event_id: 'lib-ct-916-001-2026-11-27-0915',
			schema: 1,
			school_id: 'ct-916-001',
			ts: '2026-11-27T09:15:00+07:00',
			source: 'elib',
			payload: { period_s: 900, loans: 12, returns: 7, ebook_opens: 31, visits: 45 }
		}
	},
	completeness: {
		subject: 'edu.v1.completeness.ninh-kieu.ct-916-001',
		event: {
			kind: 'completeness',
			event_id: 'sync-ct-916-001-students-2026-11-26',
			schema: 1,
			school_id: 'ct-916-001',
			ts: '2026-11-26T22:41:00+07:00',
			source: 'csdl-nganh',
			payload: {
				dataset: 'students',
				required_fields: 18400,
				filled_fields: 18122,
				records: 920,
				missing_fields: ['so_dien_thoai_phu_huynh', 'noi_sinh'],
				last_sync_department: '2026-11-26T22:41:00+07:00',
				last_sync_ministry: '2026-11-26T23:05:00+07:00'
			}
		}
	},
	registry: {
		subject: 'edu.v1.registry.ninh-kieu.ct-916-200',
		event: {
			kind: 'registry',
			event_id: 'reg-ct-916-200-created-20261127',
			schema: 1,
			school_id: 'ct-916-200',
			ts: '2026-11-27T08:00:00+07:00',
			source: 'so-gddt',
			payload: {
				action: 'created',
				school: {
					school_id: 'ct-916-200',
					name: 'Trường Mầm non Hoa Sen 3',
					area_id: 'ninh-kieu',
					ward: 'Phường An Khánh',
					levels: ['preschool'],
					lat: 10.0252,
					lon: 105.7471,
					enrolment: 240,
					classrooms: 10,
					multimedia_rooms: 0,
					smart_rooms: 0,
					devices: 1,
					elibrary: false
				}
			}
		}
	}
};
