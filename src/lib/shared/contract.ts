/**
 * Event contract v1: what school systems, devices, library systems and sync jobs publish
 * on NATS subjects `edu.v1.<kind>.<district>.<school>`. Shared by ingest/ and the app.
 *
 * Privacy: events carry counts, never children. Every payload is `.strict()`, so a
 * field that is not in the contract (a student name, an id) is refused, not stored.
 */
import { z } from 'zod';
import { ID_PATTERN, idSchema, schoolSchema } from './registry';

export const SCHEMA_VERSION = 1;
export const SUBJECT_PREFIX = 'edu.v1';
export const EVENT_KINDS = ['attendance', 'device', 'library', 'completeness', 'registry'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/** Kinds that are telemetry about a known school (everything but registry changes). */
export const TELEMETRY_KINDS = ['attendance', 'device', 'library', 'completeness'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];

/** A message larger than this is refused before it is parsed. */
export const MAX_EVENT_BYTES = 16 * 1024;
/** Clocks drift; an event stamped further ahead than this is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Older than this is past raw retention and would be dropped by TTL anyway. */
export const MAX_AGE_MS = 400 * 24 * 3600_000;

export const DEVICE_KINDS = [
	'projector',
	'smart_tv',
	'interactive_board',
	'pc',
	'library_kiosk'
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DATASETS = [
	'school',
	'sites',
	'classes',
	'students',
	'staff',
	'facilities',
	'finance',
	'enrolment',
	'learning_results'
] as const;
export type Dataset = (typeof DATASETS)[number];
export const SESSIONS = ['morning', 'afternoon', 'full_day'] as const;

const EVENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9:_-]{7,79}$/;
const DEVICE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9:_.-]{0,95}$/;
const REASONS = ['power', 'network', 'hardware', 'maintenance', 'unknown'] as const;

const isoTs = z.iso.datetime({
	offset: true,
	message: 'must be an ISO 8601 date-time with a time zone'
});
const n = (max: number) =>
	z
		.number()
		.int('must be a whole number')
		.min(0, 'must not be negative')
		.max(max, `must be at most ${max}`);

const envelope = {
	/** unique per event; redelivery of the same event_id is counted once */
	event_id: z.string().regex(EVENT_ID_RE, 'must be 8–80 chars of letters, digits, ":", "_" or "-"'),
	schema: z.literal(SCHEMA_VERSION, { message: `schema must be ${SCHEMA_VERSION}` }),
	school_id: idSchema,
	/** when it happened at the source (not when it was sent) */
	ts: isoTs,
	/** the sending system, for support ("smas", "vnedu", "kiosk-fw-2.1", …) */
	source: z.string().max(64).optional()
};

export const attendancePayload = z
	.object({
		class: z.string().trim().min(1).max(32),
		grade: z.number().int().min(0, 'grade 0 is preschool').max(12),
		session: z.enum(SESSIONS),
		enrolled: n(200),
		present: n(200),
		absent_excused: n(200),
		absent_unexcused: n(200)
	})
	.strict()
	.superRefine((p, ctx) => {
		if (p.present > p.enrolled)
			ctx.addIssue({
				code: 'custom',
				path: ['present'],
				message: 'present exceeds enrolled',
				params: { reason: 'impossible_counts' }
			});
		else if (p.present + p.absent_excused + p.absent_unexcused !== p.enrolled)
			ctx.addIssue({
				code: 'custom',
				path: ['enrolled'],
				message: 'present + absent_excused + absent_unexcused must equal enrolled',
				params: { reason: 'impossible_counts' }
			});
	});

export const devicePayload = z
	.object({
		device_id: z
			.string()
			.regex(DEVICE_ID_RE, 'must be 1–96 chars of letters, digits, ":", "_", "." or "-"'),
		room: z.string().trim().min(1).max(64),
		device_kind: z.enum(DEVICE_KINDS),
		status: z.enum(['up', 'down']),
		/** heartbeat: the periodic "still here"; change: the device went up or down */
		event: z.enum(['heartbeat', 'change']),
		/** seconds this heartbeat vouches for; a device silent for longer counts as down */
		interval_s: z.number().int().min(10).max(3600).default(60),
		/** why it went down; on a change back to up, the reason of the outage that just ended */
		reason: z.enum(REASONS).optional()
	})
	.strict();

