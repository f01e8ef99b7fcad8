/**
 * The in-process cluster: several nodes in one process (tests), each a
 * SharedStoreCluster over a MemoryStore, all sharing one MemoryClusterState
 * and one Clock. It runs the same node rules as the Redis cluster; only the
 * store differs, and the Redis tests are the contract that both behave the
 * same. Faults a test can cause: a node cut off from the store (`cut`,
 * `heal`), the store losing its data (`state.flush()`), the transport
 * delivering an envelope twice (`resendLast`).
 */

import type { Logger } from 'pino';
import { DEFAULT_MATCHMAKING, type MatchmakingPolicy, pairPlayers, type WaitingPlayer } from '../matchmaking.js';
import { decodeEnvelope, type Envelope, encodeEnvelope, type QueueEntry } from './envelope.js';
import { accountGameKey, EPOCH_KEY, gameKey, MATCHMAKER_KEY, nodeKey, presenceKey } from './keys.js';
import { GAME_LEASE_MS } from './leases.js';
import type { MemoryClusterState } from './memory-state.js';
import { type Claim, PRESENCE_TTL_MS } from './presence.js';
import { MATCHMAKER_LEASE_MS } from './queue.js';
import type {
  ConnectionEvents,
  LeaseStore,
  PresenceStore,
  QueueStore,
  RelayTransport,
  SharedStore,
} from './shared-store.js';
import { SharedStoreCluster } from './shared-store-cluster.js';

/** What a command to a node cut off from the store fails with. */
export const UNREACHABLE = 'the shared store is unreachable (cut off)';

export interface MemoryClusterOptions {
  readonly state: MemoryClusterState;
  readonly node: string;
  readonly log: Logger;
  /** Its game address (default: the node's name). */
  readonly address?: string;
  readonly matchmaking?: MatchmakingPolicy;
}

/** A node of the in-process cluster, on the state's clock. */
export class MemoryCluster extends SharedStoreCluster {
  readonly store: MemoryStore;

  constructor(options: MemoryClusterOptions) {
    const store = new MemoryStore(options.state, options.node, options.log, options.matchmaking);
    super(store, {
      node: options.node,
      address: () => options.address ?? options.node,
      log: options.log,
      clock: options.state.clock,
    });
    this.store = store;
  }
}

/** One node's connection to the in-process store. */
export class MemoryStore implements SharedStore {
  readonly presence: PresenceStore;
  readonly leases: LeaseStore;
  readonly queue: QueueStore;
  readonly relay: MemoryRelay;
  #cut = false;
  #events: ConnectionEvents | undefined;

  constructor(
    readonly state: MemoryClusterState,
    readonly node: string,
    readonly log: Logger,
    policy: MatchmakingPolicy = DEFAULT_MATCHMAKING,
  ) {
    this.presence = memoryPresence(this);
    this.leases = memoryLeases(this);
    this.queue = new MemoryQueue(this, policy);
    this.relay = new MemoryRelay(this);
  }

  get isCut(): boolean {
    return this.#cut;
  }

