/**
 * Which waiting tasks go first: `first` ones (a player whose game waits for
 * them) before any `normal` one, and `last` ones (work that can wait, such as
 * rehashing a password already checked) only when nothing else waits.
 */
export type Priority = 'first' | 'normal' | 'last';

/**
 * Runs at most `concurrency` async tasks at once; the bound may be a function,
 * read each time a task could start (an adaptive pool: call `wake` when it
 * grew). Waiting tasks are grouped by a key (the client's address) and served
 * round-robin between keys, so one address with a thousand waiting tasks
 * delays another address's task by at most one task per busy address, not by
 * a thousand. Priorities are served in order (see Priority), each
 * round-robin between its own keys.
 */
export class Limiter {
  #running = 0;
  /** Per priority; insertion order is the round-robin order; a key is removed when its queue empties. */
  readonly #waiting: Record<Priority, Map<string, Array<() => void>>> = {
    first: new Map(),
    normal: new Map(),
    last: new Map(),
  };
  readonly #bound: () => number;

  constructor(concurrency: number | (() => number)) {
    this.#bound = typeof concurrency === 'number' ? () => concurrency : concurrency;
  }

  /** Tasks allowed at once now. */
  get concurrency(): number {
    return Math.max(1, this.#bound());
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    let count = 0;
    for (const waiting of Object.values(this.#waiting)) for (const queue of waiting.values()) count += queue.length;
    return count;
  }

  async run<T>(task: () => Promise<T>, key = '', priority: Priority = 'normal'): Promise<T> {
    if (this.#running >= this.concurrency) {
      await new Promise<void>((resolve) => {
        const waiting = this.#waiting[priority];
        const queue = waiting.get(key);
        if (queue) queue.push(resolve);
        else waiting.set(key, [resolve]);
      });
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#running--;
      this.wake();
    }
  }

  /** Starts waiting tasks while there is room (after a task ends, or when the bound grew). */
  wake(): void {
    while (this.#running < this.concurrency) {
      const resolve = this.#take('first') ?? this.#take('normal') ?? this.#take('last');
      if (!resolve) return;
      this.#running++;
      resolve();
    }
  }

  #take(priority: Priority): (() => void) | undefined {
    const waiting = this.#waiting[priority];
    const first = waiting.entries().next();
    if (first.done) return undefined;
    const [key, queue] = first.value;
    const resolve = queue.shift();
    // Move the key to the back of the round-robin order, or drop it when empty.
    waiting.delete(key);
    if (queue.length > 0) waiting.set(key, queue);
    return resolve;
  }
}
