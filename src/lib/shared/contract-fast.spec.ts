/**
 * The telemetry fast path (contract.ts, telemetryAsIs) against zod: on every example and on
 * thousands of broken copies, whatever it accepts zod accepts too and returns unchanged; and it
 * takes the examples themselves, or it would save nothing.
 */
import { describe, expect, it } from 'vitest';
import { eventSchemas, telemetryAsIs, TELEMETRY_KINDS, type TelemetryKind } from './contract';
import { examples } from './contract-examples';

type Json = Record<string, unknown>;

/** values that are wrong, or right in a form zod would change, for some field */
const ODD: unknown[] = [
	undefined,
	null,
	'',
	' ',
	' x',
	'x ',
	'morning',
	'up',
	'heartbeat',
	'school',
	'power',
	'x'.repeat(32),
	'x'.repeat(33),
	'x'.repeat(64),
	'x'.repeat(65),
	'x'.repeat(96),
	'x'.repeat(97),
	'2026-11-27T03:00:00Z',
	'2026-11-27T03:00:00',
	'2026-02-30T03:00:00Z',
	'2026-11-27 03:00:00Z',
	'ct-916-001',
	'CT-916-001',
	'a',
	-1,
	0,
	1,
	1.5,
	9,
	10,
	12,
	13,
	200,
	201,
	3600,
	3601,
	86400,
	86401,
	10000,
	10001,
	100000,
	100001,
	1e6,
	1e6 + 1,
	1e7,
	1e7 + 1,
	2 ** 53,
	true,
	[],
	['a'],
	[1],
	Array.from({ length: 51 }, () => 'f'),
	{},
	{ a: 1 }
];

/** a small deterministic random source: the same cases on every run */
function lcg(seed: number) {
	let x = seed >>> 0;
	return () => {
		x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
		return x / 2 ** 32;
	};
}

/** copies of `event` with one or two fields (of the envelope or the payload) changed or removed, or a key added */
function* broken(event: Json, rand: () => number, n: number): Generator<Json> {
	const paths: string[][] = [
		...Object.keys(event).map((k) => [k]),
		...Object.keys(event.payload as Json).map((k) => ['payload', k]),
		['payload', 'reason'],
		['payload', 'extra'],
		['extra'],
		['source']
	];
	for (let i = 0; i < n; i++) {
		const copy = structuredClone(event);
		for (let j = 0; j < (rand() < 0.3 ? 2 : 1); j++) {
			const path = paths[Math.floor(rand() * paths.length)];
			const value = ODD[Math.floor(rand() * ODD.length)];
			const holder = (path.length === 2 ? copy.payload : copy) as Json;
			// the payload itself replaced by a value that is not an object: nothing inside to change
			if (typeof holder !== 'object' || holder === null) continue;
			const key = path[path.length - 1];
			if (value === undefined) delete holder[key];
			else holder[key] = structuredClone(value);
		}
		yield copy;
	}
}

describe('the telemetry fast path', () => {
	it.each(TELEMETRY_KINDS)('takes the %s example as it stands', (kind) => {
		const event = structuredClone(examples[kind].event) as Json;
		// a default zod would fill in must be there already: the examples are sent whole
		expect(telemetryAsIs(kind, event)).toBe(true);
		const z = eventSchemas[kind].safeParse(event);
		expect(z.success && z.data).toEqual(event);
	});

	it.each(TELEMETRY_KINDS)(
		'accepts a broken %s event only where zod accepts it and returns it unchanged',
		(kind) => {
			const rand = lcg(TELEMETRY_KINDS.indexOf(kind) + 1);
			let taken = 0;
			let refused = 0;
			for (const event of broken(examples[kind].event as Json, rand, 4000)) {
				const fast = telemetryAsIs(kind as TelemetryKind, event);
				const z = eventSchemas[kind].safeParse(event);
				if (fast) {
					taken++;
					expect(z.success, JSON.stringify(event)).toBe(true);
					expect(z.data, JSON.stringify(event)).toEqual(event);
				} else if (!z.success) refused++;
			}
			// both sides were exercised: some copies stay valid, most are refused
			expect(taken).toBeGreaterThan(20);
			expect(refused).toBeGreaterThan(1000);
		}
	);

	it('leaves to zod what zod would change: a string to trim, a default to fill in', () => {
		const att = structuredClone(examples.attendance.event) as Json;
		(att.payload as Json).class = ' 6A';
		expect(telemetryAsIs('attendance', att)).toBe(false);
		expect(eventSchemas.attendance.safeParse(att).success).toBe(true);
		const dev = structuredClone(examples.device.event) as Json;
		delete (dev.payload as Json).interval_s;
		expect(telemetryAsIs('device', dev)).toBe(false);
		expect(eventSchemas.device.safeParse(dev).success).toBe(true);
		const done = structuredClone(examples.completeness.event) as Json;
		delete (done.payload as Json).missing_fields;
		expect(telemetryAsIs('completeness', done)).toBe(false);
		expect(eventSchemas.completeness.safeParse(done).success).toBe(true);
	});

	it('does not take an event of another kind, or one with a `__proto__` key', () => {
		const lib = structuredClone(examples.library.event) as Json;
		expect(telemetryAsIs('attendance', lib)).toBe(false);
		const proto = JSON.parse(
			JSON.stringify(examples.library.event).replace(/^\{/, '{"__proto__":{"x":1},')
		);
		expect(telemetryAsIs('library', proto)).toBe(false);
	});
});
