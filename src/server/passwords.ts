import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * Salted password hashes, computed on libuv's thread pool (never on the event
 * loop). New hashes are Argon2id, stored as the PHC string
 * `$argon2id$v=19$m=KiB,t=passes,p=lanes$salt$hash`; hashes made before it,
 * `scrypt$N$r$p$salt$hash` (base64), still verify and are rehashed to
 * Argon2id at their owner's next login. Anything else never verifies.
 */
export interface Argon2idCost {
  readonly algorithm: 'argon2id';
  /** Memory per hash, in KiB (`m=`). */
  readonly memoryKiB: number;
  /** Passes over that memory (`t=`). */
  readonly passes: number;
  /** Lanes (`p=`); each lane is a thread of libuv's pool while the hash runs. */
  readonly parallelism: number;
}

/** The cost of an scrypt hash (old hashes; tests and benchmarks still make cheap ones). */
export interface ScryptCost {
  readonly algorithm?: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export type HashCost = Argon2idCost | ScryptCost;

/**
 * OWASP's first recommendation for passwords: Argon2id with 19 MiB, 2 passes,
 * 1 lane. On this project's 2-core machine that is 15 to 45 ms of one core (the
 * scrypt setting it replaces, N=2^14 r=8 p=5, took about 230 ms for the same
 * protection), so a core checks 20 to 60 passwords a second.
 */
export const DEFAULT_HASH_COST: Argon2idCost = { algorithm: 'argon2id', memoryKiB: 19_456, passes: 2, parallelism: 1 };

/**
 * What a stored hash may ask of the server to be verified: a hash beyond this
 * (a corrupt row, a hand-edited one) would take gigabytes of memory or minutes
 * of a core, so it never verifies instead. Four times OWASP's strongest
 * settings, far above any hash this server makes.
 */
export const MAX_VERIFY_MEMORY_BYTES = 256 * 2 ** 20;
const MAX_ARGON2_PASSES = 16;
const MAX_ARGON2_LANES = 16;
const MAX_SCRYPT_WORK = 2 ** 20 * 8 * 16;

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Argon2 version 1.3 (0x13), the only one this server writes or reads. */
const ARGON2_VERSION = 19;

let hashesComputed = 0;

/**
 * Password hashes this process has computed so far, made or verified: tests
 * count them (a resume with a token must cost none).
 */
export function passwordHashesComputed(): number {
  return hashesComputed;
}

function isArgon2id(cost: HashCost): cost is Argon2idCost {
  return cost.algorithm === 'argon2id';
}

function scryptDerive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  hashesComputed++;
  if (isArgon2id(cost)) {
    return argon2Hash(password, {
      algorithm: 2, // Algorithm.Argon2id (a const enum, not importable under isolatedModules)
      memoryCost: cost.memoryKiB,
      timeCost: cost.passes,
      parallelism: cost.parallelism,
      outputLen: KEY_BYTES,
      salt,
    });
  }
  const key = await scryptDerive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

type StoredHash =
  | { readonly cost: Argon2idCost; readonly encoded: string }
  | { readonly cost: ScryptCost; readonly salt: Buffer; readonly hash: Buffer };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PHC_ARGON2ID =
  /^\$argon2id\$v=(\d{1,3})\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,64})\$([A-Za-z0-9+/]{16,128})$/;

function positive(...values: number[]): boolean {
  return values.every((value) => Number.isSafeInteger(value) && value > 0);
}

/** The stored hash's scheme and cost, or undefined if it is malformed, unknown or beyond what verifying may cost. */
export function parseStoredHash(stored: string): StoredHash | undefined {
  const argon2 = PHC_ARGON2ID.exec(stored);
  if (argon2) {
    const [, version, m, t, p] = argon2.map(Number) as [number, number, number, number, number];
    const cost: Argon2idCost = { algorithm: 'argon2id', memoryKiB: m, passes: t, parallelism: p };
    // Unpadded base64 is never 1 more than a multiple of 4 long.
    if (version !== ARGON2_VERSION || !positive(m, t, p) || argon2.slice(5).some((part) => part.length % 4 === 1)) {
      return undefined;
    }
    // Argon2 needs at least 8 KiB per lane; more than the bounds is refused unverified.
    if (m < 8 * p || m * 1024 > MAX_VERIFY_MEMORY_BYTES || t > MAX_ARGON2_PASSES || p > MAX_ARGON2_LANES)
      return undefined;
    return { cost, encoded: stored };
  }
  const [scheme, n, r, p, salt, hash, extra] = stored.split('$');
  if (scheme !== 'scrypt' || extra !== undefined || !salt || !hash || !BASE64.test(salt) || !BASE64.test(hash)) {
    return undefined;
  }
  const cost: ScryptCost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!positive(cost.N, cost.r, cost.p) || (cost.N & (cost.N - 1)) !== 0 || cost.N < 2) return undefined;
  if (128 * cost.N * cost.r > MAX_VERIFY_MEMORY_BYTES || cost.N * cost.r * cost.p > MAX_SCRYPT_WORK) return undefined;
  const key = Buffer.from(hash, 'base64');
  if (key.length === 0) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), hash: key };
}

/**
 * Whether `password` is the one `stored` was made from, compared in constant
 * time. A malformed, unknown or too costly stored hash never verifies, and
 * this never rejects: a failure to compute is a failure to verify.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  hashesComputed++;
  try {
    if ('encoded' in parsed) return await argon2Verify(parsed.encoded, password);
    const actual = await scryptDerive(password, parsed.salt, parsed.cost);
    return parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
  } catch {
    return false;
  }
}

/**
 * Whether a stored hash (whose password was just verified) should be replaced
 * by one made at `target`: every scrypt hash when the target is Argon2id, and
 * a hash of the target's scheme weaker than it in memory or in work (memory ×
 * passes). A hash at least as strong on both counts is kept, even with other
 * parameters, so a stronger hash is never downgraded, and an Argon2id hash is
 * never turned back into scrypt. A malformed hash never verifies, so it is
 * never rehashed either.
 */
export function needsRehash(stored: string, target: HashCost = DEFAULT_HASH_COST): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const { cost } = parsed;
  if (isArgon2id(target)) {
    if (!isArgon2id(cost)) return true;
    return cost.memoryKiB < target.memoryKiB || cost.memoryKiB * cost.passes < target.memoryKiB * target.passes;
  }
  if (isArgon2id(cost)) return false;
  const { N, r, p } = cost;
  return N * r < target.N * target.r || N * r * p < target.N * target.r * target.p;
}

/** The cost as a log field, e.g. `argon2id m=19456 t=2 p=1`. */
export function describeCost(cost: HashCost): string {
  return isArgon2id(cost)
    ? `argon2id m=${cost.memoryKiB} t=${cost.passes} p=${cost.parallelism}`
    : `scrypt N=${cost.N} r=${cost.r} p=${cost.p}`;
}
