import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import type { Envelope, QueueEntry } from './envelope.js';
import { type Cluster, type ClusterHandler, ClusterStartError } from './index.js';
import { GAME_LEASE_MS } from './leases.js';
import type { Claim } from './presence.js';
import type { SharedStore } from './shared-store.js';

/** Node key and lease renewals. */
export const HEARTBEAT_MS = 2_000;
export const NODE_TTL_MS = 6_000;
/** Players' presence (20 s TTL) is renewed this often, not at every beat. */
const PRESENCE_RENEW_MS = 6_000;
export const PAIR_ROUND_MS = 1_000;
/** How often the matchmaker looks at a page of stored games for those that no node owns. */
const ORPHAN_SCAN_MS = 1_000;

export interface SharedStoreClusterOptions {
  readonly node: string;
  /** This node's game address, host:port, listed for clients (known once it listens). */
  readonly address: () => string;
  readonly log: Logger;
  /** Heartbeats, pairing rounds and the outage rules go by it (the system clock unless a test gives its own). */
  readonly clock?: Clock;
}

/**
 * A node of the cluster over a shared store (Redis, or the in-process one of
 * memory-state.ts): see index.ts for the design. Every rule with time in it
 * goes by the Clock.
 */
export class SharedStoreCluster implements Cluster {
  readonly node: string;
  readonly #store: SharedStore;
  #handler: ClusterHandler | undefined;
  readonly #clock: Clock;
  readonly #stopTimers: Array<() => void> = [];
  #nextQueueKey = 1;
  #down = false;
  #readySince: number;
  #epoch: string = randomUUID();
  #lastOrphanScan = 0;
  #presenceRenewedAt = 0;
  #pairing = false;
  #beating = false;
  #stopped = false;
  /** Joined: from then on an outage is logged (before, `start` fails with one line). */
  #joined = false;
  /** The store lost its data and the counters are not seeded again yet. */
  #unseeded = false;

  constructor(
    store: SharedStore,
    private readonly options: SharedStoreClusterOptions,
  ) {
    this.node = options.node;
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
    this.#readySince = this.#clock.now();
  }