export const libraryPayload = z
	.object({
		/** length of the window the counts cover, in seconds: the counts are for (ts - period_s, ts] */
		period_s: z.number().int().min(1).max(86400),
		loans: n(10000),
		returns: n(10000),
		ebook_opens: n(100000),
		visits: n(10000)
	})
	.strict();

export const completenessPayload = z
	.object({
		dataset: z.enum(DATASETS),
		required_fields: z
			.number()
			.int()
			.min(1, 'a dataset has at least one required field')
			.max(10_000_000),
		filled_fields: n(10_000_000),
		records: n(1_000_000),
		/** names of required fields that are empty (at most 50 listed) */
		missing_fields: z.array(z.string().max(64)).max(50).default([]),
		last_sync_department: isoTs.nullable(),
		last_sync_ministry: isoTs.nullable()
	})
	.strict()
	.superRefine((p, ctx) => {
		if (p.filled_fields > p.required_fields)
			ctx.addIssue({
				code: 'custom',
				path: ['filled_fields'],
				message: 'filled_fields exceeds required_fields',
				params: { reason: 'impossible_counts' }
			});
	});

export const registryPayload = z
	.object({
		action: z.enum(['created', 'changed']),
		school: schoolSchema
	})
	.strict();

export const attendanceEvent = z
	.object({ kind: z.literal('attendance'), ...envelope, payload: attendancePayload })
	.strict();
export const deviceEvent = z
	.object({ kind: z.literal('device'), ...envelope, payload: devicePayload })
	.strict();
export const libraryEvent = z
	.object({ kind: z.literal('library'), ...envelope, payload: libraryPayload })
	.strict();
export const completenessEvent = z
	.object({ kind: z.literal('completeness'), ...envelope, payload: completenessPayload })
	.strict();
export const registryEvent = z
	.object({ kind: z.literal('registry'), ...envelope, payload: registryPayload })
	.strict();

export const eventSchemas = {
	attendance: attendanceEvent,
	device: deviceEvent,
	library: libraryEvent,
	completeness: completenessEvent,
	registry: registryEvent
} as const;

export const anyEvent = z.discriminatedUnion('kind', [
	attendanceEvent,
	deviceEvent,
	libraryEvent,
	completenessEvent,
	registryEvent
]);

export type AttendanceEvent = z.infer<typeof attendanceEvent>;
export type DeviceEvent = z.infer<typeof deviceEvent>;
export type LibraryEvent = z.infer<typeof libraryEvent>;
export type CompletenessEvent = z.infer<typeof completenessEvent>;
export type RegistryEvent = z.infer<typeof registryEvent>;
export type EduEvent = z.infer<typeof anyEvent>;
export type EventOf<K extends EventKind> = Extract<EduEvent, { kind: K }>;
/** What a producer writes (defaults not yet applied). */
export type EduEventInput = z.input<typeof anyEvent>;

/** `edu.v1.<kind>.<district>.<school>` */
export function subjectFor(kind: EventKind, districtId: string, schoolId: string): string {
	return `${SUBJECT_PREFIX}.${kind}.${districtId}.${schoolId}`;
}

/** Subject for a rejected message: `edu.v1.dlq.<reason>`, outside the events stream's `edu.v1.*.*.*`. */
export function dlqSubject(reason: RejectReason): string {
	return `${SUBJECT_PREFIX}.dlq.${reason}`;
}