  /** Cut off from the store: commands fail, envelopes wait in order, the inbox is not read. */
  cut(): void {
    if (this.#cut) return;
    this.#cut = true;
    this.#events?.down(new Error(UNREACHABLE));
  }

  /** Reaches the store again: waiting envelopes go, the inbox is read on from where it was. */
  heal(): void {
    if (!this.#cut) return;
    this.#cut = false;
    this.relay.resume();
    this.#events?.ready();
  }

  /** The transport sends this node's last envelope again (ioredis resends an XADD whose reply was lost). */
  resendLast(): void {
    this.relay.resendLast();
  }

  /** One command: answered a microtask later, as over a connection; rejects while cut off. */
  async command<T>(work: (state: MemoryClusterState) => T): Promise<T> {
    await Promise.resolve();
    if (this.#cut) throw new Error(UNREACHABLE);
    return work(this.state);
  }

  async connect(events: ConnectionEvents): Promise<void> {
    this.#events = events;
    await this.command(() => undefined);
    events.ready();
  }

  disconnect(): void {
    this.#events = undefined;
    this.state.watchInbox(this.node, undefined);
  }

  nodeAddress(node: string): Promise<string | undefined> {
    return this.command((state) => state.get(nodeKey(node)));
  }

  setNode(address: string, ttlMs: number): Promise<void> {
    return this.command((state) => state.set(nodeKey(this.node), address, ttlMs));
  }

  deleteNode(): Promise<void> {
    return this.command((state) => state.delete(nodeKey(this.node)));
  }

  liveNodes(nodes: readonly string[]): Promise<boolean[]> {
    return this.command((state) => nodes.map((node) => state.get(nodeKey(node)) !== undefined));
  }

  claimEpoch(candidate: string): Promise<string> {
    return this.command((state) => {
      state.setIfAbsent(EPOCH_KEY, candidate);
      return state.get(EPOCH_KEY) ?? candidate;
    });
  }

  epoch(): Promise<string | undefined> {
    return this.command((state) => state.get(EPOCH_KEY));
  }

  seedCounters(stored: { readonly largestGameId: number; readonly largestFence: number }): Promise<void> {
    return this.command((state) => state.seed(stored.largestGameId, stored.largestFence));
  }

  matchmaker(): Promise<string | undefined> {
    return this.command((state) => state.get(MATCHMAKER_KEY));
  }
}

function memoryPresence(store: MemoryStore): PresenceStore {
  const node = store.node;
  return {
    async claim(accountId: number): Promise<Claim> {
      const [claimed, previous] = await store.command((state) =>
        state.claim(presenceKey(accountId), accountGameKey(accountId), node, PRESENCE_TTL_MS),
      );
      if (claimed !== 1) return { ok: false, elsewhere: previous };
      return { ok: true, previous: previous === '' || previous === node ? undefined : previous };
    },
    async release(accountId: number): Promise<void> {
      await store.command((state) => state.release(presenceKey(accountId), node));
    },
    async renew(accountIds: Iterable<number>): Promise<void> {
      const ids = [...accountIds];
      await store.command((state) => {
        for (const accountId of ids) state.hold(presenceKey(accountId), node, PRESENCE_TTL_MS);
      });
    },
  };
}

function memoryLeases(store: MemoryStore): LeaseStore {
  const node = store.node;
  return {
    take: (gameId, accountIds) => store.command((state) => state.takeGame(gameId, accountIds, node, GAME_LEASE_MS)),
    assert: (gameId, accountIds, fence) =>
      store.command((state) => state.assertGame(gameId, accountIds, node, GAME_LEASE_MS, fence)),
    renewAll: (gameIds) =>
      store.command((state) => gameIds.filter((gameId) => !state.hold(gameKey(gameId), node, GAME_LEASE_MS))),
    end: (gameId, accountIds) => store.command((state) => state.endGame(gameId, accountIds, node)),
    release: async (gameId) => {
      await store.command((state) => state.release(gameKey(gameId), node));
    },
    async find(accountId) {
      const id = await store.command((state) => state.get(accountGameKey(accountId)));
      if (id === undefined) return undefined;
      const gameId = Number(id);
      return { gameId, owner: await store.command((state) => state.get(gameKey(gameId))) };
    },
    owners: (gameIds) => store.command((state) => gameIds.map((gameId) => state.get(gameKey(gameId)))),
    // END_GAME with no holder: only the account's pointer, if it still names the game.
    forget: (accountId, gameId) => store.command((state) => state.endGame(gameId, [accountId], '')),
  };
}

interface Waiting extends WaitingPlayer {
  readonly entry: QueueEntry;
  readonly field: string;
  readonly text: string;
}

/** ClusterQueue's rules (queue.ts) over the in-process store. */
class MemoryQueue implements QueueStore {
  /** The entries this node added and has not seen removed, by account (their exact JSON). */
  readonly #mine = new Map<number, string>();

  constructor(
    private readonly store: MemoryStore,
    private readonly policy: MatchmakingPolicy,
  ) {}

  async join(entry: QueueEntry): Promise<void> {
    const text = JSON.stringify(entry);
    this.#mine.set(entry.accountId, text);
    await this.store.command((state) => state.queueSet(String(entry.accountId), text));
  }

  async leave(accountId: number): Promise<boolean> {
    const text = this.#mine.get(accountId);
    if (text === undefined) return false;
    this.#mine.delete(accountId);
    return this.store.command((state) => state.queueLeave(String(accountId), text));
  }

  taken(accountId: number): void {
    this.#mine.delete(accountId);
  }

  async restore(): Promise<void> {
    for (const [accountId, text] of this.#mine)
      await this.store.command((state) => state.queueSet(String(accountId), text, { ifAbsent: true }));
  }

  async pairRound(now: number, options: { withoutLease?: boolean } = {}): Promise<number> {
    const node = this.store.node;
    if (
      !options.withoutLease &&
      !(await this.store.command((state) => state.hold(MATCHMAKER_KEY, node, MATCHMAKER_LEASE_MS)))
    )
      return 0;
    const waiting: Waiting[] = [];
    for (const [field, text] of await this.store.command((state) => state.queueEntries())) {
      const entry = parseEntry(text);
      if (!entry) {
        await this.store.command((state) => state.queueDelete(field));
        continue;
      }
      const { key, accountId, rating, since } = entry;
      waiting.push({ key, accountId, rating, since, entry, field, text });
    }
    const nodes = [...new Set(waiting.map((player) => player.entry.node))];
    const found = await this.store.command((state) => nodes.map((each) => state.get(nodeKey(each)) !== undefined));
    const alive = new Set(nodes.filter((_, i) => found[i]));
    for (const player of waiting.filter((player) => !alive.has(player.entry.node)))
      await this.store.command((state) => state.queueLeave(player.field, player.text));
    let paired = 0;
    for (const { first, second } of pairPlayers(
      waiting.filter((player) => alive.has(player.entry.node)),
      now,
      this.policy,
    )) {
      const id = await this.store.command((state) =>
        state.pair({ ...first, node: first.entry.node }, second, (gameId, fence) =>
          encodeEnvelope({ type: 'pair', gameId, fence, black: first.entry, white: second.entry, now }),
        ),
      );
      if (id !== 0) paired++;
    }
    return paired;
  }
}

function parseEntry(text: string): QueueEntry | undefined {
  try {
    const entry = JSON.parse(text) as QueueEntry;
    const numbers = [entry.accountId, entry.rating, entry.since, entry.key];
    return numbers.every((n) => typeof n === 'number' && Number.isFinite(n)) && typeof entry.node === 'string'
      ? entry
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Relay's rules (relay.ts) over the in-process store: the inbox is read in
 * order from the last entry handled, each entry once; envelopes are sent as
 * their wire text and wait, in order, while the node is cut off.
 */
export class MemoryRelay implements RelayTransport {
  #lastId = 0;
  #receive: ((envelope: Envelope, from: string | undefined) => void) | undefined;
  /** Envelopes sent while cut off, in order: [node, text]. */
  readonly #waiting: [string, string][] = [];
  #lastSent: [string, string] | undefined;
  #reading = false;

  constructor(private readonly store: MemoryStore) {}

  async start(receive: (envelope: Envelope, from: string | undefined) => void): Promise<void> {
    this.#lastId = await this.store.command((state) => state.lastEntryId(this.store.node));
    this.#receive = receive;
    this.store.state.watchInbox(this.store.node, () => this.#wake());
  }

  send(node: string, envelope: Envelope): void {
    this.#waiting.push([node, encodeEnvelope(envelope)]);
    this.resume();
  }

  async stop(): Promise<void> {
    this.#receive = undefined;
    this.store.state.watchInbox(this.store.node, undefined);
  }

  resetPosition(): void {
    this.#lastId = 0;
  }

  /** Sends what waited (if the store is reachable) and reads what arrived meanwhile. */
  resume(): void {
    if (this.store.isCut) return;
    for (const sent of this.#waiting.splice(0)) {
      this.#lastSent = sent;
      this.store.state.append(...sent);
    }
    this.#wake();
  }

  resendLast(): void {
    if (this.#lastSent) this.store.state.append(...this.#lastSent);
  }

  /** Reads at the next microtask, not on the sender's stack (as a network read would). */
  #wake(): void {
    if (this.#reading || !this.#receive) return;
    this.#reading = true;
    queueMicrotask(() => {
      this.#reading = false;
      this.#read();
    });
  }

  #read(): void {
    if (this.store.isCut) return;
    for (const { id, text } of this.store.state.read(this.store.node, this.#lastId)) {
      const receive = this.#receive;
      if (!receive) return;
      this.#lastId = id;
      if (text === '{}') continue;
      const envelope = decodeEnvelope(text);
      if (!envelope) {
        this.store.log.error({ id }, 'cluster: malformed envelope ignored');
        continue;
      }
      try {
        receive(envelope, 'from' in envelope ? envelope.from : undefined);
      } catch (error) {
        this.store.log.error({ err: error, type: envelope.type }, 'cluster: handling an envelope failed');
      }
    }
  }
}
