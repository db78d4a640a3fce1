/**
 * Values kept by key while the version they were read at holds (a day's or a span's versions from
 * day_versions), least recently used out first. The wall's and the views' caches of earlier days
 * keep their reads in one of these.
 */
export class VersionedCache<K, V> {
	private readonly kept = new Map<K, { version: string; value: V }>();
	readonly stats = { hits: 0, reads: 0 };

	constructor(private readonly max: number) {}

	/** The value kept under `key` if read at `version`, else `read()` (kept from then on). */
	async get(key: K, version: string, read: () => Promise<V>): Promise<V> {
		const hit = this.peek(key, version);
		if (hit !== undefined) {
			this.stats.hits++;
			return hit;
		}
		this.stats.reads++;
		const value = await read();
		this.put(key, version, value);
		return value;
	}

	/** The value kept under `key` if read at `version` (now the most recently used), else undefined. */
	peek(key: K, version: string): V | undefined {
		const hit = this.kept.get(key);
		if (!hit || hit.version !== version) return undefined;
		this.kept.delete(key);
		this.kept.set(key, hit);
		return hit.value;
	}

	/** Keep `value` under `key`, read at `version`; the least recently used go past `max`. */
	put(key: K, version: string, value: V): void {
		this.kept.delete(key);
		this.kept.set(key, { version, value });
		while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
	}
}
