/** Map validated events to ClickHouse rows. */
import type { EduEvent, EventOf, TelemetryKind } from '#shared/contract';

export const RAW_TABLE: Record<TelemetryKind, string> = {
	attendance: 'attendance_raw',
	device: 'device_raw',
	library: 'library_raw',
	completeness: 'completeness_raw'
};

const utc = (iso: string) => new Date(iso).toISOString();
const utcOrNull = (iso: string | null) => (iso === null ? null : utc(iso));
const base = (e: EduEvent) => ({
	event_id: e.event_id,
	school_id: e.school_id,
	ts: utc(e.ts),
	source: e.source ?? ''
});

/** One raw-table row for a telemetry event. */
export function toRow(e: EventOf<TelemetryKind>): Record<string, unknown> {
	switch (e.kind) {
		case 'attendance':
			return { ...base(e), ...e.payload };
		case 'device':
			return { ...base(e), ...e.payload, reason: e.payload.reason ?? '' };
		case 'library':
			return { ...base(e), ...e.payload };
		case 'completeness':
			return {
				...base(e),
				...e.payload,
				last_sync_department: utcOrNull(e.payload.last_sync_department),
				last_sync_ministry: utcOrNull(e.payload.last_sync_ministry)
			};
	}
}
