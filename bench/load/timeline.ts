/** Something that happened at `at` (ms since the epoch). */
export interface Timed {
  readonly at: number;
}

/**
 * The last `capacity` timed entries, oldest first, added in time order. A
 * long soak keeps a bounded window of evidence: old entries are dropped.
 */
export class Timeline<T extends Timed> {
  readonly #entries: T[] = [];
  #start = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.length - this.#start;
  }

  add(entry: T): void {
    this.#entries.push(entry);
    if (this.size > this.capacity) this.#start++;
    // Compact now and then so the array does not grow with everything ever dropped.
    if (this.#start > this.capacity) {
      this.#entries.splice(0, this.#start);
      this.#start = 0;
    }
  }

  /** Entries with `from <= at <= to`, oldest first. */
  between(from: number, to: number): T[] {
    const found: T[] = [];
    for (let i = this.#lowerBound(from); i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (!entry || entry.at > to) break;
      found.push(entry);
    }
    return found;
  }

  latest(): T | undefined {
    return this.size > 0 ? this.#entries.at(-1) : undefined;
  }

  #lowerBound(at: number): number {
    let low = this.#start;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#entries[middle]?.at ?? Number.POSITIVE_INFINITY) < at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
