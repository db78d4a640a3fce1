/**
 * Hash-based randomness for the demo feed: every draw is a function of its inputs (seed,
 * school, day, minute…), never of call order, so any window can be regenerated identically.
 */

import { fnv1a } from '#shared/hash';

/** FNV-1a, 32 bit. */
export const hashStr = fnv1a;

/** murmur3's finaliser: a good avalanche for one 32-bit word. */
function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** Combine 32-bit words into one well-mixed hash. */
export function mix(a: number, b: number, c = 0, d = 0): number {
	let h = fmix(a ^ 0x9e3779b9);
	h = fmix(h ^ Math.imul(b | 0, 0xcc9e2d51));
	if (c) h = fmix(h ^ Math.imul(c | 0, 0x1b873593));
	if (d) h = fmix(h ^ Math.imul(d | 0, 0x27d4eb2f));
	return h;
}

/** A hash as a number in [0, 1). */
export function unit(h: number): number {
	return (h >>> 0) / 4294967296;
}

/** Shorthand: uniform [0, 1) from up to four words. */
export function u01(a: number, b: number, c = 0, d = 0): number {
	return unit(mix(a, b, c, d));
}

export type Rng = () => number;

/** mulberry32: a small, fast PRNG for a sequence of draws from one hashed seed. */
export function mulberry32(seed: number): Rng {
	let a = seed | 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Poisson draw (Knuth for small means, a rounded normal for large ones). */
export function poisson(rng: Rng, lambda: number): number {
	if (lambda <= 0) return 0;
	if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
	const l = Math.exp(-lambda);
	let k = 0;
	let p = 1;
	do {
		k++;
		p *= rng();
	} while (p > l);
	return k - 1;
}

/** Binomial draw by counting successes (n is a class size, so at most a few hundred). */
export function binomial(rng: Rng, n: number, p: number): number {
	if (p <= 0) return 0;
	if (p >= 1) return n;
	let k = 0;
	for (let i = 0; i < n; i++) if (rng() < p) k++;
	return k;
}

/** Standard normal (Box–Muller). */
export function normal(rng: Rng): number {
	const u = 1 - rng();
	const v = rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Integer in [lo, hi] inclusive. */
export function between(r: number, lo: number, hi: number): number {
	return lo + Math.floor(r * (hi - lo + 1));
}
