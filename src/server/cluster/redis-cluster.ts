import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import type { MatchmakingPolicy } from '../matchmaking.js';
import { redactedUrl } from '../redacted-url.js';
import type { Envelope, QueueEntry } from './envelope.js';
import { type Cluster, type ClusterHandler, ClusterStartError } from './index.js';
import { EPOCH_KEY, MATCHMAKER_KEY, nodeKey } from './keys.js';
import { GAME_LEASE_MS, GameLeases, seedCounters } from './leases.js';
import { type Claim, Presence } from './presence.js';
import { ClusterQueue } from './queue.js';
import { Relay, SENDER_OPTIONS } from './relay.js';

/** Node key and lease renewals. */
const HEARTBEAT_MS = 2_000;
const NODE_TTL_MS = 6_000;
/** Players' presence (20 s TTL) is renewed this often, not at every beat. */
const PRESENCE_RENEW_MS = 6_000;
const PAIR_ROUND_MS = 1_000;
/** How often the matchmaker looks at a page of stored games for those that no node owns. */
const ORPHAN_SCAN_MS = 1_000;
/** A login's Redis commands give up after this long while Redis is unreachable. */
const COMMAND_TIMEOUT_MS = 3_000;

export interface RedisClusterOptions {
  readonly url: string;
  readonly node: string;
  /** This node's game address, host:port, listed for clients (known once it listens). */
  readonly address: () => string;
  readonly log: Logger;
  readonly matchmaking?: MatchmakingPolicy;
  /** Heartbeats, pairing rounds and the outage rules go by it (the system clock unless a test gives its own). */
  readonly clock?: Clock;
}

/** The Cluster over Redis: see index.ts for the design. */
export class RedisCluster implements Cluster {
  readonly node: string;
  /** Logins, leases, the queue: commands that give up while Redis is unreachable. */
  readonly #commands: Redis;
  /** Relayed envelopes: never given up, they wait in order until Redis is back. */
  readonly #sender: Redis;
  readonly #reader: Redis;
  readonly #presence: Presence;
  readonly #leases: GameLeases;
  readonly #queue: ClusterQueue;
  readonly #relay: Relay;
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
  #lastError = '';
  /** Redis lost its data and the counters are not seeded again yet. */
  #unseeded = false;

