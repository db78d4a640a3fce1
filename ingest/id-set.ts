/**
 * A set of 64-bit hashes (two 32-bit halves) in typed arrays: open addressing, linear probing.
 * Held by RecentIds for hundreds of thousands of ids in the app's own process: a `Set<number>` of
 * 52-bit numbers boxes every one (a heap number each, for the collector to walk), this holds 8
 * bytes an entry at most half full. (0, 0) marks an empty slot, so a hash of (0, 0) is stored as
 * (0, 1): a collision of the two can only make an id look held, never the other way.
 */
export class IdSet {
	private hi: Uint32Array;
	private lo: Uint32Array;
	size = 0;

	constructor(capacity = 1024) {
		let c = 16;
		while (c < capacity * 2) c *= 2;
		this.hi = new Uint32Array(c);
		this.lo = new Uint32Array(c);
	}

	/** Add (hi, lo); true when it was not there. */
	add(hi: number, lo: number): boolean {
		if ((this.size + 1) * 2 > this.hi.length) this.grow();
		const i = this.slot(hi, lo);
		if (this.hi[i] !== 0 || this.lo[i] !== 0) return false;
		this.hi[i] = hi;
		this.lo[i] = hi === 0 && lo === 0 ? 1 : lo;
		this.size++;
		return true;
	}

	has(hi: number, lo: number): boolean {
		const i = this.slot(hi, lo);
		return this.hi[i] !== 0 || this.lo[i] !== 0;
	}

	/** Where (hi, lo) is, or the empty slot where it would go ((0, 0) is looked for as (0, 1)). */
	private slot(hi: number, lo: number): number {
		hi >>>= 0;
		lo = hi === 0 && lo === 0 ? 1 : lo >>> 0;
		const mask = this.hi.length - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const h = this.hi[i];
			const l = this.lo[i];
			if ((h === 0 && l === 0) || (h === hi && l === lo)) return i;
		}
	}

	private grow(): void {
		const { hi, lo } = this;
		this.hi = new Uint32Array(hi.length * 2);
		this.lo = new Uint32Array(lo.length * 2);
		this.size = 0;
		for (let i = 0; i < hi.length; i++) if (hi[i] !== 0 || lo[i] !== 0) this.add(hi[i], lo[i]);
	}
}
