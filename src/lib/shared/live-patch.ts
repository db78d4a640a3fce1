/**
 * Patches of a live topic's value: what changed since the frame before, so a screen that already
 * holds the last value is sent a few hundred bytes instead of the whole payload. At 5,000 schools
 * `wall.kpis` is ~250 kB, and most ticks only move its counters (`seq`, `at`), or a few schools.
 *
 * A patch replaces top-level keys whose value changed (`set`), removes those gone (`del`), and for
 * an array that kept most of its elements sends only the changed ones by index (`rows`) with the
 * new length (`len`). The hub sends a patch only when it is smaller than the whole value, and only
 * to screens that were sent the value it was made from (every screen of a topic gets every frame
 * in order, or is cut off and reconnects to a whole value). Pure: the server and the browser use it.
 */
export interface LivePatch {
	$patch: 1;
	set?: Record<string, unknown>;
	del?: string[];
	rows?: Record<string, [number, unknown][]>;
	len?: Record<string, number>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isPatch(v: unknown): v is LivePatch {
	return isObj(v) && v.$patch === 1;
}

/**
 * The patch from `prev` to `next` (both plain JSON objects), or null when `next` is not an object.
 * `prevJson` / `nextJson` of array elements are compared, so equal-looking values are equal.
 */
export function diffValues(prev: unknown, next: unknown): LivePatch | null {
	if (!isObj(prev) || !isObj(next)) return null;
	const patch: LivePatch = { $patch: 1 };
	for (const [k, v] of Object.entries(next)) {
		const p = prev[k];
		if (p === v) continue;
		if (Array.isArray(p) && Array.isArray(v) && v.length > 0) {
			const changed: [number, unknown][] = [];
			for (let i = 0; i < v.length; i++)
				if (i >= p.length || JSON.stringify(p[i]) !== JSON.stringify(v[i])) changed.push([i, v[i]]);
			if (changed.length === 0 && p.length === v.length) continue;
			if (changed.length * 2 < v.length) {
				(patch.rows ??= {})[k] = changed;
				(patch.len ??= {})[k] = v.length;
				continue;
			}
		} else if (JSON.stringify(p) === JSON.stringify(v)) continue;
		(patch.set ??= {})[k] = v;
	}
	for (const k of Object.keys(prev)) if (!(k in next)) (patch.del ??= []).push(k);
	return patch;
}

/** `prev` with the patch applied: a new object (arrays patched are copied), `prev` untouched. */
export function applyPatch<T>(prev: T, patch: LivePatch): T {
	const out: Obj = { ...(prev as Obj) };
	for (const k of patch.del ?? []) delete out[k];
	for (const [k, v] of Object.entries(patch.set ?? {})) out[k] = v;
	for (const [k, changes] of Object.entries(patch.rows ?? {})) {
		const arr = Array.isArray(out[k]) ? [...(out[k] as unknown[])] : [];
		arr.length = patch.len?.[k] ?? arr.length;
		for (const [i, v] of changes) arr[i] = v;
		out[k] = arr;
	}
	return out as T;
}
