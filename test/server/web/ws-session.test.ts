import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';
import { connectWs } from '../../support/ws-client.js';

/** A /play session follows the same session rules as TCP: the login timeout, reconnecting, taking over. */
describe('the session rules over /play', () => {
  it('a WebSocket that does not log in is closed at the login timeout (1008 login-timeout); TCP is not touched', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, limits: { loginTimeoutMs: 30_000 } });
    try {
      const [name = ''] = await addPlayers(server.store, 'wslogin', 1);
      const idle = await connectWs(server.port);
      const player = await RawClient.connect(server.port);
      await player.login(name, TEST_PASSWORD);
      await waitUntil(
        () => server.server.sessionCounts().some((entry) => entry.transport === 'ws'),
        'the WebSocket session',
      );
      clock.advance(29_000);
      assert.equal(idle.socket.readyState, idle.socket.OPEN, 'still open before the timeout');
      clock.advance(1_000);
      const close = await idle.closed;
      assert.deepEqual(close, { code: 1008, reason: 'login-timeout' });
      assert.equal(player.isClosed, false);
      player.close();
    } finally {
      await server.stop();
    }
  });

  it('a browser whose WebSocket drops comes back to its game over a new one, and a second login takes it over', async () => {
    const server = await startTestServer({ timing: { reconnectGraceMs: 60_000 } });
    try {
      const [wsName = '', tcpName = ''] = await addPlayers(server.store, 'wsback', 2);
      const first = await connectWs(server.port);
      await first.client.login(wsName, TEST_PASSWORD);
      const opponent = await RawClient.connect(server.port);
      await opponent.login(tcpName, TEST_PASSWORD);
      const start = await first.client.expect('GameStart');
      await first.client.expect('YourTurn');
      first.socket.terminate();

      const second = await connectWs(server.port);
      await second.client.login(wsName, TEST_PASSWORD);
      assert.deepEqual(await second.client.expect('GameStart'), start);
      const resumed = await second.client.expect('YourTurn');
      assert.equal(resumed.lastMove, 0, 'still the first move of the game');
      assert.deepEqual(
        opponent.pending().filter((message) => message.type !== 'GameStart'),
        [],
      );

      const third = await connectWs(server.port);
      await third.client.login(wsName, TEST_PASSWORD);
      assert.equal((await second.closed).code, 1000);
      assert.deepEqual(await third.client.expect('GameStart'), start);
      third.socket.close();
      opponent.close();
    } finally {
      await server.stop();
    }
  });
});
