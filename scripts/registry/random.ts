/**
 * The generator's randomness and small helpers. No Math.random, no clock: every draw comes from
 * mulberry32 seeded by a hash of a fixed key.
 */
import { mulberry32, type Rng } from '#ingest/feed/random';
import { fnv1a } from '#shared/hash';

export type { Rng };

export const SEED = 83_2023;

/** An independent stream per key, so adding a draw in one place does not shift every other. */
export const rngFor = (key: string): Rng => mulberry32(fnv1a(`${SEED}:${key}`));

export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

export function gaussian(rng: Rng): number {
	const u = 1 - rng();
	const v = rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const round5 = (x: number): number => Number(x.toFixed(5));

export function fail(msg: string): never {
	throw new Error(`generate-registry: ${msg}`);
}
