import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { drawOpening } from '../../src/game/opening-draw.js';
import { THREE_MOVE_OPENINGS } from '../../src/game/openings.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { seededRandom } from '../../src/game/random.js';
import { addPlayers } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';
import { loginV2, resumeV2, seek } from '../support/v2-game.js';

/* --openings three-move on a real server: a rated queue game starts from a drawn ballot, survives a restart, and its PDN names it. */

const SEED = 3030;

describe('tournament openings on a real server', () => {
  it('both players first see the drawn ballot; after a restart it replays; the PDN export names the opening', async (t) => {
    const ballot = drawOpening(THREE_MOVE_OPENINGS, seededRandom(SEED));
    const lastPath = (ballot.moves[2] as string).split(/[-x]/).map(Number);
    const dbPath = join(temporaryDirectory(), 'checkers.db');
    const timing = { reconnectGraceMs: 60_000 };
    const first = await startTestServer({
      dbPath,
      timing,
      openings: { deck: THREE_MOVE_OPENINGS, random: seededRandom(SEED) },
    });
    t.after(() => first.stop());
    const [blackName = '', whiteName = ''] = await addPlayers(first.store, 'ballot', 2);
    const black = await RawClient.connectV2(first.port);
    const white = await RawClient.connectV2(first.port);
    let tokens: [Uint8Array, Uint8Array];
    let gameId: number;
    try {
      const blackIn = await loginV2(black, blackName);
      await seek(black, 180, 2);
      const whiteIn = await loginV2(white, whiteName);
      await seek(white, 180, 2);
      tokens = [blackIn.token, whiteIn.token];
      const start = await black.expect('GameStart2');
      assert.equal(start.colour, BLACK);
      assert.equal(start.rated, true);
      gameId = start.gameId;
      await white.expect('GameStart2');
      const blackView = await black.expect('TheirMove');
      const whiteView = await white.expect('YourMove');
      assert.deepEqual(blackView.board, toWireBoard(ballot.position, BLACK));
      assert.deepEqual(whiteView.board, toWireBoard(ballot.position, WHITE));
      assert.deepEqual(blackView.lastPath, lastPath);
      assert.deepEqual(whiteView.lastPath, lastPath);
    } finally {
      black.close();
      white.close();
    }
    await first.stop({ keepFiles: true });

    // Restarted without the option: the stored game replays its moves from the start, the ballot's included.
    const second = await startTestServer({ dbPath, timing });
    t.after(() => second.stop());
    const blackAgain = await RawClient.connectV2(second.port);
    const whiteAgain = await RawClient.connectV2(second.port);
    try {
      await resumeV2(whiteAgain, whiteName, tokens[1]);
      assert.equal((await whiteAgain.expect('GameStart2')).gameId, gameId);
      const resumed = await whiteAgain.expect('YourMove');
      assert.deepEqual(resumed.board, toWireBoard(ballot.position, WHITE));
      assert.deepEqual(resumed.lastPath, lastPath);
      await resumeV2(blackAgain, blackName, tokens[0]);
      await blackAgain.expect('GameStart2');
      await blackAgain.expect('TheirMove');
      whiteAgain.send({ type: 'Resign' });
      // Each may first hear that the other was away, or is back: not this test's subject.
      const away: ['OpponentAway', 'OpponentBack'] = ['OpponentAway', 'OpponentBack'];
      assert.equal((await whiteAgain.next(away)).type, 'GameOver2');
      assert.equal((await blackAgain.next(away)).type, 'GameOver2');
    } finally {
      blackAgain.close();
      whiteAgain.close();
    }

    const response = await fetch(`http://127.0.0.1:${second.port}/api/games/${gameId}.pdn`, {
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(response.status, 200);
    const pdn = await response.text();
    assert.match(pdn, new RegExp(`^\\[Opening "${ballot.name}"\\]$`, 'm'));
    assert.ok(pdn.includes(`1. ${ballot.moves[0]} ${ballot.moves[1]} 2. ${ballot.moves[2]}`), pdn);
    assert.doesNotMatch(pdn, /\[FEN /, 'the moves are written from the start, not from a set-up position');
  });

  it('a rated game against the computer starts from the initial position, the option on', async (t) => {
    const server = await startTestServer({
      houseBot: { name: 'checkers-bot', maxGames: 1, pauseMs: [0, 2], threads: 1 },
      openings: { deck: THREE_MOVE_OPENINGS, random: seededRandom(SEED) },
    });
    t.after(() => server.stop());
    const [name = ''] = await addPlayers(server.store, 'solo', 1);
    const player = await RawClient.connectV2(server.port);
    try {
      await loginV2(player, name);
      player.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 600,
        incrementSeconds: 5,
        rated: true,
        colour: 0,
        opening: 0,
      });
      assert.equal((await player.expect('GameStart2')).rated, true);
      const first = await player.expect('YourMove');
      assert.equal(first.lastPath, null);
      assert.deepEqual(first.board, toWireBoard(INITIAL_POSITION, BLACK));
      player.send({ type: 'Resign' });
      await player.expect('GameOver2');
    } finally {
      player.close();
    }
  });
});
