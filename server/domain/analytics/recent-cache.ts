/**
 * A map that keeps only its `max` most recently used entries, for the analytics caches kept in this
 * process (a few trials' data states, not a store): reading or writing an entry makes it the newest,
 * and writing past `max` forgets the oldest. A Map iterates in insertion order, so re-inserting an
 * entry is how it becomes the newest.
 */
export class RecentCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
