import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runPiped } from '../support/client-process.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';

describe('the client reconnecting after the connection dropped in a game', () => {
  it('tries three times, 1, 2 and 4 s apart, then asks; yes tries again and gets back into the game', async (t) => {
    const dbPath = join(temporaryDirectory(), 'checkers.db');
    const first = await startTestServer({ dbPath });
    t.after(() => first.stop());
    // Version 1's reconnect (version 2's, with its resume token, is in test/client/v2/).
    const client = runPiped([
      '--host',
      '127.0.0.1',
      '--port',
      String(first.port),
      '--protocol',
      '1',
      '--username',
      'cam',
    ]);
    t.after(() => client.child.kill('SIGKILL'));
    client.type('mac');
    await client.waitFor(/Waiting for an opponent/);
    const jen = await RawClient.connect(first.port);
    await jen.login('jen', 'nej');
    await jen.expect('GameStart');
    await client.waitFor(/New game: you \(1200\) against jen/);

    // The server goes away (it keeps the game stored), and nothing listens on its port.
    await first.stop();
    jen.close();
    const asked = await client.waitFor(/Could not reconnect\. Your game is kept on the server for a while\./, 30_000);
    assert.deepEqual(asked.match(/Reconnecting in \d+ s \(attempt \d of \d\)/g), [
      'Reconnecting in 1 s (attempt 1 of 3)',
      'Reconnecting in 2 s (attempt 2 of 3)',
      'Reconnecting in 4 s (attempt 3 of 3)',
    ]);
    assert.equal(asked.match(/Reconnect failed: /g)?.length, 3);
    assert.equal(client.child.exitCode, null, 'it waits for an answer');

    // The server is back on the same port with the same database: yes goes back into the game.
    const second = await startTestServer({ dbPath, port: first.port });
    t.after(() => second.stop());
    client.type('y');
    await client.waitFor(/Back in your game against jen\./, 15_000);
    client.type('quit', 'y');
    assert.equal(await client.exited, 0);
  });
});
