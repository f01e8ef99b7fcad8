import type { Redis } from 'ioredis';

/**
 * The value stays the caller's for `ttl` ms more: renewed if it holds it,
 * taken if nobody does (after Redis lost its data, say); 0 if another holds it.
 * KEYS[1] the lease; ARGV: holder, ttl.
 */
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** HOLD for every key of KEYS; returns the 1-based positions of the keys another holder has. */
const HOLD_MANY = `
local lost = {}
for i = 1, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2])
  elseif not holder then redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  else lost[#lost + 1] = i end
end
return lost`;

/** Keys per HOLD_MANY call: one script runs alone in Redis, so a chunk stays short (about a millisecond). */
const HOLD_CHUNK = 1000;

/** Deletes KEYS[1] if it holds ARGV[1]; 1 if it did. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Takes or renews a lease for `ttlMs`; false if another holder has it. */
export async function holdLease(redis: Redis, key: string, holder: string, ttlMs: number): Promise<boolean> {
  return (await redis.eval(HOLD, 1, key, holder, ttlMs)) === 1;
}

/**
 * holdLease for many keys in a few round trips (chunks of HOLD_CHUNK keys
 * sent together) instead of one each; returns the keys another holder has.
 */
export async function holdLeases(
  redis: Redis,
  keys: readonly string[],
  holder: string,
  ttlMs: number,
): Promise<string[]> {
  const chunks: string[][] = [];
  for (let at = 0; at < keys.length; at += HOLD_CHUNK) chunks.push(keys.slice(at, at + HOLD_CHUNK));
  const answers = await Promise.all(
    chunks.map((chunk) => redis.eval(HOLD_MANY, chunk.length, ...chunk, holder, ttlMs) as Promise<number[]>),
  );
  return answers.flatMap((lost, index) => lost.map((position) => chunks[index]?.[position - 1] ?? ''));
}

/** Takes a lease only if nobody holds it; false if someone does. */
export async function takeLease(redis: Redis, key: string, holder: string, ttlMs: number): Promise<boolean> {
  return (await redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK';
}

/** Gives up a lease if the holder still has it. */
export async function releaseLease(redis: Redis, key: string, holder: string): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, key, holder)) === 1;
}
