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
		if (hi === 0 && lo === 0) lo = 1;
		if ((this.size + 1) * 2 > this.hi.length) this.grow();
		const mask = this.hi.length - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const h = this.hi[i];
			const l = this.lo[i];
			if (h === 0 && l === 0) {
				this.hi[i] = hi;
				this.lo[i] = lo;
				this.size++;
				return true;
			}
			if (h === hi >>> 0 && l === lo >>> 0) return false;
		}
	}

	has(hi: number, lo: number): boolean {
		if (hi === 0 && lo === 0) lo = 1;
		const mask = this.hi.length - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const h = this.hi[i];
			const l = this.lo[i];
			if (h === 0 && l === 0) return false;
			if (h === hi >>> 0 && l === lo >>> 0) return true;
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
