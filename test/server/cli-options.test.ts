import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { matchCamAndJen } from '../support/game-setup.js';
import { RawClient } from '../support/raw-client.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';
import { connectWs, upgradeRefusal } from '../support/ws-client.js';

/**
 * Options as an operator passes them, flags and CHECKERS_* variables, checked
 * through to what the server does: seconds become milliseconds once, and 0
 * means "no limit" rather than "at once". Each case starts the real
 * `checkers-server` with its own database.
 */
async function server(
  t: TestContext,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const started = await spawnServer(join(temporaryDirectory(), 'checkers.db'), ['--no-tls', ...args], {
    ...process.env,
    ...env,
  });
  t.after(() => started.stop());
  return started;
}

/** cam and jen (demo accounts) matched; cam, who waited longer, is Black and has just received YourTurn. */
async function gameOn(port: number): Promise<{ cam: RawClient; jen: RawClient; turnAt: number }> {
  const [cam, jen] = await matchCamAndJen(port);
  await cam.expect('YourTurn');
  return { cam, jen, turnAt: Date.now() };
}

/** How long after `since` the server closed the connection (it must, within 15 s). */
async function closedAfter(client: RawClient, since: number): Promise<number> {
  return (await client.closedWithin(15_000)) - since;
}

const QUIET_MS = 1500;
const quietly = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

describe('the move clock from the command line and the environment', () => {
  for (const [how, args, env] of [
    ['--move-timeout 1', ['--move-timeout', '1'], {}],
    ['CHECKERS_MOVE_TIMEOUT=1', [], { CHECKERS_MOVE_TIMEOUT: '1' }],
  ] as const) {
    it(`${how}: the player to move loses after a second, not before`, async (t) => {
      const { port } = await server(t, args, env);
      const { cam, jen, turnAt } = await gameOn(port);
      const over = await cam.expect('GameOver');
      const waited = Date.now() - turnAt;
      assert.equal(over.won, false);
      assert.ok(waited >= 900, `lost after ${waited} ms: the option was not read as seconds`);
      assert.equal((await jen.expect('GameOver')).won, true);
      cam.close();
      jen.close();
    });
  }

  it('--move-timeout 0: no move clock at all (not a clock of 0 s)', async (t) => {
    const { port } = await server(t, ['--move-timeout', '0']);
    const { cam, jen } = await gameOn(port);
    await quietly();
    assert.deepEqual([...cam.pending(), ...jen.pending()], [], 'nobody lost on the clock');
    cam.send({ type: 'MakeMove', move: 0x36 });
    assert.equal((await jen.expect('YourTurn')).lastMove, 0x36, 'the game goes on');
    cam.close();
    jen.close();
  });
});

describe('the login timeout from the command line and the environment', () => {
  for (const [how, args, env] of [
    ['--login-timeout 1', ['--login-timeout', '1'], {}],
    ['CHECKERS_LOGIN_TIMEOUT=1', [], { CHECKERS_LOGIN_TIMEOUT: '1' }],
  ] as const) {
    it(`${how}: a connection that does not log in is closed after a second, not before`, async (t) => {
      const { port } = await server(t, args, env);
      const connectedAt = Date.now();
      const silent = await RawClient.connect(port);
      const waited = await closedAfter(silent, connectedAt);
      assert.ok(waited >= 900, `closed after ${waited} ms: the option was not read as seconds`);
    });
  }

  it('--login-timeout 0: a connection may take its time to log in', async (t) => {
    const { port } = await server(t, ['--login-timeout', '0']);
    const slow = await RawClient.connect(port);
    await quietly();
    assert.equal(slow.isClosed, false, 'still open');
    assert.equal((await slow.login('cam', 'mac')).type, 'QueuePosition');
    slow.close();
  });
});

describe('other options through the environment', () => {
  it('CHECKERS_RECONNECT_GRACE=0: a dropped player forfeits at once', async (t) => {
    const { port } = await server(t, [], { CHECKERS_RECONNECT_GRACE: '0' });
    const { cam, jen } = await gameOn(port);
    cam.close();
    await jen.expect('OpponentDisconnect');
    jen.close();
  });

  it('CHECKERS_MAX_CONNECTIONS_PER_ADDRESS=1: a second connection from the same address is closed', async (t) => {
    const { port } = await server(t, [], { CHECKERS_MAX_CONNECTIONS_PER_ADDRESS: '1' });
    const first = await RawClient.connect(port, '127.0.0.1', '127.0.4.1');
    const second = await RawClient.connect(port, '127.0.0.1', '127.0.4.1');
    await second.closedWithin(15_000);
    assert.equal((await first.login('cam', 'mac')).type, 'QueuePosition', 'the first is served');
    const elsewhere = await RawClient.connect(port, '127.0.0.1', '127.0.4.2');
    assert.equal((await elsewhere.login('jen', 'nej')).type, 'QueuePosition', 'another address is served');
    first.close();
    elsewhere.close();
  });

  it('a flag wins over its environment variable', async (t) => {
    const { port } = await server(t, ['--login-timeout', '0'], { CHECKERS_LOGIN_TIMEOUT: '1' });
    const slow = await RawClient.connect(port);
    await quietly();
    assert.equal(slow.isClosed, false, 'the flag (no limit) and not the variable (1 s) applies');
    slow.close();
  });
});

describe('the web options', () => {
  it('--web-origin lets pages of the sites it names open WebSockets; others still get 403', async (t) => {
    const { port } = await server(t, ['--web-origin', 'https://friend.example,https://other.example']);
    const friend = await connectWs(port, { origin: 'https://friend.example' });
    assert.equal((await friend.client.login('cam', 'mac')).type, 'QueuePosition');
    friend.socket.close();
    assert.equal(await upgradeRefusal(port, { origin: 'https://stranger.example' }), 403);
  });

  it('CHECKERS_NO_WEB=1: an HTTP request is closed unanswered, and version 1 still plays', async (t) => {
    const { port } = await server(t, [], { CHECKERS_NO_WEB: '1' });
    const browser = await RawClient.connect(port);
    browser.sendBytes(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    await browser.closedWithin(15_000);
    assert.equal(browser.pending().length, 0);
    const player = await RawClient.connect(port);
    assert.equal((await player.login('cam', 'mac')).type, 'QueuePosition');
    player.close();
  });
});
