import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer } from '../support/test-server.js';

function passwordChange(port: number, body: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/password`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(5000),
  });
}

async function wrongLogin(port: number, username: string): Promise<void> {
  const client = await RawClient.connect(port);
  try {
    client.send({ type: 'Connect', version: 1, username, password: 'a guess' });
    assert.deepEqual(await client.expect('InvalidLogin'), {
      type: 'InvalidLogin',
      reason: InvalidLoginReason.WrongPassword,
    });
  } finally {
    client.close();
  }
}

async function loginsTotal(metricsPort: number, outcome: string): Promise<number> {
  const text = await (
    await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5000) })
  ).text();
  const line = text.split('\n').find((row) => row.startsWith(`checkers_logins_total{outcome="${outcome}"} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

describe('one guessing budget for every way of presenting a password (real server)', () => {
  it('an address that spent its login budget over version 1 gets 429 from /api/password', async () => {
    const server = await startTestServer({ limits: { loginRatePerAddress: { perSecond: 0.01, burst: 3 } } });
    try {
      const [name = ''] = await addPlayers(server.store, 'shared', 1);
      for (let i = 0; i < 3; i++) await wrongLogin(server.port, name);
      const answer = await passwordChange(server.port, { name, password: TEST_PASSWORD, newPassword: 'new' });
      assert.equal(answer.status, 429);
      assert.match(((await answer.json()) as { error: string }).error, /too many password attempts from your address/);
    } finally {
      await server.stop();
    }
  });

  it("/api/password's wrong passwords spend the account's budget, are counted as wrong-password logins and logged", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({
      log,
      metricsListen: { host: '127.0.0.1', port: 0 },
      limits: { accountGuessRate: { perSecond: 0.01, burst: 2 } },
    });
    try {
      const [name = ''] = await addPlayers(server.store, 'guessed', 1);
      const before = await loginsTotal(server.server.metricsPort, 'wrong-password');
      for (let i = 0; i < 2; i++) {
        const answer = await passwordChange(server.port, { name, password: `guess${i}`, newPassword: 'new' });
        assert.equal(answer.status, 403);
      }
      assert.equal(await loginsTotal(server.server.metricsPort, 'wrong-password'), before + 2);
      const logged = lines.filter((line) => line.msg === 'wrong password' && line.user === name);
      assert.equal(logged.length, 2, 'each wrong password from the web is logged');
      // The account's budget is spent: a version-1 login from anywhere is refused without a check.
      const v1 = await RawClient.connect(server.port, '127.0.0.1', '127.0.0.7');
      try {
        v1.send({ type: 'Connect', version: 1, username: name, password: TEST_PASSWORD });
        assert.equal((await v1.expect('InvalidLogin')).reason, InvalidLoginReason.WrongPassword);
      } finally {
        v1.close();
      }
      assert.equal(await loginsTotal(server.server.metricsPort, 'account-guess-limit'), 1);
    } finally {
      await server.stop();
    }
  });

  it("the owner's address, known from a right password, is not held by the account's budget", async () => {
    const server = await startTestServer({ limits: { accountGuessRate: { perSecond: 0.01, burst: 2 } } });
    try {
      const [name = ''] = await addPlayers(server.store, 'owner', 1);
      const home = await RawClient.connect(server.port, '127.0.0.1', '127.0.0.2');
      await home.login(name, TEST_PASSWORD);
      home.close();
      for (let i = 0; i < 2; i++) {
        const client = await RawClient.connect(server.port, '127.0.0.1', '127.0.0.3');
        client.send({ type: 'Connect', version: 1, username: name, password: 'a guess' });
        await client.expect('InvalidLogin');
        client.close();
      }
      const answer = await passwordChange(server.port, { name, password: TEST_PASSWORD, newPassword: 'changed' });
      assert.equal(answer.status, 429, 'a stranger is held once the budget is spent');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await RawClient.connect(server.port, '127.0.0.1', '127.0.0.2');
      await again.login(name, TEST_PASSWORD);
      again.close();
    } finally {
      await server.stop();
    }
  });
});
