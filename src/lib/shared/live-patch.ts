/**
 * Patches of a live topic's value: what changed since the frame before, so a screen that already
 * holds the last value is sent a few hundred bytes instead of the whole payload. At 5,000 schools
 * `wall.kpis` is ~250 kB, and most ticks only move its counters (`seq`, `at`), or a few schools.
 *
 * A patch replaces top-level keys whose value changed (`set`), removes those gone (`del`), and for
 * an array that kept most of its elements sends only the changed ones by index (`rows`) with the
 * new length (`len`). An element that is itself an array of the same length (a school's tuple) and
 * kept most of its cells is sent as its changed cells (`cells`: row, column, value): when a minute
 * turns, every school's uptime moves, and the whole tuples were a frame as large as the value
 * (~250 kB to each of a thousand screens, ~0.4 s of the server's event loop). The hub sends a
 * patch only when it is smaller than the whole value, and only to screens that were sent the value
 * it was made from (every screen of a topic gets every frame in order, or is cut off and reconnects
 * to a whole value). Pure: the server and the browser use it.
 */
export interface LivePatch {
	$patch: 1;
	set?: Record<string, unknown>;
	del?: string[];
	rows?: Record<string, [number, unknown][]>;
	cells?: Record<string, [number, number, unknown][]>;
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
			const rows: [number, unknown][] = [];
			const cells: [number, number, unknown][] = [];
			// elements sent, a cell patch counting as the share of its element's cells it sends
			let weight = 0;
			for (let i = 0; i < v.length; i++) {
				if (i < p.length) {
					// kept elements are the same objects (wall/service.ts keeps unchanged numbers)
					if (p[i] === v[i]) continue;
					// a tuple's differing cells, found in one pass (null: not two arrays of one length)
					const diff = cellDiff(p[i], v[i]);
					if (diff ? diff.length === 0 : same(p[i], v[i])) continue;
					const width = (v[i] as unknown[]).length;
					if (diff && diff.length * 2 < width) {
						for (const [j, x] of diff) cells.push([i, j, x]);
						weight += diff.length / width;
						continue;
					}
				}
				rows.push([i, v[i]]);
				weight += 1;
			}
			if (weight === 0 && p.length === v.length) continue;
			if (weight * 2 < v.length) {
				if (rows.length) (patch.rows ??= {})[k] = rows;
				if (cells.length) (patch.cells ??= {})[k] = cells;
				(patch.len ??= {})[k] = v.length;
				continue;
			}
		} else if (JSON.stringify(p) === JSON.stringify(v)) continue;
		(patch.set ??= {})[k] = v;
	}
	for (const k of Object.keys(prev)) if (!(k in next)) (patch.del ??= []).push(k);
	return patch;
}

/** Equal as JSON: by identity, or cell by cell for arrays of primitives, else by their JSON. */
function same(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
		for (let j = 0; j < a.length; j++) if (!same(a[j], b[j])) return false;
		return true;
	}
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** The cells in which `b` differs from `a` when both are arrays of one length; else null. */
function cellDiff(a: unknown, b: unknown): [number, unknown][] | null {
	if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return null;
	const out: [number, unknown][] = [];
	for (let j = 0; j < b.length; j++) if (!same(a[j], b[j])) out.push([j, b[j]]);
	return out;
}

/** `prev` with the patch applied: a new object (arrays patched are copied), `prev` untouched. */
export function applyPatch<T>(prev: T, patch: LivePatch): T {
	const out: Obj = { ...(prev as Obj) };
	for (const k of patch.del ?? []) delete out[k];
	for (const [k, v] of Object.entries(patch.set ?? {})) out[k] = v;
	const arrays = [patch.len, patch.rows, patch.cells].flatMap((o) => Object.keys(o ?? {}));
	for (const k of new Set(arrays)) {
		const arr = Array.isArray(out[k]) ? [...(out[k] as unknown[])] : [];
		arr.length = patch.len?.[k] ?? arr.length;
		for (const [i, v] of patch.rows?.[k] ?? []) arr[i] = v;
		// a changed element is copied before its cells are set: `prev` and its elements stay untouched
		const copied = new Set<number>();
		for (const [i, j, v] of patch.cells?.[k] ?? []) {
			if (!copied.has(i)) {
				arr[i] = [...(arr[i] as unknown[])];
				copied.add(i);
			}
			(arr[i] as unknown[])[j] = v;
		}
		out[k] = arr;
	}
	return out as T;
}
