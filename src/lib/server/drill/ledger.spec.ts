import { describe, expect, it } from 'vitest';
import { FIELDS, emptyLedger, valuesOver, valuesOverSum, type Ledger } from './ledger';

/** The ledgers summed field by field and day by day, in order: what valuesOverSum must read as. */
function sumLedgers(day0: number, days: number, ls: readonly Ledger[]): Ledger {
	const out = emptyLedger(day0, days);
	for (const l of ls) for (const f of FIELDS) for (let i = 0; i < days; i++) out[f][i] += l[f][i];
	return out;
}

/** A ledger with pseudo-random counts (integers, and fractional usual library levels, some zero). */
function ledger(seed: number, day0: number, days: number): Ledger {
	let x = seed;
	const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
	const l = emptyLedger(day0, days);
	for (let i = 0; i < days; i++) {
		l.enrolled[i] = Math.floor(rnd() * 900);
		l.present[i] = Math.floor(l.enrolled[i] * (0.8 + rnd() * 0.2));
		l.hb[i] = Math.floor(rnd() * 5000);
		l.up[i] = l.hb[i] * 55;
		l.sched[i] = rnd() < 0.2 ? 0 : l.hb[i] * 60;
		l.lib[i] = Math.floor(rnd() * 40);
		l.libExp[i] = i % 10 === 0 || rnd() < 0.3 ? 0 : rnd() * 35.7;
	}
	return l;
}

describe('valuesOverSum', () => {
	it('gives what summing the ledgers and reading the range gives, to the last bit', () => {
		const ls = Array.from({ length: 37 }, (_, k) => ledger(k + 1, 1000, 400));
		for (const [d0, d1] of [
			[1000, 1399],
			[1028, 1392],
			[1390, 1390],
			[990, 1010],
			[1395, 1500]
		]) {
			const { completeness: _, ...sum } = valuesOver(sumLedgers(1000, 400, ls), d0, d1);
			expect(valuesOverSum(ls, d0, d1)).toEqual({ ...sum, completeness: null });
		}
		expect(valuesOverSum([], 1000, 1399)).toEqual({
			attendance: null,
			uptime: null,
			library: null,
			completeness: null
		});
	});
});
