import type { SqliteStore } from '../../src/server/store/sqlite-store.js';
import type { Store, TurnWrites } from '../../src/server/store/store.js';

/**
 * A real SQLite store whose commits wait at a gate while it is closed, as a
 * store across the network would keep them in flight.
 */
export class Gate {
  closed = true;
  readonly commits: TurnWrites[] = [];
  readonly #waiting: Array<() => void> = [];

  wrap(store: SqliteStore): Store {
    const commit = async (writes: TurnWrites) => {
      this.commits.push(writes);
      if (this.closed) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      return store.commit(writes);
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === 'commit') return commit;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Lets the commit waiting longest through. */
  pass(): void {
    this.#waiting.shift()?.();
  }

  open(): void {
    this.closed = false;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}