  async start(handler: ClusterHandler): Promise<void> {
    this.#handler = handler;
    const store = this.#store;
    try {
      await store.connect({ down: (error) => this.#wentDown(error), ready: () => void this.#heartbeat() });
      const previous = await store.nodeAddress(this.node);
      if (previous !== undefined && previous !== this.options.address())
        throw new ClusterStartError(
          `another node named ${this.node} is running (or stopped less than ${NODE_TTL_MS / 1000} s ago); give each node its own --node-name`,
        );
      await store.setNode(this.options.address(), NODE_TTL_MS);
      this.#epoch = await store.claimEpoch(this.#epoch);
      await store.seedCounters(await handler.storedCounters());
      await store.relay.start((envelope) => this.#handler?.receive(envelope));
    } catch (error) {
      store.disconnect();
      throw error;
    }
    this.#readySince = 0;
    this.#joined = true;
    this.#stopTimers.push(this.#clock.every(HEARTBEAT_MS, () => void this.#heartbeat()));
    this.#stopTimers.push(this.#clock.every(PAIR_ROUND_MS, () => void this.#pairRound()));
    this.options.log.info({ node: this.node }, 'cluster: node joined');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const stopTimer of this.#stopTimers) stopTimer();
    this.#stopTimers.length = 0;
    try {
      await this.#store.deleteNode();
    } catch {
      // The store unreachable: the key expires by itself.
    }
    await this.#store.relay.stop();
    this.#store.disconnect();
  }

  claim(accountId: number): Promise<Claim> {
    return this.#store.presence.claim(accountId).then((claim) => {
      if (claim.ok && claim.previous) this.send(claim.previous, { type: 'takeover', accountId: accountId });
      return claim;
    });
  }

  release(accountId: number): void {
    this.#quietly(this.#store.presence.release(accountId));
  }

  joinQueue(entry: Omit<QueueEntry, 'node' | 'key'>): void {
    this.#quietly(this.#store.queue.join({ ...entry, node: this.node, key: this.#nextQueueKey++ }));
  }

  leaveQueue(accountId: number): Promise<boolean> {
    return this.#store.queue.leave(accountId).catch(() => false);
  }

  queueTaken(accountId: number): void {
    this.#store.queue.taken(accountId);
  }

  findGame(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined> {
    return this.#store.leases.find(accountId);
  }

  gameOwners(gameIds: readonly number[]): Promise<(string | undefined)[]> {
    return this.#store.leases.owners(gameIds);
  }

  async liveNodes(nodes: readonly string[]): Promise<boolean[]> {
    if (nodes.length === 0) return [];
    return this.#store.liveNodes(nodes);
  }

  async takeGame(gameId: number, accountIds: readonly number[]): Promise<number> {
    // Right after the store came back empty, owners re-assert their leases first.
    if (this.#clock.now() - this.#readySince < GAME_LEASE_MS) return 0;
    return this.#store.leases.take(gameId, accountIds);
  }

  /** A new game from the queue: this node owns it at once. */
  ownNewGame(gameId: number, accountIds: readonly number[], fence: number): void {
    this.#quietly(this.#store.leases.assert(gameId, accountIds, fence));
  }

  releaseGame(gameId: number): void {
    this.#quietly(this.#store.leases.release(gameId));
  }

  endGame(gameId: number, accountIds: readonly number[]): void {
    this.#quietly(this.#store.leases.end(gameId, accountIds));
  }

  forgetGame(accountId: number, gameId: number): void {
    this.#quietly(this.#store.leases.forget(accountId, gameId));
  }

  send(node: string, envelope: Envelope): void {
    this.#store.relay.send(node, envelope);
  }

  #quietly(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.#wentDown(error as Error));
  }

  /** Every 2 s: renews this node's keys; while the store was unreachable, first sees whether it lost its data. */
  async #heartbeat(): Promise<void> {
    const handler = this.#handler;
    if (!handler || this.#beating || this.#stopped) return;
    this.#beating = true;
    try {
      if (this.#down) await this.#cameBack(handler);
      else await this.#renew(handler);
    } catch (error) {
      this.#wentDown(error as Error);
    } finally {
      this.#beating = false;
    }
  }

  async #renew(handler: ClusterHandler, { presence = false } = {}): Promise<void> {
    if (presence) this.#presenceRenewedAt = 0;
    await this.#store.setNode(this.options.address(), NODE_TTL_MS);
    if (this.#unseeded) await this.#seed(handler);
    // Presence lives 20 s: renewed every third beat, as long as each renewal stays far within that.
    const now = this.#clock.now();
    if (now - this.#presenceRenewedAt >= PRESENCE_RENEW_MS) {
      await this.#store.presence.renew(handler.onlineAccounts());
      this.#presenceRenewedAt = now;
    }
    for (const gameId of await this.#store.leases.renewAll([...handler.ownedGames()])) handler.leaseLost(gameId);
  }

  async #pairRound(): Promise<void> {
    if (this.#pairing || this.#down) return;
    this.#pairing = true;
    try {
      await this.#store.queue.pairRound(this.#clock.now());
      const now = this.#clock.now();
      if (now - this.#lastOrphanScan >= ORPHAN_SCAN_MS && (await this.#store.matchmaker()) === this.node) {
        this.#lastOrphanScan = now;
        await this.#handler?.adoptOrphans();
      }
    } catch (error) {
      this.#wentDown(error as Error);
    } finally {
      this.#pairing = false;
    }
  }

  #wentDown(error: Error): void {
    if (this.#down || this.#stopped) return;
    this.#down = true;
    if (!this.#joined) return;
    this.options.log.error(
      { err: error.message },
      'cluster: Redis unreachable; games on this node go on, relayed messages wait, logins are refused until it is back',
    );
  }

  /** The store answers again (rejects while it does not). */
  async #cameBack(handler: ClusterHandler): Promise<void> {
    const store = this.#store;
    const epoch = await store.epoch();
    this.#down = false;
    // Leases may have expired meanwhile: owners renew theirs before anyone takes a game over.
    this.#readySince = this.#clock.now();
    if (epoch === this.#epoch) {
      await this.#renew(handler, { presence: true });
      this.options.log.warn('cluster: Redis reachable again');
      return;
    }
    // The store restarted without its data: put back what this node knows, and have relayed players rejoin.
    // A new epoch (the first node back sets it), so that every node sees that its old one is gone.
    this.#epoch = await store.claimEpoch(randomUUID());
    store.relay.resetPosition();
    this.#unseeded = true;
    await this.#renew(handler, { presence: true });
    await store.queue.restore();
    handler.redisReset();
    for (const gameId of [...handler.ownedGames()]) {
      if (!(await store.leases.assert(gameId, handler.playersOf(gameId), handler.fenceOf(gameId))))
        handler.leaseLost(gameId);
    }
    this.options.log.warn(
      'cluster: Redis reachable again, without its data: node, presence, leases and queue re-asserted',
    );
  }

  /**
   * After the store lost its data: the counters go above the database's
   * largest game id and token before any game is paired or taken over (both
   * wait for the token counter). A database that cannot be read is tried
   * again at the next heartbeat; that is not an outage of the shared store.
   */
  async #seed(handler: ClusterHandler): Promise<void> {
    let stored: { readonly largestGameId: number; readonly largestFence: number };
    try {
      stored = await handler.storedCounters();
    } catch (error) {
      this.options.log.error(
        { err: (error as Error).message },
        'cluster: cannot read the store to seed game ids and fencing tokens; no game is paired or taken over until it can',
      );
      return;
    }
    await this.#store.seedCounters(stored);
    this.#unseeded = false;
  }
}
