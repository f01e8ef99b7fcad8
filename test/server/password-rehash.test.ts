import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_HASH_COST, hashPassword, verifyPassword } from '../../src/server/passwords.js';
import { TEST_PASSWORD } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The scrypt cost this server used before Argon2id (OWASP's N=2^14, r=8, p=5). */
const OLD_COST = { N: 2 ** 14, r: 8, p: 5 };
const currentCost = `$argon2id$v=19$m=${DEFAULT_HASH_COST.memoryKiB},t=${DEFAULT_HASH_COST.passes},p=${DEFAULT_HASH_COST.parallelism}$`;

/** Polls `condition` every 20 ms for at most `timeoutMs`. */
async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a password hashed with scrypt (before Argon2id)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rehashPasswords: true });
  });
  after(() => server.stop());

  const hashOf = async (name: string) => (await server.store.findAccount(name))?.passwordHash ?? '';

  it('is rehashed to Argon2id at the current cost at its owner next login, and still logs in', async () => {
    const old = await hashPassword(TEST_PASSWORD, OLD_COST);
    await server.store.createAccount('oldtimer', old);
    const client = await RawClient.connect(server.port);
    await client.login('oldtimer', TEST_PASSWORD);
    await eventually(async () => (await hashOf('oldtimer')) !== old, 5000, 'the hash is rehashed');
    const rehashed = await hashOf('oldtimer');
    assert.ok(rehashed.startsWith(currentCost), rehashed);
    assert.equal(await verifyPassword(TEST_PASSWORD, await hashOf('oldtimer')), true);
    client.close();
    await eventually(() => server.server.service.onlineCount === 0, 3000, 'the first login is gone');
    const again = await RawClient.connect(server.port);
    await again.login('oldtimer', TEST_PASSWORD);
    again.close();
  });

  it('is not rehashed after a wrong password', async () => {
    const old = await hashPassword(TEST_PASSWORD, OLD_COST);
    await server.store.createAccount('wrongpass', old);
    const client = await RawClient.connect(server.port);
    client.send({ type: 'Connect', version: 1, username: 'wrongpass', password: 'not it' });
    await client.expect('InvalidLogin');
    client.close();
    assert.equal(await hashOf('wrongpass'), old);
  });

  it('a failure to store the new hash is only logged: the login stands and the old hash stays', async () => {
    const old = await hashPassword(TEST_PASSWORD, OLD_COST);
    await server.store.createAccount('readonly', old);
    const store = server.store;
    const setPassword = store.setPassword.bind(store);
    let attempts = 0;
    store.setPassword = () => {
      attempts++;
      throw new Error('attempt to write a readonly database');
    };
    try {
      const client = await RawClient.connect(server.port);
      await client.login('readonly', TEST_PASSWORD);
      await eventually(() => attempts === 1, 5000, 'the rehash is attempted');
      assert.equal(client.isClosed, false);
      client.close();
      await eventually(() => server.server.service.onlineCount === 0, 3000, 'the first login is gone');
    } finally {
      store.setPassword = setPassword;
    }
    assert.equal(await hashOf('readonly'), old);
    const again = await RawClient.connect(server.port);
    await again.login('readonly', TEST_PASSWORD);
    again.close();
  });

  it('a password changed while the rehash runs stays changed', async () => {
    await server.store.createAccount('changing', await hashPassword(TEST_PASSWORD, OLD_COST));
    const changed = await hashPassword('changed', { N: 1024, r: 8, p: 1 });
    const store = server.store;
    const findAccount = store.findAccount.bind(store);
    let reads = 0;
    // The login reads the account twice (before and after the check); the rehash reads it a third
    // time before it stores: the operator's change lands just before that read.
    store.findAccount = async (name) => {
      if (name === 'changing' && ++reads === 3) await store.setPassword('changing', changed);
      return findAccount(name);
    };
    try {
      const client = await RawClient.connect(server.port);
      await client.login('changing', TEST_PASSWORD);
      await eventually(() => reads >= 3, 5000, 'the rehash reads the account');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await hashOf('changing'), changed);
      client.close();
    } finally {
      store.findAccount = findAccount;
    }
  });
});
