import { describe, expect, it } from 'vitest';
import {
	EVENT_KINDS,
	MAX_EVENT_BYTES,
	validateMessage,
	type RejectReason,
	type SchoolLookup
} from './contract';
import { examples, EXAMPLES_NOW } from './contract-examples';
import { contractFiles } from './contract-schema';
import { readFileSync } from 'node:fs';

const enc = new TextEncoder();
const schools: SchoolLookup = {
	districtOf: (id) => ({ 'ct-916-001': 'ninh-kieu', 'ct-925-004': 'co-do' })[id]
};
const now = EXAMPLES_NOW;
const subject = examples.attendance.subject;
const bytes = (v: unknown) => enc.encode(typeof v === 'string' ? v : JSON.stringify(v));
/** an example event as loose JSON, to be broken on purpose */
type Loose = Record<string, unknown> & { payload: Record<string, unknown> };
const att = () => structuredClone(examples.attendance.event) as unknown as Loose;

function reasonOf(subj: string, data: Uint8Array): RejectReason | 'ok' {
	const r = validateMessage(subj, data, schools, { now });
	return r.ok ? 'ok' : r.reason;
}

describe('contract v1 examples', () => {
	it.each(EVENT_KINDS)('the %s example validates', (kind) => {
		const ex = examples[kind];
		const r = validateMessage(ex.subject, bytes(ex.event), schools, { now });
		expect(r).toMatchObject({ ok: true });
	});

	it('the published JSON Schema files are up to date with the zod schemas', () => {
		for (const [name, content] of Object.entries(contractFiles())) {
			expect(
				readFileSync(`static/contract/v1/${name}`, 'utf8'),
				`${name}: run npm run contract:schema`
			).toBe(content);
		}
	});

	it('every kind has a schema that requires the envelope fields', () => {
		for (const kind of EVENT_KINDS) {
			const schema = JSON.parse(contractFiles()[`${kind}.schema.json`]);
			expect(schema.required).toEqual(
				expect.arrayContaining(['kind', 'event_id', 'schema', 'school_id', 'ts', 'payload'])
			);
			expect(schema.additionalProperties).toBe(false);
		}
	});
});

describe('malformed input is refused with a specific reason', () => {
	const cases: [string, () => [string, Uint8Array], RejectReason][] = [
		['bad JSON', () => [subject, bytes('{"kind": "attendance",')], 'bad_json'],
		['JSON that is not an object', () => [subject, bytes('[1,2]')], 'bad_json'],
		['invalid UTF-8', () => [subject, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])], 'bad_encoding'],
		[
			'unknown kind in the subject',
			() => [subject.replace('attendance', 'grades'), bytes(att())],
			'unknown_kind'
		],
		[
			'unknown kind in the body',
			() => [subject, bytes({ ...att(), kind: 'grades' })],
			'unknown_kind'
		],
		[
			'a subject of the wrong shape',
			() => ['edu.v1.attendance.ninh-kieu', bytes(att())],
			'bad_subject'
		],
		[
			'an unknown school',
			() => [
				subject.replace('ct-916-001', 'ct-916-999'),
				bytes({ ...att(), school_id: 'ct-916-999' })
			],
			'unknown_school'
		],
		[
			'a school filed under another district',
			() => [subject.replace('ninh-kieu', 'co-do'), bytes(att())],
			'subject_mismatch'
		],
		[
			'a body school differing from the subject',
			() => [subject, bytes({ ...att(), school_id: 'ct-925-004' })],
			'subject_mismatch'
		],
		[
			'a missing field',
			() => {
				const e = att();
				delete e.payload.class;
				return [subject, bytes(e)];
			},
			'missing_field'
		],
		[
			'a missing event_id',
			() => {
				const e = att();
				delete e.event_id;
				return [subject, bytes(e)];
			},
			'missing_field'
		],
		[
			'negative counts',
			() => {
				const e = att();
				e.payload.absent_unexcused = -1;
				return [subject, bytes(e)];
			},
			'invalid_value'
		],
		[
			'present > enrolled',
			() => {
				const e = att();
				e.payload.present = 39;
				return [subject, bytes(e)];
			},
			'impossible_counts'
		],
		[
			'counts that do not add up',
			() => {
				const e = att();
				e.payload.absent_excused = 5;
				return [subject, bytes(e)];
			},
			'impossible_counts'
		],
		[
			'a timestamp far in the future',
			() => [subject, bytes({ ...att(), ts: new Date(now + 3600_000).toISOString() })],
			'future_ts'
		],
		[
			'a timestamp past retention',
			() => [subject, bytes({ ...att(), ts: '2020-01-01T00:00:00Z' })],
			'stale_ts'
		],
		[
			'a timestamp without a zone',
			() => [subject, bytes({ ...att(), ts: '2026-11-27 07:32:10' })],
			'invalid_value'
		],
		[
			'an oversized payload',
			() => [subject, bytes({ ...att(), source: 'x'.repeat(MAX_EVENT_BYTES) })],
			'oversized'
		],
		[
			'wrong types',
			() => {
				const e = att();
				e.payload.enrolled = '42';
				return [subject, bytes(e)];
			},
			'wrong_type'
		],
		['a wrong schema version', () => [subject, bytes({ ...att(), schema: 2 })], 'schema_version'],
		[
			'a student name (unknown field)',
			() => {
				const e = att();
				e.payload.student_name = 'Nguyễn Văn A';
				return [subject, bytes(e)];
			},
			'unknown_field'
		],
		[
			'a device of an unknown kind',
			() => {
				const e = structuredClone(examples.device.event) as unknown as Loose;
				e.payload.device_kind = 'toaster';
				return [examples.device.subject, bytes(e)];
			},
			'invalid_value'
		],
		[
			'completeness filled > required',
			() => {
				const e = structuredClone(examples.completeness.event) as unknown as Loose;
				e.payload.filled_fields = (e.payload.required_fields as number) + 1;
				return [examples.completeness.subject, bytes(e)];
			},
			'impossible_counts'
		]
	];
	it.each(cases)('%s', (_name, make, reason) => {
		const [s, d] = make();
		expect(reasonOf(s, d)).toBe(reason);
	});

	it('refuses a ts more than 5 minutes after the message was sent, also when read later', () => {
		const e = { ...att(), ts: new Date(now - 60_000).toISOString() };
		// sent 7 minutes ago, read now: 6 minutes after its sending
		const late = validateMessage(subject, bytes(e), schools, { now, sentAt: now - 7 * 60_000 });
		expect(late.ok).toBe(false);
		if (!late.ok) {
			expect(late.reason).toBe('future_ts');
			expect(late.detail).toMatch(/after the message was sent/);
		}
		// sent 4 minutes before its ts: accepted
		expect(validateMessage(subject, bytes(e), schools, { now, sentAt: now - 5 * 60_000 }).ok).toBe(
			true
		);
	});

	it('names the field in the detail', () => {
		const e = att();
		e.payload.present = 39;
		const r = validateMessage(subject, bytes(e), schools, { now });
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.detail).toMatch(/^payload\.present: /);
			expect(r.event_id).toBe(e.event_id);
			expect(r.school_id).toBe('ct-916-001');
		}
	});

	it('accepts registry events for schools not yet in the registry', () => {
		const ex = examples.registry;
		expect(schools.districtOf(ex.event.school_id)).toBeUndefined();
		expect(reasonOf(ex.subject, bytes(ex.event))).toBe('ok');
	});
});
