import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { GameEvents } from './game-events.js';
import { DEFAULT_HASH_SLOT_TIMING, type HashSlotSettings, HashSlots } from './limits/hash-slots.js';
import { Limiter } from './limits/limiter.js';

/** How often, at most, the event loop's utilization is sampled for the hash pool's bound. */
const SAMPLE_MS = 250;

/**
 * libuv's thread pool, where every hash runs (Node's crypto and the Argon2
 * binding both use it), has UV_THREADPOOL_SIZE threads, 4 by default, and is
 * shared with asynchronous file I/O (the log). It cannot be resized from
 * inside an ES module (the loader has started it by then), so the hashes
 * adapt to it instead: one thread is always left for the rest.
 */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}

/** `--hash-concurrency`'s default: every core, as far as libuv's pool leaves a thread for the rest. */
export function defaultHashConcurrency(cores = availableParallelism(), poolSize = threadPoolSize()): number {
  return Math.max(1, Math.min(cores, poolSize - 1));
}

export interface HashPoolOptions {
  readonly clock: Clock;
  /** The games' events: a move handled means a game is being played. */
  readonly events: GameEvents;
  readonly maxSlots: number;
  /** Told when the bound changes (info: a flood beside play, or a storm on every core). */
  readonly log?: Logger;
  readonly timing?: Partial<Omit<HashSlotSettings, 'maxSlots'>>;
}

/**
 * The server's password-hash queue (logins, sign-ups, password changes,
 * rehashes): round-robin between addresses, players with a game waiting
 * first, and as many at once as HashSlots allows now, from the games' moves
 * and the event loop's measured utilization.
 */
export class HashPool {
  readonly queue: Limiter;
  readonly slots: HashSlots;
  readonly #stops: Array<() => void> = [];
  #lastSlots: number;

  constructor(options: HashPoolOptions) {
    const { clock } = options;
    this.slots = new HashSlots({ ...DEFAULT_HASH_SLOT_TIMING, ...options.timing, maxSlots: options.maxSlots });
    this.#lastSlots = options.maxSlots;
    this.#stops.push(options.events.subscribe({ moveHandled: () => this.slots.moveHandled(clock.now()) }));
    // Sampled when the bound is read (each time a hash could start or has ended), so no timer runs:
    // while hashes wait, one is running and its end reads the bound again.
    let last = performance.eventLoopUtilization();
    let sampledAt = clock.now();
    this.queue = new Limiter(() => {
      const now = clock.now();
      if (now - sampledAt >= SAMPLE_MS) {
        const current = performance.eventLoopUtilization();
        this.slots.loopSampled(performance.eventLoopUtilization(current, last).utilization, now);
        last = current;
        sampledAt = now;
      }
      const slots = this.slots.slots(now);
      if (slots !== this.#lastSlots) {
        options.log?.info(
          { hashSlots: slots, of: options.maxSlots },
          slots < options.maxSlots
            ? 'password hashing on its share: games need the CPU'
            : 'password hashing on every slot',
        );
        this.#lastSlots = slots;
      }
      return slots;
    });
  }

  /** Stops listening to the games (the pool keeps working at its last bound). */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}
