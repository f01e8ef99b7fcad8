/**
 * Runs at most `concurrency` async tasks at once. Waiting tasks are grouped by
 * a key (the client's address) and served round-robin between keys, so one
 * address with a thousand waiting tasks delays another address's task by at
 * most one task per busy address, not by a thousand.
 */
export class Limiter {
  #running = 0;
  /** Insertion order is the round-robin order; a key is removed when its queue empties. */
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(readonly concurrency: number) {}

  get queued(): number {
    let count = 0;
    for (const queue of this.#waiting.values()) count += queue.length;
    return count;
  }

  async run<T>(task: () => Promise<T>, key = ''): Promise<T> {
    if (this.#running >= this.concurrency) {
      await new Promise<void>((resolve) => {
        const queue = this.#waiting.get(key);
        if (queue) queue.push(resolve);
        else this.#waiting.set(key, [resolve]);
      });
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#next();
    }
  }

  #next(): void {
    const first = this.#waiting.entries().next();
    if (first.done) {
      this.#running--;
      return;
    }
    const [key, queue] = first.value;
    const resolve = queue.shift();
    // Move the key to the back of the round-robin order, or drop it when empty.
    this.#waiting.delete(key);
    if (queue.length > 0) this.#waiting.set(key, queue);
    resolve?.();
  }
}
