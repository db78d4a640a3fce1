import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/platform/config';
import { CrashPoints } from './crash-points';

describe('crash points (test only)', () => {
	it('INGEST_CRASH_AT is honoured only when NODE_ENV=test', () => {
		expect(
			loadConfig({ INGEST_CRASH_AT: 'before-ack:3', NODE_ENV: 'test' }).ingest.crashAt
		).toEqual({
			point: 'before-ack',
			n: 3
		});
		expect(loadConfig({ INGEST_CRASH_AT: 'before-ack' }).ingest.crashAt).toBeUndefined();
		expect(
			loadConfig({ INGEST_CRASH_AT: 'before-ack', NODE_ENV: 'production' }).ingest.crashAt
		).toBeUndefined();
		expect(() => loadConfig({ INGEST_CRASH_AT: 'before ack!' })).toThrow(/INGEST_CRASH_AT/);
	});

	it('an unknown point stops the start', () => {
		expect(() => new CrashPoints({ point: 'after-lunch', n: 1 })).toThrow(/after-lunch/);
	});

	it('is due at the n-th arrival of its own point only; shutdown only once stopping', () => {
		const c = new CrashPoints({ point: 'before-ack', n: 2 });
		expect(c.due('before-insert')).toBe(false);
		expect(c.due('before-ack')).toBe(false);
		expect(c.due('before-ack')).toBe(true);
		expect(c.due('before-ack')).toBe(false);
		const s = new CrashPoints({ point: 'shutdown', n: 1 });
		expect(s.due('shutdown')).toBe(false);
		s.stopRequested();
		expect(s.due('shutdown')).toBe(true);
		const off = new CrashPoints();
		expect(off.due('before-ack')).toBe(false);
	});
});