/** Why a message was refused. Stable codes: callers and dashboards branch on these. */
export const REJECT_REASONS = [
	'oversized',
	'bad_encoding',
	'bad_json',
	'bad_subject',
	'unknown_kind',
	'schema_version',
	'missing_field',
	'wrong_type',
	'unknown_field',
	'invalid_value',
	'impossible_counts',
	'future_ts',
	'stale_ts',
	'unknown_school',
	'subject_mismatch'
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
	ok: false;
	reason: RejectReason;
	/** human-readable, names the field: "payload.present: present exceeds enrolled" */
	detail: string;
	kind: string;
	event_id: string;
	school_id: string;
}
export interface Accepted {
	ok: true;
	event: EduEvent;
}
export type ValidationResult = Accepted | Rejection;

/** What validation needs to know about the registry. */
export interface SchoolLookup {
	/** the district (or other routing area) of a known school, undefined when unknown */
	districtOf(schoolId: string): string | undefined;
}

export interface ValidateOptions {
	now?: number;
	/**
	 * When the message was sent (a JetStream message's stream timestamp), if known: `ts` may be at
	 * most MAX_FUTURE_SKEW_MS after it. So every stored event was sent no earlier than 5 minutes
	 * before its ts, which ingest's duplicate proof relies on (ingest/pipeline.ts).
	 */
	sentAt?: number;
	/** Accept subjects whose district token differs from the registry (e.g. during a reorganisation). Default false. */
	lenientDistrict?: boolean;
}

const SUBJECT_RE = /^edu\.v1\.([^.]+)\.([^.]+)\.([^.]+)$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

function reject(
	reason: RejectReason,
	detail: string,
	partial: Partial<Pick<Rejection, 'kind' | 'event_id' | 'school_id'>> = {}
): Rejection {
	return {
		ok: false,
		reason,
		detail,
		kind: partial.kind ?? '',
		event_id: partial.event_id ?? '',
		school_id: partial.school_id ?? ''
	};
}

function str(v: unknown): string {
	return typeof v === 'string' ? v.slice(0, 80) : '';
}

function classify(issue: z.core.$ZodIssue): RejectReason {
	if (issue.code === 'custom') {
		const r = (issue.params as { reason?: RejectReason } | undefined)?.reason;
		return r ?? 'invalid_value';
	}
	if (issue.code === 'invalid_type')
		return issue.input === undefined ? 'missing_field' : 'wrong_type';
	if (issue.code === 'unrecognized_keys') return 'unknown_field';
	if (issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'schema')
		return 'schema_version';
	return 'invalid_value';
}

// --- The telemetry fast path --------------------------------------------------------------------
// zod's parse of a telemetry event costs ~3-7 µs and a copy of the event: 1.1 s of the 9.9 s of
// JavaScript in a profiled backlog drain of 200,000 events (docs/ingest-performance.md). A
// telemetry event that is plainly valid as it stands (no string to trim, no default to fill in) is
// checked here by hand and kept as parsed; anything else (an error, a doubt) goes to zod, which
// gives the reason. The checks are the schemas' own (their patterns, enums and keys are read from
// them; the bounds are written again), and `contract-fast.spec.ts` holds this path to zod on every
// example and thousands of broken ones: whatever it accepts, zod accepts and returns unchanged.

/**
 * zod's own pattern for `ts` (an ISO 8601 date-time with an offset), so both read it alike. Should
 * a zod release stop exposing it, a pattern that matches nothing sends every event to zod.
 */
const zodPattern = (isoTs as unknown as { _zod?: { pattern?: unknown } })._zod?.pattern;
const ISO_TS_RE = zodPattern instanceof RegExp ? zodPattern : /(?!)/;
const oneOf = (values: readonly string[]) => {
	const set = new Set(values);
	return (v: unknown) => typeof v === 'string' && set.has(v);
};
const isSession = oneOf(SESSIONS);
const isDeviceKind = oneOf(DEVICE_KINDS);
const isStatus = oneOf(devicePayload.shape.status.options);
const isDeviceEvent = oneOf(devicePayload.shape.event.options);
const isReason = oneOf(REASONS);
const isDataset = oneOf(DATASETS);
const int = (v: unknown, min: number, max: number): v is number =>
	typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
/** a string zod's trim would leave as it is, within bounds */
const trimmed = (v: unknown, max: number): v is string =>
	typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim() === v;
