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
});
