import type { Redis } from 'ioredis';
import { DEFAULT_MATCHMAKING, type MatchmakingPolicy, pairPlayers, type WaitingPlayer } from '../matchmaking.js';
import type { QueueEntry } from './envelope.js';
import { FENCE_KEY, GAME_IDS_KEY, inboxKey, MATCHMAKER_KEY, NODE_KEY_PREFIX, QUEUE_KEY } from './keys.js';
import { holdLease } from './redis-scripts.js';
import type { QueueStore } from './shared-store.js';

/** The matchmaker's lease; renewed every pairing round (once a second). */
export const MATCHMAKER_LEASE_MS = 3_000;
/** Inbox streams are trimmed to about this many entries (a node reads its own within milliseconds). */
export const INBOX_MAX_LENGTH = 100_000;

/**
 * Removes both players from the queue only if both entries are still there,
 * unchanged, then hands out the game id and its first fencing token and tells
 * black's node, all at once: a player is never paired twice, whichever nodes
 * pair at the same moment. Nobody is paired while the token counter is not
 * seeded (Redis just lost its data).
 * KEYS: queue, game ids, black's inbox, fence counter; ARGV: black field, black entry, white field, white entry,
 * envelope tail, inbox length.
 */
const PAIR = `
if redis.call('EXISTS', KEYS[4]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] or redis.call('HGET', KEYS[1], ARGV[3]) ~= ARGV[4] then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1], ARGV[3])
local id = redis.call('INCR', KEYS[2])
local fence = redis.call('INCR', KEYS[4])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'e', '{"t":"pair","g":' .. id .. ',"f":' .. fence .. ',' .. ARGV[5])
return id`;

/** Removes an entry only if it is still the one given (a newer join of the account stays). */
const LEAVE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

interface Waiting extends WaitingPlayer {
  readonly entry: QueueEntry;
  readonly text: string;
}

/**
 * One queue for the cluster: a Redis hash of waiting players. Every node
 * may run `pairRound`; the lease lets one node at a time do the work, and the
 * atomic PAIR script, not the lease, guarantees that nobody is paired twice
 * (a node that lost its lease while pairing only loses its races).
 */
export class ClusterQueue implements QueueStore {
  /** The entries this node added and has not seen removed, by account (their exact JSON). */
  readonly #mine = new Map<number, string>();

  constructor(
    private readonly redis: Redis,
    private readonly node: string,
    private readonly policy: MatchmakingPolicy = DEFAULT_MATCHMAKING,
  ) {}

  async join(entry: QueueEntry): Promise<void> {
    const text = JSON.stringify(entry);
    this.#mine.set(entry.accountId, text);
    await this.redis.hset(QUEUE_KEY, String(entry.accountId), text);
  }

  /** True if the entry was still waiting; false if a pairing took it first. */
  async leave(accountId: number): Promise<boolean> {
    const text = this.#mine.get(accountId);
    if (text === undefined) return false;
    this.#mine.delete(accountId);
    return (await this.redis.eval(LEAVE, 1, QUEUE_KEY, String(accountId), text)) === 1;
  }

  /** The pairing took this entry (black's node was told): it is no longer ours to put back. */
  taken(accountId: number): void {
    this.#mine.delete(accountId);
  }

  /** After Redis lost its data: the entries of this node's waiting players go back. */
  async restore(): Promise<void> {
    for (const [accountId, text] of this.#mine) {
      await this.redis.hsetnx(QUEUE_KEY, String(accountId), text);
    }
  }

  /**
   * If this node holds (or takes) the matchmaker lease: pairs the whole queue
   * with today's policy, closest ratings first. Entries of nodes that are gone
   * are dropped. Returns how many pairs were made.
   */
  async pairRound(now: number, options: { withoutLease?: boolean } = {}): Promise<number> {
    if (!options.withoutLease && !(await holdLease(this.redis, MATCHMAKER_KEY, this.node, MATCHMAKER_LEASE_MS)))
      return 0;
    const all = await this.redis.hgetall(QUEUE_KEY);
    const waiting: Waiting[] = [];
    for (const [field, text] of Object.entries(all)) {
      const entry = parseEntry(text);
      if (!entry) {
        await this.redis.hdel(QUEUE_KEY, field);
        continue;
      }
      waiting.push({
        key: entry.key,
        accountId: entry.accountId,
        rating: entry.rating,
        since: entry.since,
        entry,
        text,
      });
    }
    const nodes = [...new Set(waiting.map((player) => player.entry.node))];
    const alive = new Set<string>();
    if (nodes.length > 0) {
      const found = await this.redis.mget(nodes.map((node) => NODE_KEY_PREFIX + node));
      nodes.forEach((node, i) => {
        if (found[i] !== null) alive.add(node);
      });
    }
    for (const player of waiting.filter((player) => !alive.has(player.entry.node))) {
      await this.redis.eval(LEAVE, 1, QUEUE_KEY, String(player.accountId), player.text);
    }
    let paired = 0;
    for (const { first, second } of pairPlayers(
      waiting.filter((player) => alive.has(player.entry.node)),
      now,
      this.policy,
    )) {
      const tail = `"black":${first.text},"white":${second.text},"now":${now}}`;
      const id = await this.redis.eval(
        PAIR,
        4,
        QUEUE_KEY,
        GAME_IDS_KEY,
        inboxKey(first.entry.node),
        FENCE_KEY,
        String(first.accountId),
        first.text,
        String(second.accountId),
        second.text,
        tail,
        INBOX_MAX_LENGTH,
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
