/**
 * The in-process cluster's shared store: what Redis holds for a cluster
 * (keys with a time to live, the queue hash, the counters, the inbox
 * streams), kept in memory and aged by a Clock. Each method is one Redis
 * command or one Lua script of leases.ts, presence.ts, queue.ts and
 * redis-scripts.ts, with the same meaning; being synchronous it is atomic,
 * as a script is in Redis. Nodes reach it through memory-store.ts, which
 * adds the faults: a node cut off, the store losing its data, an envelope
 * delivered twice.
 */

import type { Clock } from '../clock.js';
import { accountGameKey, FENCE_KEY, GAME_IDS_KEY, gameKey, inboxKey, nodeKey } from './keys.js';
import { INBOX_MAX_LENGTH } from './queue.js';

interface Value {
  readonly value: string;
  /** Clock time at which the key is gone; undefined: never. */
  expiresAt: number | undefined;
}

/** An inbox entry: its id orders it (ids only grow, even across a flush). */
export interface InboxEntry {
  readonly id: number;
  readonly text: string;
}

export class MemoryClusterState {
  readonly #keys = new Map<string, Value>();
  /** The queue hash: account id -> entry JSON. */
  readonly #queue = new Map<string, string>();
  readonly #inboxes = new Map<string, InboxEntry[]>();
  #lastEntryId = 0;
  /** Told when an entry lands in a node's inbox. */
  readonly #inboxWatchers = new Map<string, () => void>();

  constructor(readonly clock: Clock) {}

  /** The store restarted without persistence: everything is gone. */
  flush(): void {
    this.#keys.clear();
    this.#queue.clear();
    this.#inboxes.clear();
  }

  get(key: string): string | undefined {
    const found = this.#keys.get(key);
    if (found?.expiresAt !== undefined && this.clock.now() >= found.expiresAt) {
      this.#keys.delete(key);
      return undefined;
    }
    return found?.value;
  }

  /** SET key value [PX ttl]: a new value drops any earlier time to live. */
  set(key: string, value: string, ttlMs?: number): void {
    this.#keys.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.clock.now() + ttlMs });
  }

  /** SET NX: true if it was set. */
  setIfAbsent(key: string, value: string, ttlMs?: number): boolean {
    if (this.get(key) !== undefined) return false;
    this.set(key, value, ttlMs);
    return true;
  }

  delete(key: string): void {
    this.#keys.delete(key);
  }

  /** The key's time to live left in ms (undefined: missing or none), as PTTL. */
  ttl(key: string): number | undefined {
    if (this.get(key) === undefined) return undefined;
    const expiresAt = this.#keys.get(key)?.expiresAt;
    return expiresAt === undefined ? undefined : expiresAt - this.clock.now();
  }

