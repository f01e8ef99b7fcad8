import { pino } from 'pino';
import type { ClusterHandler, Envelope } from '../../src/server/cluster/index.js';
import type { MemoryCluster } from '../../src/server/cluster/memory-store.js';
import type { ManualClock } from './manual-clock.js';

/** What the database says the counters are above (a real store in the tests that need one). */
export type StoredCounters = () => Promise<{ readonly largestGameId: number; readonly largestFence: number }>;

/**
 * A node of the in-process cluster with a handler that records what the
 * cluster tells it: enough to check leases, fencing and the relay without a
 * game service.
 */
export class RecordingNode {
  readonly cluster: MemoryCluster;
  /** The games this node referees: their players and its token. */
  readonly owned = new Map<number, { readonly players: readonly number[]; readonly fence: number }>();
  readonly lost: number[] = [];
  readonly received: Envelope[] = [];
  resets = 0;

  constructor(cluster: MemoryCluster, counters: StoredCounters = async () => ({ largestGameId: 0, largestFence: 0 })) {
    this.cluster = cluster;
    this.handler = {
      receive: (envelope) => this.received.push(envelope),
      leaseLost: (gameId) => {
        this.lost.push(gameId);
        this.owned.delete(gameId);
      },
      redisReset: () => {
        this.resets++;
      },
      onlineAccounts: () => [],
      ownedGames: () => this.owned.keys(),
      playersOf: (gameId) => this.owned.get(gameId)?.players ?? [],
      fenceOf: (gameId) => this.owned.get(gameId)?.fence ?? 0,
      storedCounters: counters,
      adoptOrphans: async () => {},
    };
  }

  readonly handler: ClusterHandler;

  get store() {
    return this.cluster.store;
  }

  start(): Promise<void> {
    return this.cluster.start(this.handler);
  }

  /** Takes the game over if nobody holds it; its token (0: refused) is kept as the referee's. */
  async take(gameId: number, players: readonly number[]): Promise<number> {
    const fence = await this.cluster.takeGame(gameId, players);
    if (fence !== 0) this.owned.set(gameId, { players, fence });
    return fence;
  }
}

export const silentLog = pino({ level: 'silent' });

/**
 * Moves the shared manual clock on in steps of `step` ms, letting the
 * nodes' asynchronous work (each store command a microtask) finish after each.
 */
export async function runFor(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    clock.advance(Math.min(step, left));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