const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
/** the keys the strict schemas know, from the schemas themselves */
const ENVELOPE_KEYS = new Set(['kind', ...Object.keys(envelope), 'payload']);
const PAYLOAD_KEYS: Record<TelemetryKind, Set<string>> = {
	attendance: new Set(Object.keys(attendancePayload.shape)),
	device: new Set(Object.keys(devicePayload.shape)),
	library: new Set(Object.keys(libraryPayload.shape)),
	completeness: new Set(Object.keys(completenessPayload.shape))
};
/** every key is one of `known` (the schemas are strict) */
function onlyKnown(o: Record<string, unknown>, known: Set<string>): boolean {
	for (const k in o) if (!Object.hasOwn(o, k) || !known.has(k)) return false;
	return true;
}
const isoOrNull = (v: unknown) => v === null || (typeof v === 'string' && ISO_TS_RE.test(v));

function payloadAsIs(kind: TelemetryKind, p: Record<string, unknown>): boolean {
	if (!onlyKnown(p, PAYLOAD_KEYS[kind])) return false;
	switch (kind) {
		case 'attendance': {
			const { enrolled, present, absent_excused: ex, absent_unexcused: un } = p;
			return (
				trimmed(p.class, 32) &&
				int(p.grade, 0, 12) &&
				isSession(p.session) &&
				int(enrolled, 0, 200) &&
				int(present, 0, 200) &&
				int(ex, 0, 200) &&
				int(un, 0, 200) &&
				present <= enrolled &&
				present + ex + un === enrolled
			);
		}
		case 'device':
			return (
				typeof p.device_id === 'string' &&
				DEVICE_ID_RE.test(p.device_id) &&
				trimmed(p.room, 64) &&
				isDeviceKind(p.device_kind) &&
				isStatus(p.status) &&
				isDeviceEvent(p.event) &&
				// absent, zod would fill in the default: a copy, so zod's
				int(p.interval_s, 10, 3600) &&
				(!('reason' in p) || isReason(p.reason))
			);
		case 'library':
			return (
				int(p.period_s, 1, 86400) &&
				int(p.loans, 0, 10000) &&
				int(p.returns, 0, 10000) &&
				int(p.ebook_opens, 0, 100000) &&
				int(p.visits, 0, 10000)
			);
		case 'completeness': {
			const m = p.missing_fields;
			return (
				isDataset(p.dataset) &&
				int(p.required_fields, 1, 10_000_000) &&
				int(p.filled_fields, 0, 10_000_000) &&
				int(p.records, 0, 1_000_000) &&
				p.filled_fields <= p.required_fields &&
				Array.isArray(m) &&
				m.length <= 50 &&
				m.every((f) => typeof f === 'string' && f.length <= 64) &&
				isoOrNull(p.last_sync_department) &&
				isoOrNull(p.last_sync_ministry)
			);
		}
	}
}

/**
 * true: `obj` is a valid `kind` event exactly as it stands (zod would accept it and return an
 * equal object). false: let zod decide, and say why when it refuses.
 */
export function telemetryAsIs(kind: TelemetryKind, obj: Record<string, unknown>): boolean {
	return (
		obj.kind === kind &&
		onlyKnown(obj, ENVELOPE_KEYS) &&
		typeof obj.event_id === 'string' &&
		EVENT_ID_RE.test(obj.event_id) &&
		obj.schema === SCHEMA_VERSION &&
		typeof obj.school_id === 'string' &&
		ID_PATTERN.test(obj.school_id) &&
		typeof obj.ts === 'string' &&
		ISO_TS_RE.test(obj.ts) &&
		(!('source' in obj) || (typeof obj.source === 'string' && obj.source.length <= 64)) &&
		isObject(obj.payload) &&
		payloadAsIs(kind, obj.payload)
	);
}

/**
 * Validate one message as it arrives: size, encoding, JSON, subject, contract, registry, clock.
 * Never throws; a refusal carries a stable reason code and a detail naming the field.
 */
