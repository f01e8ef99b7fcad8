import type { Redis } from 'ioredis';
import { accountGameKey, FENCE_KEY, GAME_IDS_KEY, gameKey } from './keys.js';
import { holdLeases, releaseLease } from './redis-scripts.js';
import type { LeaseStore } from './shared-store.js';

/** A game's owner must renew its lease within this time, or another node may take the game over. */
export const GAME_LEASE_MS = 6_000;

const OWNERS_CHUNK = 1000;

/**
 * Takes over a game only if its lease is free and the fencing counter is
 * seeded: hands out the next token and sets the players' game pointers
 * (account -> game). Returns the token, 0 if refused.
 * KEYS: lease, fence counter, pointers...; ARGV: node, ttl, game id.
 */
const TAKE_GAME = `
if redis.call('EXISTS', KEYS[2]) == 0 or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[3]) end
return fence`;

/**
 * Owns a game (new, or after Redis lost it) unless another node does; sets
 * the players' pointers, and raises a seeded counter to the game's token.
 * KEYS: lease, fence counter, pointers...; ARGV: node, ttl, game id, token.
 */
const ASSERT_GAME = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local counter = redis.call('GET', KEYS[2])
if counter and tonumber(counter) < tonumber(ARGV[4]) then redis.call('SET', KEYS[2], ARGV[4]) end
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[3]) end
return 1`;

/** Raises each counter of KEYS to at least its ARGV (creating it if missing). */
const SEED = `
for i = 1, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if not current or tonumber(current) < tonumber(ARGV[i]) then redis.call('SET', KEYS[i], ARGV[i]) end
end
return 1`;

/**
 * Seeds the game-id and fencing-token counters above what the store holds
 * (at start, and after Redis lost its data), so that no id or token is
 * handed out twice.
 */
export async function seedCounters(
  redis: Redis,
  stored: { readonly largestGameId: number; readonly largestFence: number },
): Promise<void> {
  await redis.eval(SEED, 2, GAME_IDS_KEY, FENCE_KEY, stored.largestGameId, stored.largestFence);
}

/** Ends a game: its lease and the players' pointers to it, if they still point at it. */
const END_GAME = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[2] then redis.call('DEL', KEYS[i]) end
end
return 1`;

/**
 * Game ownership: key game:ID -> owning node with a TTL the owner renews;
 * account-game:ACCOUNT -> ID tells any node where a player's game is.
 * Taking a game hands out a fencing token (counter `fence`) that the owner
 * keeps, in memory, for as long as it referees the game; renewing the lease
 * (even taking it again after Redis lost it) never changes the token, so a
 * node that lost a game and got its lease back keeps the old, smaller token,
 * which the store refuses once the new referee has stored its own.
 */
export class GameLeases implements LeaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly node: string,
  ) {}

  /** Owns game `gameId` if nobody does: its new fencing token; 0 if another node holds it (or nothing is seeded). */
  async take(gameId: number, accountIds: readonly number[]): Promise<number> {
    const keys = [gameKey(gameId), FENCE_KEY, ...accountIds.map(accountGameKey)];
    return Number(await this.redis.eval(TAKE_GAME, keys.length, ...keys, this.node, GAME_LEASE_MS, gameId));
  }

  /**
   * Owns a game this node referees (just paired, or after Redis lost its
   * data) with the token it has; false if another node owns it.
   */
  async assert(gameId: number, accountIds: readonly number[], fence: number): Promise<boolean> {
    const keys = [gameKey(gameId), FENCE_KEY, ...accountIds.map(accountGameKey)];
    return (await this.redis.eval(ASSERT_GAME, keys.length, ...keys, this.node, GAME_LEASE_MS, gameId, fence)) === 1;
  }

  /** Renews these games' leases in a few round trips; returns the games another node owns now. */
  async renewAll(gameIds: readonly number[]): Promise<number[]> {
    const byKey = new Map(gameIds.map((gameId) => [gameKey(gameId), gameId]));
    const lost = await holdLeases(this.redis, [...byKey.keys()], this.node, GAME_LEASE_MS);
    return lost.map((key) => byKey.get(key) ?? 0).filter((gameId) => gameId !== 0);
  }

  async end(gameId: number, accountIds: readonly number[]): Promise<void> {
    const keys = [gameKey(gameId), ...accountIds.map(accountGameKey)];
    await this.redis.eval(END_GAME, keys.length, ...keys, this.node, gameId);
  }

  async release(gameId: number): Promise<void> {
    await releaseLease(this.redis, gameKey(gameId), this.node);
  }

  /** The game the account plays and the node that owns it (undefined: nobody, its lease expired). */
  async find(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined> {
    const id = await this.redis.get(accountGameKey(accountId));
    if (id === null) return undefined;
    const gameId = Number(id);
    const owner = await this.redis.get(gameKey(gameId));
    return { gameId, owner: owner ?? undefined };
  }

  /** Each game's owner, undefined for nobody; asked 1,000 at a time so that no reply is huge. */
  async owners(gameIds: readonly number[]): Promise<(string | undefined)[]> {
    const chunks: number[][] = [];
    for (let at = 0; at < gameIds.length; at += OWNERS_CHUNK) chunks.push(gameIds.slice(at, at + OWNERS_CHUNK));
    const answers = await Promise.all(chunks.map((chunk) => this.redis.mget(chunk.map(gameKey))));
    return answers.flat().map((owner) => owner ?? undefined);
  }

  /** Forgets a pointer to a game that is not in the store (finished). */
  async forget(accountId: number, gameId: number): Promise<void> {
    await this.redis.eval(END_GAME, 2, gameKey(gameId), accountGameKey(accountId), '', gameId);
  }
}
