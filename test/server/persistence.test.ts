import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { playGame, playOpeningTurns } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { spawnServer } from '../support/server-process.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';

describe('ratings and games survive', () => {
  it('a restart on the same database', async (t) => {
    const directory = temporaryDirectory();
    const dbPath = join(directory, 'checkers.db');
    try {
      const first = await startTestServer({ dbPath });
      t.after(() => first.stop());
      const cam = await RawClient.connect(first.port);
      const jen = await RawClient.connect(first.port);
      await cam.login('cam', 'mac');
      await jen.login('jen', 'nej');
      const [camGame] = await Promise.all([playGame(cam, seededRandom(3)), playGame(jen, seededRandom(4))]);
      cam.close();
      jen.close();
      await first.stop();

      const second = await startTestServer({ dbPath });
      t.after(() => second.stop());
      const again = await RawClient.connect(second.port);
      const queued = await again.login('cam', 'mac');
      assert.equal(queued.rating, camGame.gameOver?.newRating);
      assert.equal((await second.store.listGames()).length, 1);
      assert.equal((await second.store.findAccount('cam'))?.games, 1);
      again.close();
      await second.stop();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('kill -9 in the middle of a game loses no finished game', async (t) => {
    const directory = temporaryDirectory();
    const dbPath = join(directory, 'checkers.db');
    try {
      const setup = await openSqliteStore(dbPath);
      const [a = '', b = ''] = await addPlayers(setup, 'k', 2);
      setup.close();

      const server = await spawnServer(dbPath);
      t.after(() => server.stop());
      const one = await RawClient.connect(server.port);
      const two = await RawClient.connect(server.port);
      await one.login(a, TEST_PASSWORD);
      await two.login(b, TEST_PASSWORD);
      const [finished] = await Promise.all([playGame(one, seededRandom(11)), playGame(two, seededRandom(12))]);
      assert.ok(finished.gameOver);

      // A second game, killed after a few moves.
      one.send({ type: 'ReQueue' });
      two.send({ type: 'ReQueue' });
      await one.expect('GameStart', 10_000);
      await two.expect('GameStart', 10_000);
      await playOpeningTurns([one, two], 4);
      server.child.kill('SIGKILL');
      assert.equal(await server.exited(), 'SIGKILL');
      one.close();
      two.close();

      const db = new Database(dbPath);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();
      const store = await openSqliteStore(dbPath);
      const games = await store.listGames();
      assert.equal(games.length, 1, 'the finished game is there and the killed one is not half-recorded');
      const player = await store.findAccount(
        finished.color === 0 ? (games[0]?.black.name ?? '') : (games[0]?.white.name ?? ''),
      );
      assert.equal(Math.round(player?.rating.rating ?? 0), finished.gameOver.newRating);
      assert.equal(player?.games, 1);
      store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
