import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword } from '../../src/server/passwords.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startGame } from '../support/game-setup.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer } from '../support/test-server.js';

describe('the order of password checks', () => {
  it('serves a player whose game waits before new logins that queued earlier', async () => {
    const server = await startTestServer({ limits: { hashConcurrency: 1 } });
    const clients: RawClient[] = [];
    try {
      const game = await startGame(server);
      game.black.close();
      // A costly hash (a second or so) holds the only hashing slot while the others queue behind it.
      await server.store.createAccount('slow', await hashPassword('pw', { N: 65536, r: 8, p: 8 }));
      const slow = await RawClient.connect(server.port);
      clients.push(slow);
      slow.send({ type: 'Connect', version: 1, username: 'slow', password: 'pw' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const order: string[] = [];
      const login = async (name: string) => {
        const client = await RawClient.connect(server.port);
        clients.push(client);
        client.send({ type: 'Connect', version: 1, username: name, password: TEST_PASSWORD });
        return client;
      };
      const newcomers = await addPlayers(server.store, 'newcomer', 3);
      const waiting: Array<Promise<unknown>> = [];
      for (const name of newcomers) {
        const client = await login(name);
        waiting.push(client.expect('QueuePosition', 10_000).then(() => order.push(name)));
      }
      const back = await login(game.names[0]);
      waiting.push(back.expect('QueuePosition', 10_000).then(() => order.push('back in game')));
      await Promise.all(waiting);
      assert.equal(order[0], 'back in game', order.join(', '));
    } finally {
      for (const client of clients) client.close();
      await server.stop();
    }
  });

  it('keeps the game of a player whose login waits in line past the reconnect grace', async () => {
    const server = await startTestServer({ limits: { hashConcurrency: 1 }, timing: { reconnectGraceMs: 300 } });
    const clients: RawClient[] = [];
    try {
      // The only hashing slot will be held for a second or so, well past black's 300 ms grace.
      await server.store.createAccount('slow2', await hashPassword('pw', { N: 65536, r: 8, p: 8 }));
      const game = await startGame(server);
      game.black.close();
      const slow = await RawClient.connect(server.port);
      clients.push(slow);
      slow.send({ type: 'Connect', version: 1, username: 'slow2', password: 'pw' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const back = await RawClient.connect(server.port);
      clients.push(back);
      back.send({ type: 'Connect', version: 1, username: game.names[0], password: TEST_PASSWORD });
      await back.expect('QueuePosition', 10_000);
      const resumed = await back.expect('GameStart', 2000);
      assert.equal(resumed.opponent, game.names[1], 'the same game, not a new one');
      assert.equal((await back.expect('YourTurn', 2000)).type, 'YourTurn', 'black is to move: the game goes on');
      clients.push(game.white);
    } finally {
      for (const client of clients) client.close();
      await server.stop();
    }
  });
});
