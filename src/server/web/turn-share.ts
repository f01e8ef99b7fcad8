import { addressKey } from '../limits/address-key.js';
import { Limiter } from '../limits/limiter.js';

/**
 * API work, one answer started per turn of the event loop, taken round-robin
 * between addresses. An answer costs a millisecond or two of synchronous
 * database work and serialization; dozens of connections asking at the same
 * moment would otherwise run back to back and hold every game's moves for
 * as long. Here a move waits for one answer at most, and an address with a
 * hundred requests waiting delays another's by one answer per busy address.
 */
export class TurnShare {
  readonly #limiter = new Limiter(1);

  /** Answers waiting for their turn. */
  get waiting(): number {
    return this.#limiter.queued;
  }

  /**
   * Starts `work` in a turn of its own. Only the start takes turns: work
   * that then waits (a password hash, a database across the network) lets
   * the next start go on without it.
   */
  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    await this.#limiter.run(() => new Promise<void>((resolve) => setImmediate(resolve)), addressKey(address));
    return work();
  }
}