export function validateMessage(
	subject: string,
	data: Uint8Array,
	schools: SchoolLookup,
	opts: ValidateOptions = {}
): ValidationResult {
	const now = opts.now ?? Date.now();
	if (data.byteLength > MAX_EVENT_BYTES)
		return reject(
			'oversized',
			`message is ${data.byteLength} bytes; the limit is ${MAX_EVENT_BYTES}`
		);
	const m = SUBJECT_RE.exec(subject);
	if (!m)
		return reject(
			'bad_subject',
			`subject "${subject.slice(0, 120)}" is not edu.v1.<kind>.<district>.<school>`
		);
	const [, subjectKind, subjectDistrict, subjectSchool] = m;
	if (!(EVENT_KINDS as readonly string[]).includes(subjectKind))
		return reject(
			'unknown_kind',
			`unknown kind "${subjectKind.slice(0, 40)}" in subject; known: ${EVENT_KINDS.join(', ')}`,
			{ kind: subjectKind }
		);

	let text: string;
	try {
		text = decoder.decode(data);
	} catch {
		return reject('bad_encoding', 'message is not valid UTF-8', { kind: subjectKind });
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		return reject('bad_json', `not JSON: ${(e as Error).message.slice(0, 120)}`, {
			kind: subjectKind
		});
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		return reject('bad_json', 'message must be a JSON object', { kind: subjectKind });
	const obj = raw as Record<string, unknown>;
	const ids = {
		kind: str(obj.kind) || subjectKind,
		event_id: str(obj.event_id),
		school_id: str(obj.school_id)
	};

	if (obj.kind === undefined) return reject('missing_field', 'kind: required', ids);
	if (typeof obj.kind !== 'string') return reject('wrong_type', 'kind: must be a string', ids);
	if (!(EVENT_KINDS as readonly string[]).includes(obj.kind))
		return reject('unknown_kind', `unknown kind "${obj.kind.slice(0, 40)}"`, ids);
	if (obj.kind !== subjectKind)
		return reject(
			'subject_mismatch',
			`kind "${obj.kind}" does not match subject kind "${subjectKind}"`,
			ids
		);

	let event: EduEvent;
	if (obj.kind !== 'registry' && telemetryAsIs(obj.kind as TelemetryKind, obj))
		event = obj as EduEvent;
	else {
		const parsed = eventSchemas[obj.kind as EventKind].safeParse(raw, { reportInput: true });
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const path = issue.path.join('.') || '(event)';
			return reject(classify(issue), `${path}: ${issue.message}`, ids);
		}
		event = parsed.data as EduEvent;
	}
	if (event.school_id !== subjectSchool)
		return reject(
			'subject_mismatch',
			`school_id "${event.school_id}" does not match subject school "${subjectSchool}"`,
			ids
		);

	const t = Date.parse(event.ts);
	const sent = Math.min(now, opts.sentAt ?? now);
	if (t > sent + MAX_FUTURE_SKEW_MS)
		return reject(
			'future_ts',
			`ts ${event.ts} is more than ${MAX_FUTURE_SKEW_MS / 60000} minutes ${sent < now ? 'after the message was sent' : 'in the future'}`,
			ids
		);
	if (t < now - MAX_AGE_MS)
		return reject(
			'stale_ts',
			`ts ${event.ts} is older than the ${MAX_AGE_MS / 86400000}-day retention`,
			ids
		);

	if (event.kind === 'registry') {
		if (event.payload.school.school_id !== event.school_id)
			return reject('subject_mismatch', 'payload.school.school_id must equal school_id', ids);
		return { ok: true, event };
	}
	const district = schools.districtOf(event.school_id);
	if (district === undefined)
		return reject('unknown_school', `school "${event.school_id}" is not in the registry`, ids);
	if (!opts.lenientDistrict && district !== subjectDistrict)
		return reject(
			'subject_mismatch',
			`school "${event.school_id}" belongs to "${district}", not "${subjectDistrict}"`,
			ids
		);
	return { ok: true, event };
}
