import { describe, expect, it } from 'vitest';
import { demoShiftMs } from './demo-clock';

const H = 3600_000;
// local Vietnam times, given in UTC (+7)
const at = (iso: string) => Date.parse(iso);

describe('demo clock', () => {
	it('plays the real calendar during school hours of a school day', () => {
		expect(demoShiftMs(at('2026-11-24T03:00:00Z'))).toBe(0); // Tue 10:00
	});
	it("at the midday break plays the morning's class time, hours back", () => {
		expect(demoShiftMs(at('2026-11-24T05:00:00Z'))).toBe(2 * H); // Tue 12:00 → 10:00
		expect(demoShiftMs(at('2026-11-24T06:45:00Z'))).toBe(3 * H); // Tue 13:45 → 10:45
		expect(demoShiftMs(at('2026-11-24T07:10:00Z'))).toBe(0); // Tue 14:10
	});
	it('on a Saturday evening plays Friday school hours', () => {
		const now = at('2026-11-28T14:00:00Z'); // Sat 21:00
		const shift = demoShiftMs(now);
		const sim = new Date(now - shift + 7 * H);
		expect(sim.getUTCDay()).toBe(5);
		expect(sim.getUTCHours()).toBeGreaterThanOrEqual(14);
		expect(sim.getUTCHours()).toBeLessThan(15);
		expect(shift % H).toBe(0);
	});
	it('in the summer holiday plays a day of the school year', () => {
		const now = at('2026-07-15T03:00:00Z');
		const sim = new Date(now - demoShiftMs(now) + 7 * H);
		expect(sim.getUTCMonth() + 1).toBeLessThanOrEqual(5);
	});
});
