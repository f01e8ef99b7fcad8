import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { notRoot, skipUnless } from '../../support/capability.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { fillDisk, mountTmpfs } from '../../support/tmpfs.js';
import { startStandardGame } from '../../support/v2-game.js';
import { waitUntil } from '../../support/wait.js';

describe('version 2 under a storage outage', { timeout: 120_000 }, () => {
  const skip = skipUnless(notRoot('mounting a tmpfs'));

  it('a path never stored is never answered; past the limit the game is abandoned unrated, stored later', {
    skip,
  }, async () => {
    const disk = mountTmpfs(2048);
    let server: TestServer | undefined;
    try {
      server = await startTestServer({
        dbPath: join(disk.path, 'checkers.db'),
        storageRetryMs: 50,
        timing: { storageOutageLimitMs: 1000 },
      });
      const game = await startStandardGame(server, { initialSeconds: 300, incrementSeconds: 3 });
      const filler = fillDisk(disk.path);
      game.black.send({ type: 'MovePath', path: [11, 15] });
      await game.black.closedWithin(5000);
      await game.white.closedWithin(5000);
      const told = [...game.black.pending(), ...game.white.pending()].map((message) => message.type);
      assert.ok(!told.includes('TheirMove') && !told.includes('YourMove'), `told ${told.join(', ')}`);
      rmSync(filler);
      const store = server.store;
      await waitUntil(async () => (await store.listGames()).length === 1, 'the abandoned game stored');
      const [record] = await store.listGames();
      assert.deepEqual(
        [record?.winner, record?.termination, record?.rules],
        ['abandoned', 'storage-outage', 'standard'],
      );
      const black = await store.findAccount(game.names[0]);
      assert.deepEqual([black?.standard.rating.rating, black?.standard.games], [1200, 0]);
      assert.equal((await store.loadLiveGames()).length, 0);
    } finally {
      await server?.stop();
      disk.remove();
    }
  });
});
