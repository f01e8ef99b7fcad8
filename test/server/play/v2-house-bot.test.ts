import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addPlayers } from '../../support/accounts.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../../support/test-server.js';
import { legalPath, loginV2, resumeV2, seek } from '../../support/v2-game.js';

describe('the house bot plays version 2 (standard rules)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      timing: { botAfterMs: 1000, reconnectGraceMs: 60_000 },
      houseBot: { name: 'checkers-bot', pauseMs: [0, 2] },
    });
  });
  after(() => server.stop());

  it('a version-2 player waiting alone gets a standard game in their time control, and the bot answers with paths', async () => {
    const [name = ''] = await addPlayers(server.store, 'lonely2', 1);
    const player = await RawClient.connectV2(server.port);
    try {
      await loginV2(player, name);
      await seek(player, 300, 3);
      const start = await player.expect('GameStart2', 10_000);
      assert.equal(start.opponent, 'checkers-bot');
      assert.deepEqual([start.initialSeconds, start.incrementSeconds], [300, 3]);
      // 1200 against the bot's 1200: the player waited, so the player moves first.
      assert.equal(start.colour, 0);
      let turn = await player.expect('YourMove');
      for (let move = 0; move < 4; move++) {
        player.send({ type: 'MovePath', path: legalPath(turn.board, 0) });
        const next = await player.next(['TheirMove', 'QueuePosition']);
        if (next.type === 'GameOver2') return;
        assert.equal(next.type, 'YourMove');
        if (next.type !== 'YourMove') return;
        assert.ok(next.lastPath && next.lastPath.length >= 2, 'the bot played a path');
        turn = next;
      }
      const live = (await server.store.loadLiveGames()).find((game) => game.id === start.gameId);
      assert.equal(live?.rules, 'standard');
      assert.ok((live?.moves.length ?? 0) >= 8);
    } finally {
      player.close();
    }
  });

  it('a bot game survives a restart: the bot takes its seat again and the player resumes', async (t) => {
    const dbPath = join(temporaryDirectory(), 'checkers.db');
    const options = {
      dbPath,
      timing: { botAfterMs: 1000, reconnectGraceMs: 60_000 },
      houseBot: { name: 'checkers-bot', pauseMs: [0, 2] as const },
    };
    const first = await startTestServer(options);
    t.after(() => first.stop());
    const [name = ''] = await addPlayers(first.store, 'restart2', 1);
    const player = await RawClient.connectV2(first.port);
    const { token } = await loginV2(player, name);
    await seek(player, 600, 5);
    const start = await player.expect('GameStart2', 10_000);
    const turn = await player.expect('YourMove');
    player.send({ type: 'MovePath', path: legalPath(turn.board, 0) });
    await player.expect('TheirMove');
    await player.expect('YourMove');
    player.close();
    await first.stop({ keepFiles: true });

    const second = await startTestServer(options);
    t.after(() => second.stop());
    const back = await RawClient.connectV2(second.port);
    try {
      await resumeV2(back, name, token);
      assert.equal((await back.expect('GameStart2')).gameId, start.gameId);
      const resumed = await back.expect('YourMove');
      back.send({ type: 'MovePath', path: legalPath(resumed.board, 0) });
      await back.expect('TheirMove');
      const answer = await back.next(['QueuePosition']);
      assert.ok(answer.type === 'YourMove' || answer.type === 'GameOver2', 'the bot moved after the restart');
    } finally {
      back.close();
    }
  });
});
