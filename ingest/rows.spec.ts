import { describe, expect, it } from 'vitest';
import type { EventOf, TelemetryKind } from '#shared/contract';
import { toRow, utc } from './rows';

const base = { schema: 1 as const, school_id: 'ct-916-001', ts: '2026-12-07T10:00:00+07:00' };

describe('toRow', () => {
	it('gives each kind its raw columns: times in UTC, a missing reason and source empty', () => {
		const device = {
			...base,
			kind: 'device',
			event_id: 'hb-00000001',
			payload: {
				device_id: 'ct-916-001-r1',
				room: 'P.101',
				device_kind: 'projector',
				status: 'up',
				event: 'heartbeat',
				interval_s: 60
			}
		} as EventOf<TelemetryKind>;
		expect(toRow(device)).toEqual({
			event_id: 'hb-00000001',
			school_id: 'ct-916-001',
			ts: '2026-12-07T03:00:00.000Z',
			source: '',
			device_id: 'ct-916-001-r1',
			room: 'P.101',
			device_kind: 'projector',
			status: 'up',
			event: 'heartbeat',
			interval_s: 60,
			reason: ''
		});
		const completeness = {
			...base,
			kind: 'completeness',
			event_id: 'cp-00000001',
			source: 'smas',
			payload: {
				dataset: 'students',
				required_fields: 10,
				filled_fields: 9,
				records: 3,
				missing_fields: ['dob'],
				last_sync_department: '2026-12-06T22:00:00+07:00',
				last_sync_ministry: null
			}
		} as EventOf<TelemetryKind>;
		expect(toRow(completeness)).toMatchObject({
			source: 'smas',
			dataset: 'students',
			missing_fields: ['dob'],
			last_sync_department: '2026-12-06T15:00:00.000Z',
			last_sync_ministry: null
		});
	});

	it('makes a new object each time, which the writer adds its columns to', () => {
		const e = {
			...base,
			kind: 'library',
			event_id: 'lb-00000001',
			payload: { period_s: 900, loans: 1, returns: 2, ebook_opens: 3, visits: 4 }
		} as EventOf<TelemetryKind>;
		const a = toRow(e);
		a.stream_seq = 7;
		expect(toRow(e)).not.toHaveProperty('stream_seq');
		expect(e).not.toHaveProperty('stream_seq');
	});

	it('writes every time as toISOString would, whatever its form', () => {
		for (const ts of [
			'2026-12-07T03:00:00.000Z',
			'2028-02-29T23:59:59.999Z',
			'2026-12-07T03:00:00Z',
			'2026-12-07T03:00:00.5Z',
			'2026-12-07T10:00:00+07:00',
			'2026-12-06T20:00:00.123-07:00'
		])
			expect(utc(ts), ts).toBe(new Date(ts).toISOString());
	});
});
