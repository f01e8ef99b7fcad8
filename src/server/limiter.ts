/** Runs at most `concurrency` async tasks at once; the rest wait in order, up to `maxQueued`. */
export class Limiter {
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued = Number.POSITIVE_INFINITY,
  ) {}

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Rejects at once with LimiterFullError when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#queue.length >= this.maxQueued) throw new LimiterFullError();
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

export class LimiterFullError extends Error {
  constructor() {
    super('too many tasks waiting');
  }
}
