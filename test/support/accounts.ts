import { type HashCost, hashPassword } from '../../src/server/passwords.js';
import type { Store } from '../../src/server/store/store.js';

export const TEST_PASSWORD = 'secret';
/**
 * Cheap, so that the suite's many logins stay fast and on time; servers in
 * tests run without rehashing (`rehashPasswords`), so it stays cheap.
 */
export const TEST_HASH_COST: HashCost = { algorithm: 'argon2id', memoryKiB: 64, passes: 1, parallelism: 1 };
let sharedHash: Promise<string> | undefined;

/** Creates `count` accounts named prefix1..prefixN with TEST_PASSWORD (one hash, computed once). */
export async function addPlayers(store: Store, prefix: string, count: number): Promise<string[]> {
  sharedHash ??= hashPassword(TEST_PASSWORD, TEST_HASH_COST);
  const hash = await sharedHash;
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  await store.createAccounts(names.map((name) => ({ name, passwordHash: hash })));
  return names;
}