  #increment(key: string): number {
    const next = Number(this.get(key) ?? 0) + 1;
    this.set(key, String(next));
    return next;
  }

  /** HOLD (redis-scripts.ts): renewed if `holder` has it, taken if nobody does; false if another holds it. */
  hold(key: string, holder: string, ttlMs: number): boolean {
    const current = this.get(key);
    if (current !== undefined && current !== holder) return false;
    this.set(key, holder, ttlMs);
    return true;
  }

  /** RELEASE (redis-scripts.ts): deleted if `holder` has it. */
  release(key: string, holder: string): boolean {
    if (this.get(key) !== holder) return false;
    this.delete(key);
    return true;
  }

  /** CLAIM (presence.ts). */
  claim(presence: string, accountGame: string, node: string, ttlMs: number): [number, string] {
    const previous = this.get(presence);
    if (
      previous !== undefined &&
      previous !== node &&
      this.get(accountGame) === undefined &&
      this.get(nodeKey(previous)) !== undefined
    )
      return [0, previous];
    this.set(presence, node, ttlMs);
    return [1, previous ?? ''];
  }

  /** TAKE_GAME (leases.ts): the next token, 0 if the lease is held or the counter not seeded. */
  takeGame(gameId: number, accountIds: readonly number[], node: string, ttlMs: number): number {
    if (this.get(FENCE_KEY) === undefined || this.get(gameKey(gameId)) !== undefined) return 0;
    const fence = this.#increment(FENCE_KEY);
    this.set(gameKey(gameId), node, ttlMs);
    for (const accountId of accountIds) this.set(accountGameKey(accountId), String(gameId));
    return fence;
  }

  /** ASSERT_GAME (leases.ts). */
  assertGame(gameId: number, accountIds: readonly number[], node: string, ttlMs: number, fence: number): boolean {
    const holder = this.get(gameKey(gameId));
    if (holder !== undefined && holder !== node) return false;
    this.set(gameKey(gameId), node, ttlMs);
    const counter = this.get(FENCE_KEY);
    if (counter !== undefined && Number(counter) < fence) this.set(FENCE_KEY, String(fence));
    for (const accountId of accountIds) this.set(accountGameKey(accountId), String(gameId));
    return true;
  }

  /** END_GAME (leases.ts): the lease if `node` holds it, the pointers that still point at the game. */
  endGame(gameId: number, accountIds: readonly number[], node: string): void {
    if (this.get(gameKey(gameId)) === node) this.delete(gameKey(gameId));
    for (const accountId of accountIds)
      if (this.get(accountGameKey(accountId)) === String(gameId)) this.delete(accountGameKey(accountId));
  }

  /** SEED (leases.ts): raises each counter to at least the store's largest. */
  seed(largestGameId: number, largestFence: number): void {
    for (const [key, value] of [
      [GAME_IDS_KEY, largestGameId],
      [FENCE_KEY, largestFence],
    ] as const) {
      const current = this.get(key);
      if (current === undefined || Number(current) < value) this.set(key, String(value));
    }
  }

  queueEntries(): [string, string][] {
    return [...this.#queue];
  }

  queueSet(field: string, text: string, { ifAbsent = false } = {}): void {
    if (!ifAbsent || !this.#queue.has(field)) this.#queue.set(field, text);
  }

  queueDelete(field: string): void {
    this.#queue.delete(field);
  }

  /** LEAVE (queue.ts): removed only if it is still `text`. */
  queueLeave(field: string, text: string): boolean {
    if (this.#queue.get(field) !== text) return false;
    return this.#queue.delete(field);
  }

  /**
   * PAIR (queue.ts): both entries removed only if both are still there
   * unchanged and the token counter is seeded; then the game id and its first
   * token, and `pairText(id, fence)` appended to black's inbox. The game id, 0 if not paired.
   */
  pair(
    black: { readonly field: string; readonly text: string; readonly node: string },
    white: { readonly field: string; readonly text: string },
    pairText: (gameId: number, fence: number) => string,
  ): number {
    if (this.get(FENCE_KEY) === undefined) return 0;
    if (this.#queue.get(black.field) !== black.text || this.#queue.get(white.field) !== white.text) return 0;
    this.#queue.delete(black.field);
    this.#queue.delete(white.field);
    const id = this.#increment(GAME_IDS_KEY);
    const fence = this.#increment(FENCE_KEY);
    this.append(black.node, pairText(id, fence));
    return id;
  }

  /** XADD to a node's inbox (trimmed as MAXLEN ~ trims it); the entry's id. */
  append(node: string, text: string): number {
    const key = inboxKey(node);
    const inbox = this.#inboxes.get(key) ?? [];
    this.#inboxes.set(key, inbox);
    const entry = { id: ++this.#lastEntryId, text };
    inbox.push(entry);
    if (inbox.length > INBOX_MAX_LENGTH) inbox.splice(0, inbox.length - INBOX_MAX_LENGTH);
    this.#inboxWatchers.get(node)?.();
    return entry.id;
  }

  /** XREAD: the node's inbox entries after `afterId`, in order. */
  read(node: string, afterId: number): readonly InboxEntry[] {
    return (this.#inboxes.get(inboxKey(node)) ?? []).filter((entry) => entry.id > afterId);
  }

  /** The id of the inbox's last entry, 0 if it is empty. */
  lastEntryId(node: string): number {
    return this.#inboxes.get(inboxKey(node))?.at(-1)?.id ?? 0;
  }

  /** `wake` is called whenever an entry lands in the node's inbox (undefined: nobody reads it). */
  watchInbox(node: string, wake: (() => void) | undefined): void {
    if (wake) this.#inboxWatchers.set(node, wake);
    else this.#inboxWatchers.delete(node);
  }
}
