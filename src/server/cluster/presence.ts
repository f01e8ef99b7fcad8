import type { Redis } from 'ioredis';
import { accountGameKey, NODE_KEY_PREFIX, presenceKey } from './keys.js';
import { holdLeases, releaseLease } from './redis-scripts.js';
import type { PresenceStore } from './shared-store.js';

/** How long a node's claim on an account lasts unless renewed (the node renews it every few seconds). */
export const PRESENCE_TTL_MS = 20_000;

/**
 * Claims the account for `node`, unless it is logged in on another node that
 * is alive and it is not in a game (then the login is refused, as on one node).
 * KEYS: presence, account-game; ARGV: node, ttl, node key prefix.
 */
const CLAIM = `
local previous = redis.call('GET', KEYS[1])
if previous and previous ~= ARGV[1] and redis.call('EXISTS', KEYS[2]) == 0
   and redis.call('EXISTS', ARGV[3] .. previous) == 1 then
  return {0, previous}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, previous or ''}`;

export type Claim =
  /** `previous`: the live or dead node that had the account before, to be told to close its session. */
  { readonly ok: true; readonly previous: string | undefined } | { readonly ok: false; readonly elsewhere: string };

/** One session per account in the whole cluster: a key per account naming the node it is logged in on. */
export class Presence implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly node: string,
  ) {}

  async claim(accountId: number): Promise<Claim> {
    const [claimed, previous] = (await this.redis.eval(
      CLAIM,
      2,
      presenceKey(accountId),
      accountGameKey(accountId),
      this.node,
      PRESENCE_TTL_MS,
      NODE_KEY_PREFIX,
    )) as [number, string];
    if (claimed !== 1) return { ok: false, elsewhere: previous };
    return { ok: true, previous: previous === '' || previous === this.node ? undefined : previous };
  }

  async release(accountId: number): Promise<void> {
    await releaseLease(this.redis, presenceKey(accountId), this.node);
  }

  /** Renews the claims of every account logged in here (and takes them again after Redis lost them). */
  async renew(accountIds: Iterable<number>): Promise<void> {
    await holdLeases(this.redis, Array.from(accountIds, presenceKey), this.node, PRESENCE_TTL_MS);
  }
}
