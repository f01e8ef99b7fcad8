import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_HASH_COST,
  type HashCost,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../src/server/passwords.js';

/** OWASP Password Storage Cheat Sheet: scrypt settings of equal strength, the first the minimum. */
const OWASP_SCRYPT: readonly HashCost[] = [
  { N: 2 ** 17, r: 8, p: 1 },
  { N: 2 ** 16, r: 8, p: 2 },
  { N: 2 ** 15, r: 8, p: 3 },
  { N: 2 ** 14, r: 8, p: 5 },
  { N: 2 ** 13, r: 8, p: 10 },
];
const OLD_DEFAULT: HashCost = { N: 2 ** 14, r: 8, p: 1 };
const CHEAP: HashCost = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('are made at an OWASP setting by default, needing at most 16 MiB each', () => {
    assert.ok(
      OWASP_SCRYPT.some(
        (cost) => cost.N === DEFAULT_HASH_COST.N && cost.r === DEFAULT_HASH_COST.r && cost.p === DEFAULT_HASH_COST.p,
      ),
      `scrypt ${JSON.stringify(DEFAULT_HASH_COST)} is not an OWASP setting`,
    );
    assert.ok(128 * DEFAULT_HASH_COST.N * DEFAULT_HASH_COST.r <= 16 * 2 ** 20);
  });

  it('carry their own cost, so a hash made at another cost still verifies', async () => {
    const hash = await hashPassword('secret', CHEAP);
    assert.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('secret', hash), true);
    assert.equal(await verifyPassword('Secret', hash), false);
  });

  it('are rehashed when weaker than the target in memory or work, never when as strong or stronger', () => {
    const stored = (cost: HashCost) => `scrypt$${cost.N}$${cost.r}$${cost.p}$c2FsdA==$aGFzaA==`;
    assert.equal(needsRehash(stored(OLD_DEFAULT)), true, 'the old default is below OWASP');
    assert.equal(needsRehash(stored(CHEAP)), true);
    assert.equal(needsRehash(stored(DEFAULT_HASH_COST)), false);
    assert.equal(needsRehash(stored({ N: 2 ** 17, r: 8, p: 1 })), false, 'never downgraded');
    assert.equal(needsRehash(stored({ N: 2 ** 13, r: 8, p: 10 })), true, 'less memory');
    assert.equal(needsRehash('not a hash'), false, 'a malformed hash never verifies, so it is never rehashed');
  });
});