  constructor(private readonly options: RedisClusterOptions) {
    this.node = options.node;
    this.#clock = options.clock ?? systemClock;
    this.#readySince = this.#clock.now();
    const retryStrategy = (times: number) => Math.min(100 * times, 1_000);
    // Auto-pipelining: the commands of one event-loop turn leave in one write (in order), not one system call each.
    this.#commands = new Redis(options.url, {
      lazyConnect: true,
      retryStrategy,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
    });
    this.#sender = new Redis(options.url, { lazyConnect: true, retryStrategy, ...SENDER_OPTIONS });
    this.#reader = new Redis(options.url, { lazyConnect: true, retryStrategy, maxRetriesPerRequest: null });
    for (const connection of [this.#commands, this.#sender, this.#reader]) connection.on('error', () => {});
    this.#commands.on('error', (error: Error) => {
      this.#lastError = error.message;
      this.#wentDown(error);
    });
    this.#commands.on('close', () => this.#wentDown(new Error('connection closed')));
    this.#commands.on('ready', () => void this.#heartbeat());
    this.#presence = new Presence(this.#commands, this.node);
    this.#leases = new GameLeases(this.#commands, this.node);
    this.#queue = new ClusterQueue(this.#commands, this.node, options.matchmaking);
    this.#relay = new Relay(this.#sender, this.#reader, this.node, options.log);
  }

  async start(handler: ClusterHandler): Promise<void> {
    this.#handler = handler;
    try {
      await Promise.all([this.#commands.connect(), this.#sender.connect(), this.#reader.connect()]).catch(
        (error: Error) => {
          throw new ClusterStartError(
            `cannot reach Redis at ${redactedUrl(this.options.url, 'the --cluster URL')} (${this.#lastError || error.message}); start it, or fix --cluster`,
          );
        },
      );
      const previous = await this.#commands.get(nodeKey(this.node));
      if (previous !== null && previous !== this.options.address())
        throw new ClusterStartError(
          `another node named ${this.node} is running (or stopped less than ${NODE_TTL_MS / 1000} s ago); give each node its own --node-name`,
        );
      await this.#commands.set(nodeKey(this.node), this.options.address(), 'PX', NODE_TTL_MS);
      await this.#commands.set(EPOCH_KEY, this.#epoch, 'NX');
      this.#epoch = (await this.#commands.get(EPOCH_KEY)) ?? this.#epoch;
      await seedCounters(this.#commands, await handler.storedCounters());
      await this.#relay.start((envelope) => this.#handler?.receive(envelope));
    } catch (error) {
      this.#disconnect();
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
      await this.#commands.del(nodeKey(this.node));
    } catch {
      // Redis unreachable: the key expires by itself.
    }
    await this.#relay.stop();
    this.#disconnect();
  }

  claim(accountId: number): Promise<Claim> {
    return this.#presence.claim(accountId).then((claim) => {
      if (claim.ok && claim.previous) this.send(claim.previous, { t: 'takeover', a: accountId });
      return claim;
    });
  }

  release(accountId: number): void {
    this.#quietly(this.#presence.release(accountId));
  }

  joinQueue(entry: Omit<QueueEntry, 'node' | 'key'>): void {
    this.#quietly(this.#queue.join({ ...entry, node: this.node, key: this.#nextQueueKey++ }));
  }

  leaveQueue(accountId: number): Promise<boolean> {
    return this.#queue.leave(accountId).catch(() => false);
  }

  queueTaken(accountId: number): void {
    this.#queue.taken(accountId);
  }

  findGame(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined> {
    return this.#leases.find(accountId);
  }

  gameOwners(gameIds: readonly number[]): Promise<(string | undefined)[]> {
    return this.#leases.owners(gameIds);
  }

  async liveNodes(nodes: readonly string[]): Promise<boolean[]> {
    if (nodes.length === 0) return [];
    const values = await this.#commands.mget(nodes.map(nodeKey));
    return values.map((value) => value !== null);
  }

  async takeGame(gameId: number, accountIds: readonly number[]): Promise<number> {
    // Right after Redis came back empty, owners re-assert their leases first.
    if (this.#clock.now() - this.#readySince < GAME_LEASE_MS) return 0;
    return this.#leases.take(gameId, accountIds);
  }

  /** A new game from the queue: this node owns it at once. */
  ownNewGame(gameId: number, accountIds: readonly number[], fence: number): void {
    this.#quietly(this.#leases.assert(gameId, accountIds, fence));
  }

  releaseGame(gameId: number): void {
    this.#quietly(this.#leases.release(gameId));
  }

  endGame(gameId: number, accountIds: readonly number[]): void {
    this.#quietly(this.#leases.end(gameId, accountIds));
  }

  forgetGame(accountId: number, gameId: number): void {
    this.#quietly(this.#leases.forget(accountId, gameId));
  }

  send(node: string, envelope: Envelope): void {
    this.#relay.send(node, envelope);
  }

  #quietly(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.#wentDown(error as Error));
  }

  /** Every 2 s: renews this node's keys; while Redis was unreachable, first sees whether it lost its data. */
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
    await this.#commands.set(nodeKey(this.node), this.options.address(), 'PX', NODE_TTL_MS);
    if (this.#unseeded) await this.#seed(handler);
    // Presence lives 20 s: renewed every third beat, as long as each renewal stays far within that.
    const now = this.#clock.now();
    if (now - this.#presenceRenewedAt >= PRESENCE_RENEW_MS) {
      await this.#presence.renew(handler.onlineAccounts());
      this.#presenceRenewedAt = now;
    }
    for (const gameId of await this.#leases.renewAll([...handler.ownedGames()])) handler.leaseLost(gameId);
  }

  async #pairRound(): Promise<void> {
    if (this.#pairing || this.#down) return;
    this.#pairing = true;
    try {
      await this.#queue.pairRound(this.#clock.now());
      const now = this.#clock.now();
      if (now - this.#lastOrphanScan >= ORPHAN_SCAN_MS && (await this.#isMatchmaker())) {
        this.#lastOrphanScan = now;
        await this.#handler?.adoptOrphans();
      }
    } catch (error) {
      this.#wentDown(error as Error);
    } finally {
      this.#pairing = false;
    }
  }

  async #isMatchmaker(): Promise<boolean> {
    return (await this.#commands.get(MATCHMAKER_KEY)) === this.node;
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

  /** Redis answers again (rejects while it does not). */
  async #cameBack(handler: ClusterHandler): Promise<void> {
    const epoch = await this.#commands.get(EPOCH_KEY);
    this.#down = false;
    // Leases may have expired meanwhile: owners renew theirs before anyone takes a game over.
    this.#readySince = this.#clock.now();
    if (epoch === this.#epoch) {
      await this.#renew(handler, { presence: true });
      this.options.log.warn('cluster: Redis reachable again');
      return;
    }
    // Redis restarted without its data: put back what this node knows, and have relayed players rejoin.
    // A new epoch (the first node back sets it), so that every node sees that its old one is gone.
    await this.#commands.set(EPOCH_KEY, randomUUID(), 'NX');
    this.#epoch = (await this.#commands.get(EPOCH_KEY)) ?? this.#epoch;
    this.#relay.resetPosition();
    this.#unseeded = true;
    await this.#renew(handler, { presence: true });
    await this.#queue.restore();
    handler.redisReset();
    for (const gameId of [...handler.ownedGames()]) {
      if (!(await this.#leases.assert(gameId, handler.playersOf(gameId), handler.fenceOf(gameId))))
        handler.leaseLost(gameId);
    }
    this.options.log.warn(
      'cluster: Redis reachable again, without its data: node, presence, leases and queue re-asserted',
    );
  }

  /**
   * After Redis lost its data: the counters go above the store's largest game
   * id and token before any game is paired or taken over (both wait for the
   * token counter). A store that cannot be read is tried again at the next
   * heartbeat; that is not a Redis outage.
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
    await seedCounters(this.#commands, stored);
    this.#unseeded = false;
  }

  #disconnect(): void {
    for (const connection of [this.#commands, this.#sender, this.#reader]) connection.disconnect();
  }
}
