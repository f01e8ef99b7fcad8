import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import type { MatchmakingPolicy } from '../matchmaking.js';
import { redactedUrl } from '../redacted-url.js';
import { ClusterStartError } from './index.js';
import { EPOCH_KEY, MATCHMAKER_KEY, nodeKey } from './keys.js';
import { GameLeases, seedCounters } from './leases.js';
import { Presence } from './presence.js';
import { ClusterQueue } from './queue.js';
import { Relay, SENDER_OPTIONS } from './relay.js';
import type { ConnectionEvents, SharedStore } from './shared-store.js';
import { SharedStoreCluster } from './shared-store-cluster.js';

/** A login's Redis commands give up after this long while Redis is unreachable. */
const COMMAND_TIMEOUT_MS = 3_000;

export interface RedisClusterOptions {
  readonly url: string;
  readonly node: string;
  /** This node's game address, host:port, listed for clients (known once it listens). */
  readonly address: () => string;
  readonly log: Logger;
  readonly matchmaking?: MatchmakingPolicy;
  /** Heartbeats, pairing rounds, relay pacing and the outage rules go by it (the system clock unless a test gives its own). */
  readonly clock?: Clock;
}

/** The Cluster over Redis: see index.ts for the design, shared-store-cluster.ts for the node's rules. */
export class RedisCluster extends SharedStoreCluster {
  constructor(options: RedisClusterOptions) {
    super(new RedisStore(options), options);
  }
}

/** One node's connections to Redis: the shared store of the cluster. */
export class RedisStore implements SharedStore {
  /** Logins, leases, the queue: commands that give up while Redis is unreachable. */
  readonly #commands: Redis;
  /** Relayed envelopes: never given up, they wait in order until Redis is back. */
  readonly #sender: Redis;
  readonly #reader: Redis;
  readonly presence: Presence;
  readonly leases: GameLeases;
  readonly queue: ClusterQueue;
  readonly relay: Relay;
  readonly #node: string;
  #lastError = '';

  constructor(private readonly options: RedisClusterOptions) {
    this.#node = options.node;
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
    this.presence = new Presence(this.#commands, this.#node);
    this.leases = new GameLeases(this.#commands, this.#node);
    this.queue = new ClusterQueue(this.#commands, this.#node, options.matchmaking);
    this.relay = new Relay(this.#sender, this.#reader, this.#node, options.log, options.clock ?? systemClock);
  }

  async connect(events: ConnectionEvents): Promise<void> {
    this.#commands.on('error', (error: Error) => {
      this.#lastError = error.message;
      events.down(error);
    });
    this.#commands.on('close', () => events.down(new Error('connection closed')));
    this.#commands.on('ready', () => events.ready());
    await Promise.all([this.#commands.connect(), this.#sender.connect(), this.#reader.connect()]).catch(
      (error: Error) => {
        throw new ClusterStartError(
          `cannot reach Redis at ${redactedUrl(this.options.url, 'the --cluster URL')} (${this.#lastError || error.message}); start it, or fix --cluster`,
        );
      },
    );
  }

  disconnect(): void {
    for (const connection of [this.#commands, this.#sender, this.#reader]) connection.disconnect();
  }

  async nodeAddress(node: string): Promise<string | undefined> {
    return (await this.#commands.get(nodeKey(node))) ?? undefined;
  }

  async setNode(address: string, ttlMs: number): Promise<void> {
    await this.#commands.set(nodeKey(this.#node), address, 'PX', ttlMs);
  }

  async deleteNode(): Promise<void> {
    await this.#commands.del(nodeKey(this.#node));
  }

  async liveNodes(nodes: readonly string[]): Promise<boolean[]> {
    const values = await this.#commands.mget(nodes.map(nodeKey));
    return values.map((value) => value !== null);
  }

  async claimEpoch(candidate: string): Promise<string> {
    await this.#commands.set(EPOCH_KEY, candidate, 'NX');
    return (await this.#commands.get(EPOCH_KEY)) ?? candidate;
  }

  async epoch(): Promise<string | undefined> {
    return (await this.#commands.get(EPOCH_KEY)) ?? undefined;
  }

  seedCounters(stored: { readonly largestGameId: number; readonly largestFence: number }): Promise<void> {
    return seedCounters(this.#commands, stored);
  }

  async matchmaker(): Promise<string | undefined> {
    return (await this.#commands.get(MATCHMAKER_KEY)) ?? undefined;
  }
}
