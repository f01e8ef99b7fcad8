import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { definitionForCodeIn, encodeMessage, type ProtocolVersion } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { legalPath, loginV2, playToTheEnd, seek, shufflingPath, startStandardGame } from '../support/v2-game.js';
import { connectWs } from '../support/ws-client.js';

/** The type bytes of a raw byte stream of whole messages (sizes from the one message table). */
function typeBytes(bytes: Uint8Array, version: ProtocolVersion): number[] {
  const codes: number[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const code = bytes[offset] ?? 0;
    const definition = definitionForCodeIn(code, version);
    if (!definition) throw new Error(`no version-${version} message 0x${code.toString(16)} at ${offset}`);
    codes.push(code);
    offset += definition.size;
  }
  return codes;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protocol version 2 on a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timing: { reconnectGraceMs: 60_000 } });
  });
  after(() => server.stop());

  it('serves a version-1 and a version-2 client at once, each in its own version’s bytes', async () => {
    const [v1Name = '', v2Name = ''] = await addPlayers(server.store, 'mixed', 2);
    const v1 = await RawClient.connect(server.port);
    const v2 = await RawClient.connectV2(server.port);
    try {
      v1.send({ type: 'Connect', version: 1, username: v1Name, password: TEST_PASSWORD });
      const loggedIn = await loginV2(v2, v2Name);
      assert.equal(loggedIn.token.length, 16);
      assert.equal(loggedIn.rating, 1200);
      assert.equal(loggedIn.flags, 0, 'no game in progress');
      await seek(v2, 300, 3);
      await v1.expect('QueuePosition');
      // Alone in their queues for two matchmaking rounds: they never meet (different rules).
      await v1.expect('QueuePosition');
      await v1.expect('QueuePosition');
      await v2.expect('QueuePosition');
      await v2.expect('QueuePosition');
      const v1Bytes = v1.bytes();
      // Version 1 exactly: QueuePosition (1 waiting, first, rating 1200) and nothing else, byte for byte.
      const queued = hex(encodeMessage({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 }));
      assert.equal(hex(v1Bytes), queued.repeat(v1Bytes.length / 13));
      assert.deepEqual(new Set(typeBytes(v1Bytes, 1)), new Set([0x03]));
      const v2Codes = typeBytes(v2.bytes(), 2);
      assert.equal(v2Codes[0], 0x20, 'LoggedIn first');
      assert.deepEqual(new Set(v2Codes.slice(1)), new Set([0x03]));
    } finally {
      v1.close();
      v2.close();
    }
  });

  it('plays version 2 over a WebSocket (/play, as a browser) against a TCP player', async () => {
    const [wsName = '', tcpName = ''] = await addPlayers(server.store, 'wsv2', 2);
    const browser = await connectWs(server.port, { version: 2 });
    const terminal = await RawClient.connectV2(server.port);
    try {
      await loginV2(browser.client, wsName);
      await seek(browser.client, 900, 10);
      await loginV2(terminal, tcpName);
      await seek(terminal, 900, 10);
      const start = await browser.client.expect('GameStart2');
      assert.equal(start.opponent, tcpName);
      const turn = await browser.client.expect('YourMove');
      browser.client.send({ type: 'MovePath', path: legalPath(turn.board, 0) });
      await browser.client.expect('TheirMove');
      await terminal.expect('GameStart2');
      await terminal.expect('TheirMove');
      assert.ok((await terminal.expect('YourMove')).lastPath);
    } finally {
      browser.socket.close();
      terminal.close();
    }
  });

  it('a Seek for a time control not offered, or a version-1 message after a version-2 login, is a protocol error', async () => {
    const [name = '', other = ''] = await addPlayers(server.store, 'badseek', 2);
    const seeker = await RawClient.connectV2(server.port);
    const mixer = await RawClient.connectV2(server.port);
    try {
      await loginV2(seeker, name);
      seeker.send({ type: 'Seek', initialSeconds: 60, incrementSeconds: 0 });
      await seeker.closedWithin(5000);
      await loginV2(mixer, other);
      mixer.send({ type: 'ReQueue' });
      await mixer.closedWithin(5000);
      // Both were logged in, not in a game: nothing recorded, and each may log in again.
      const again = await RawClient.connectV2(server.port);
      await loginV2(again, name);
      again.close();
    } finally {
      seeker.close();
      mixer.close();
    }
  });

  it('a capture choice: of two captures the player picks one, and the opponent receives exactly that path', async () => {
    const game = await startStandardGame(server, { initialSeconds: 600, incrementSeconds: 5 });
    const { black, white } = game;
    try {
      assert.equal(game.blackStart.colour, 0);
      assert.equal(game.whiteStart.colour, 1);
      assert.equal(game.blackStart.gameId, game.whiteStart.gameId);
      assert.ok(game.firstMove.yourClockMs <= 600_000 && game.firstMove.yourClockMs > 590_000);
      assert.equal(game.firstMove.opponentClockMs, 600_000);
      black.send({ type: 'MovePath', path: [11, 15] });
      assert.deepEqual((await black.expect('TheirMove')).lastPath, [11, 15]);
      assert.deepEqual((await white.expect('YourMove')).lastPath, [11, 15]);
      white.send({ type: 'MovePath', path: [22, 18] });
      await white.expect('TheirMove');
      await black.expect('YourMove');
      // Black must take: 15x22.
      black.send({ type: 'MovePath', path: [9, 13] });
      assert.deepEqual(await black.expect('IllegalMove'), { type: 'IllegalMove', path: [9, 13], reason: 1 });
      black.send({ type: 'MovePath', path: [15, 22] });
      await black.expect('TheirMove');
      await white.expect('YourMove');
      // White may take back with 25x18 or 26x17: the choice is White's.
      white.send({ type: 'MovePath', path: [26, 17] });
      const mine = await white.expect('TheirMove');
      assert.deepEqual(mine.lastPath, [26, 17]);
      const theirs = await black.expect('YourMove');
      assert.deepEqual(theirs.lastPath, [26, 17]);
    } finally {
      game.close();
    }
  });

  it('resigning ends the game, not the session: recorded, and the player can Seek again', async () => {
    const game = await startStandardGame(server);
    try {
      game.white.send({ type: 'Resign' });
      const [blackOver, whiteOver] = await Promise.all([
        game.black.expect('GameOver2'),
        game.white.expect('GameOver2'),
      ]);
      assert.equal(blackOver.result, 1);
      assert.equal(whiteOver.result, 0);
      assert.equal(blackOver.reason, 1);
      assert.ok(blackOver.newRating > blackOver.oldRating && whiteOver.newRating < whiteOver.oldRating);
      const stored = (await server.store.listGames()).at(-1);
      assert.equal(stored?.termination, 'resignation');
      assert.equal(stored?.winner, 'black');
      assert.equal(stored?.rules, 'standard');
      assert.deepEqual(stored?.timeControl, { initialSeconds: 180, incrementSeconds: 2 });
      const queued = await seek(game.white, 180, 2);
      assert.equal(queued.rating, whiteOver.newRating, 'the new standard rating');
      assert.equal(game.white.isClosed, false);
    } finally {
      game.close();
    }
  });

  it('a draw offered and accepted: a draw by agreement, both standard ratings updated', async () => {
    const game = await startStandardGame(server);
    try {
      game.black.send({ type: 'OfferDraw' });
      await game.white.expect('DrawOffered');
      game.white.send({ type: 'AnswerDraw', accept: true });
      const [blackOver, whiteOver] = await Promise.all([
        game.black.expect('GameOver2'),
        game.white.expect('GameOver2'),
      ]);
      assert.deepEqual([blackOver.result, blackOver.reason, whiteOver.result, whiteOver.reason], [2, 2, 2, 2]);
      const stored = (await server.store.listGames()).at(-1);
      assert.equal(stored?.termination, 'draw-agreed');
      assert.equal(stored?.winner, 'draw');
      for (const name of game.names) {
        const account = await server.store.findAccount(name);
        assert.equal(account?.standard.games, 1);
        assert.equal(account?.standard.draws, 1);
        assert.ok((account?.standard.rating.deviation ?? 350) < 350, 'the standard rating moved');
        assert.equal(account?.games, 0, 'the version-1 record is untouched');
      }
    } finally {
      game.close();
    }
  });

  it('a game played to a win: the last piece taken, GameOver2 to both, recorded', async () => {
    const game = await startStandardGame(server, { initialSeconds: 0, incrementSeconds: 0 });
    try {
      // Seed 7's random legal paths end with Black's last piece taken (a seed chosen for its ending).
      const [blackOver, whiteOver] = await playToTheEnd(game.black, game.white, seededRandom(7), game.firstMove);
      const stored = (await server.store.listGames()).at(-1);
      assert.equal(stored?.termination, 'no-pieces');
      assert.equal(blackOver.reason, 0);
      assert.equal(whiteOver.reason, 0);
      const expected = stored?.winner === 'black' ? [1, 0] : [0, 1];
      assert.deepEqual([blackOver.result, whiteOver.result], expected);
      assert.deepEqual(stored?.timeControl, { initialSeconds: 0, incrementSeconds: 0 });
      assert.equal(stored?.moves.length, 36);
    } finally {
      game.close();
    }
  });

  it('threefold repetition ends the game drawn by itself (kings shuffling), recorded as such', async () => {
    const game = await startStandardGame(server, { initialSeconds: 0, incrementSeconds: 0 });
    try {
      const [blackOver, whiteOver] = await playToTheEnd(
        game.black,
        game.white,
        seededRandom(2),
        game.firstMove,
        400,
        shufflingPath,
      );
      assert.deepEqual([blackOver.result, blackOver.reason, whiteOver.result, whiteOver.reason], [2, 4, 2, 4]);
      const stored = (await server.store.listGames()).at(-1);
      assert.equal(stored?.termination, 'threefold-repetition');
      assert.equal(stored?.winner, 'draw');
      assert.equal((await server.store.findAccount(game.names[0]))?.standard.draws, 1);
    } finally {
      game.close();
    }
  });

  it('a rematch: both ask, a new game starts with the colours swapped and the same time control', async () => {
    const game = await startStandardGame(server, { initialSeconds: 300, incrementSeconds: 3 });
    try {
      game.black.send({ type: 'Resign' });
      await game.black.expect('GameOver2');
      await game.white.expect('GameOver2');
      game.black.send({ type: 'Rematch' });
      await game.white.expect('RematchOffered');
      game.white.send({ type: 'Rematch' });
      const [blackStart, whiteStart] = await Promise.all([
        game.black.expect('GameStart2'),
        game.white.expect('GameStart2'),
      ]);
      assert.equal(whiteStart.colour, 0, 'the last game’s White moves first');
      assert.equal(blackStart.colour, 1);
      assert.deepEqual([whiteStart.initialSeconds, whiteStart.incrementSeconds], [300, 3]);
      assert.notEqual(whiteStart.gameId, game.blackStart.gameId);
      const first = await game.white.expect('YourMove');
      game.white.send({ type: 'MovePath', path: legalPath(first.board, 0) });
      await game.white.expect('TheirMove');
      await game.black.expect('TheirMove');
      await game.black.expect('YourMove');
    } finally {
      game.close();
    }
  });

  it('a forfeit by LogOut: the opponent’s GameOver2 shows the rating change', async () => {
    const game = await startStandardGame(server);
    try {
      game.black.send({ type: 'LogOut' });
      const over = await game.white.expect('GameOver2');
      assert.deepEqual([over.result, over.reason], [1, 7]);
      assert.ok(over.newRating > over.oldRating, `${over.oldRating} -> ${over.newRating}`);
      assert.equal((await server.store.listGames()).at(-1)?.termination, 'logout');
    } finally {
      game.close();
    }
  });
});
