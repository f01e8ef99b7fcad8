import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Salted scrypt hashes, computed on libuv's thread pool. Stored as
 * `scrypt$N$r$p$salt$hash` (base64), so the cost can be raised later and old
 * hashes still verify (and are rehashed at their owner's next login).
 */
export interface HashCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's scrypt setting N=2^14, r=8, p=5 (equivalent to its minimum N=2^17,
 * r=8, p=1): five times the work of Node's default, about 0.2 s of a core,
 * but the same 16 MiB per hash, because the p passes run one after another
 * over the same memory. N=2^17 would need 128 MiB per hash (above Node's
 * 32 MiB default maxmem), and a login flood runs several hashes at once.
 */
export const DEFAULT_HASH_COST: HashCost = { N: 16384, r: 8, p: 5 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface StoredHash {
  readonly cost: HashCost;
  readonly salt: string;
  readonly hash: string;
}

function parse(stored: string): StoredHash | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((value) => Number.isInteger(value) && value > 0)) return undefined;
  return { cost, salt, hash };
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.hash, 'base64');
  const actual = await derive(password, Buffer.from(parsed.salt, 'base64'), parsed.cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Whether a stored hash (whose password was just verified) is weaker than
 * `target` in memory (N·r) or in work (N·r·p) and should be replaced. A hash
 * at least as strong on both counts is kept, even with other parameters, so a
 * stronger hash is never downgraded. A malformed hash never verifies, so it is
 * never rehashed either.
 */
export function needsRehash(stored: string, target: HashCost = DEFAULT_HASH_COST): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.cost;
  return N * r < target.N * target.r || N * r * p < target.N * target.r * target.p;
}
