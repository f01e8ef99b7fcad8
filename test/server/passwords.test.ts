import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_HASH_COST,
  hashPassword,
  MAX_VERIFY_MEMORY_BYTES,
  needsRehash,
  parseStoredHash,
  type ScryptCost,
  verifyPassword,
} from '../../src/server/passwords.js';

/** The scrypt cost this server used last (OWASP's N=2^14, r=8, p=5), and the one before it. */
const LAST_SCRYPT: ScryptCost = { N: 2 ** 14, r: 8, p: 5 };
const OLD_SCRYPT: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
const CHEAP_SCRYPT: ScryptCost = { N: 1024, r: 8, p: 1 };
const CHEAP_ARGON2 = { algorithm: 'argon2id', memoryKiB: 64, passes: 1, parallelism: 1 } as const;
const SALT = 'c29tZXNhbHRzb21lc2FsdA';
const KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('password hashes', () => {
  it('are Argon2id at OWASP first setting (19 MiB, 2 passes, 1 lane) or above by default', async () => {
    assert.equal(DEFAULT_HASH_COST.algorithm, 'argon2id');
    assert.ok(DEFAULT_HASH_COST.memoryKiB >= 19 * 1024);
    assert.ok(DEFAULT_HASH_COST.passes >= 2);
    const hash = await hashPassword('secret');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('secret', hash), true);
    assert.equal(await verifyPassword('Secret', hash), false);
  });

  it('salt every hash: the same password twice makes two hashes', async () => {
    assert.notEqual(await hashPassword('secret', CHEAP_ARGON2), await hashPassword('secret', CHEAP_ARGON2));
  });

  it('made with scrypt before Argon2id still verify', async () => {
    const hash = await hashPassword('secret', CHEAP_SCRYPT);
    assert.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('secret', hash), true);
    assert.equal(await verifyPassword('Secret', hash), false);
  });

  it('malformed, unknown or absurdly costly never verify, and verifying never throws', async () => {
    const scrypt = await hashPassword('secret', CHEAP_SCRYPT);
    const argon2 = await hashPassword('secret', CHEAP_ARGON2);
    const refused = [
      '',
      'secret',
      'not a hash',
      '$argon2id$',
      argon2.replace('$argon2id$', '$argon2i$'),
      argon2.replace('$argon2id$', '$argon2d$'),
      argon2.replace('v=19', 'v=16'),
      argon2.slice(0, -10),
      `${argon2}$extra`,
      argon2.replace(/\$[^$]+$/, '$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'),
      `$argon2id$v=19$m=999999999,t=2,p=1$${SALT}$${KEY}`,
      `$argon2id$v=19$m=19456,t=4000000000,p=1$${SALT}$${KEY}`,
      `$argon2id$v=19$m=19456,t=0,p=1$${SALT}$${KEY}`,
      `$argon2id$v=19$m=4,t=2,p=1$${SALT}$${KEY}`,
      `$argon2id$v=19$m=19456,t=2,p=255$${SALT}$${KEY}`,
      `$2b$12$${'a'.repeat(53)}`,
      '$pbkdf2-sha256$29000$c2FsdA$aGFzaA',
      scrypt.replace('scrypt$', 'scrypt2$'),
      scrypt.replace('$1024$', '$1000$'),
      scrypt.replace('$1024$', '$0$'),
      scrypt.replace('$1024$', '$1073741824$'),
      scrypt.replace('$8$1$', '$8$1000000$'),
      `${scrypt}$extra`,
      'scrypt$1024$8$1$$',
      'scrypt$1024$8$1$c2FsdA==$not base64!',
    ];
    for (const stored of refused) {
      assert.equal(await verifyPassword('secret', stored), false, stored);
      assert.equal(parseStoredHash(stored), undefined, stored);
      assert.equal(needsRehash(stored), false, `never verified, never rehashed: ${stored}`);
    }
    assert.ok(MAX_VERIFY_MEMORY_BYTES >= 128 * 2 ** 20, 'room for hashes stronger than the default');
  });

  it('are rehashed to Argon2id when scrypt or weaker than the target, never when as strong or stronger', () => {
    const scrypt = ({ N, r, p }: ScryptCost) => `scrypt$${N}$${r}$${p}$c2FsdA==$aGFzaA==`;
    const argon2 = (m: number, t: number, p = 1) => `$argon2id$v=19$m=${m},t=${t},p=${p}$${SALT}$${KEY}`;
    assert.equal(needsRehash(scrypt(LAST_SCRYPT)), true, 'the last scrypt default becomes Argon2id');
    assert.equal(needsRehash(scrypt(OLD_SCRYPT)), true);
    assert.equal(needsRehash(scrypt({ N: 2 ** 17, r: 8, p: 1 })), true, 'even a strong scrypt hash');
    assert.equal(needsRehash(argon2(19_456, 2)), false);
    assert.equal(needsRehash(argon2(65_536, 3, 4)), false, 'never downgraded');
    assert.equal(needsRehash(argon2(47_104, 1)), false, 'OWASP equivalent: more memory, one pass');
    assert.equal(needsRehash(argon2(1024, 1)), true, 'the demo accounts cheap hash');
    assert.equal(needsRehash(argon2(12_288, 4)), true, 'less memory');
    assert.equal(needsRehash(argon2(19_456, 1)), true, 'less work');
    assert.equal(needsRehash(argon2(19_456, 2), LAST_SCRYPT), false, 'never turned back into scrypt');
    assert.equal(needsRehash(scrypt(OLD_SCRYPT), LAST_SCRYPT), true, 'scrypt targets still compare (tests)');
    assert.equal(needsRehash(scrypt(LAST_SCRYPT), LAST_SCRYPT), false);
  });
});
