/** Shapes rounded to 5 decimals, as the seed stores them. */
import type { AreaGeometry, Ring } from '#shared/geo';
import { fail, round5 } from './random';

/** Rounds to 5 decimals and drops consecutive duplicate vertices, keeping rings closed. */
export function roundRing(ring: Ring): Ring {
	const out: Ring = [];
	for (const p of ring) {
		const q = [round5(p[0]), round5(p[1])];
		const last = out[out.length - 1];
		if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
	}
	const first = out[0];
	const last = out[out.length - 1];
	if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
	if (out.length < 4) fail('a ring collapsed when rounding');
	return out;
}

export function roundGeometry(g: AreaGeometry): AreaGeometry {
	if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(roundRing) };
	if (g.type === 'MultiPolygon')
		return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(roundRing)) };
	return fail(`unexpected geometry type ${(g as { type: string }).type}`);
}
