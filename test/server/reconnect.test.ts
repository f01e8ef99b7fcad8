import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, type Color, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startGame } from '../support/game-setup.js';
import { ManualClock } from '../support/manual-clock.js';
import { legalMoveByte, nextTurn, playGame } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { spawnServer } from '../support/server-process.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a dropped player comes back to the game', () => {
  // A grace period far longer than any test here: coming back in time never races the clock.
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timing: { reconnectGraceMs: 60_000 } });
  });
  after(() => server.stop());

  it('dropped on their own turn: the opponent hears nothing, a new login resumes the same board, the game finishes', async () => {
    const { black, white, names } = await startGame(server);
    // Play until it is black's turn again (forced captures may pass the turn back and forth).
    let blackTurn = {
      index: 0,
      turn: { type: 'YourTurn' as const, lastMove: 0, board: toWireBoard(INITIAL_POSITION, BLACK) },
    };
    do {
      const [mover, color]: [RawClient, Color] = blackTurn.index === 0 ? [black, BLACK] : [white, WHITE];
      mover.send({ type: 'MakeMove', move: legalMoveByte(blackTurn.turn.board, color) });
      blackTurn = await nextTurn([black, white]);
    } while (blackTurn.index !== 0);
    const blackBoard = blackTurn.turn;
    black.close();

    const back = await RawClient.connect(server.port);
    const queued = await back.login(names[0], TEST_PASSWORD);
    assert.equal(queued.rating, 1200);
    assert.deepEqual(await back.expect('GameStart'), { type: 'GameStart', opponent: names[1], opponentRating: 1200 });
    const resumed = await back.expect('YourTurn');
    assert.deepEqual(resumed.board, blackBoard.board);
    assert.equal(resumed.lastMove, blackBoard.lastMove);
    assert.deepEqual(white.pending(), [], 'the opponent heard nothing while black was away');
    assert.equal(white.isClosed, false);

    back.send({ type: 'MakeMove', move: legalMoveByte(resumed.board, BLACK) });
    const [blackEnd, whiteEnd] = await Promise.all([
      playGame(back, seededRandom(5), 10_000, BLACK),
      playGame(white, seededRandom(6), 10_000, WHITE),
    ]);
    assert.ok(blackEnd.gameOver && whiteEnd.gameOver);
    const game = (await server.store.listGames()).at(-1);
    assert.ok(game && ['no-pieces', 'no-moves', 'forty-move-rule'].includes(game.termination));
    assert.equal((await server.store.loadLiveGames()).length, 0, 'the finished game left the games in progress');
    back.close();
    white.close();
  });

  it('dropped while the opponent is to move: no YourTurn on return, the next board comes with the opponent’s move', async () => {
    const { black, white, names } = await startGame(server);
    black.send({ type: 'MakeMove', move: 0x36 });
    const whiteTurn = await white.expect('YourTurn');
    black.close();
    const back = await RawClient.connect(server.port);
    await back.login(names[0], TEST_PASSWORD);
    await back.expect('GameStart');
    await pause(300);
    assert.deepEqual(back.pending(), []);
    white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
    const next = await back.next();
    assert.ok(next.type === 'YourTurn' || next.type === 'CompulsoryMove');
    back.close();
    white.close();
  });

  it('a new login takes over a connection that is still open, without forfeit; outside a game it is refused', async () => {
    const { black, white, names } = await startGame(server);
    const takeover = await RawClient.connect(server.port);
    await takeover.login(names[0], TEST_PASSWORD);
    await black.closedWithin(5000);
    await takeover.expect('GameStart');
    const turn = await takeover.expect('YourTurn');
    takeover.send({ type: 'MakeMove', move: legalMoveByte(turn.board, BLACK) });
    await white.expect('YourTurn');
    assert.equal(
      (await server.store.listGames()).filter((game) => game.black.name === names[0]).length,
      0,
      'no forfeit',
    );
    takeover.close();
    white.close();
  });

  it('LogOut still forfeits at once', async () => {
    const { black, white } = await startGame(server);
    black.send({ type: 'LogOut' });
    await white.expect('OpponentDisconnect');
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'logout');
    black.close();
    white.close();
  });
});

// The grace periods and the move clock on a manual clock: time moves only when the test says so,
// after the server has set the timer it is about (the rules themselves: match-rules.test.ts).
const GRACE_MS = 7_000; // a length no other timer of the server has

describe('the grace period and the move clock of an away player, on a manual clock', () => {
  const clock = new ManualClock();
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clock, timing: { reconnectGraceMs: GRACE_MS, moveTimeoutMs: 300_000 } });
  });
  after(() => server.stop());

  const graceTimers = (count: number) =>
    waitUntil(() => clock.pendingFor(GRACE_MS) === count, `${count} grace period(s) running`);

  it('the grace period running out forfeits the game: OpponentDisconnect on time, and the loss is recorded', async () => {
    const { black, white, names } = await startGame(server, clock);
    black.close();
    await graceTimers(1);
    clock.advance(GRACE_MS - 1);
    await pause(50);
    assert.deepEqual(white.pending(), [], 'nothing before the grace period ends');
    clock.advance(1);
    await white.expect('OpponentDisconnect');
    await waitUntil(
      async () => (await server.store.listGames()).at(-1)?.black.name === names[0],
      'the forfeit recorded',
    );
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.winner, 'white');
    assert.equal(game?.termination, 'disconnect');
    assert.ok(((await server.store.findAccount(names[0]))?.rating.rating ?? 1200) < 1200);
    const late = await RawClient.connect(server.port);
    await late.login(names[0], TEST_PASSWORD);
    await assert.rejects(late.expect('GameStart', 1500), /no message/);
    late.close();
    white.close();
  });

  it('if neither returns, the game is abandoned with no rating change', async () => {
    const { black, white, names } = await startGame(server, clock);
    black.close();
    white.close();
    await graceTimers(2);
    clock.advance(GRACE_MS);
    await waitUntil(async () => (await server.store.listGames()).at(-1)?.black.name === names[0], 'the game recorded');
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.winner, 'abandoned');
    assert.equal(game?.termination, 'both-away');
    assert.equal((await server.store.findAccount(names[0]))?.rating.rating, 1200);
    assert.equal((await server.store.findAccount(names[1]))?.rating.rating, 1200);
  });

  it('one back in time wins when the other’s grace ran out while both were away', async () => {
    const { black, white, names } = await startGame(server, clock);
    black.close();
    await graceTimers(1);
    clock.advance(GRACE_MS / 2);
    white.close();
    await graceTimers(2);
    clock.advance(GRACE_MS / 2);
    assert.equal(clock.pendingFor(GRACE_MS), 1, 'black ran out, white has half the grace left');
    const back = await RawClient.connect(server.port);
    await back.login(names[1], TEST_PASSWORD);
    await back.expect('GameStart');
    await back.expect('OpponentDisconnect');
    await waitUntil(async () => (await server.store.listGames()).at(-1)?.white.name === names[1], 'the game recorded');
    assert.equal((await server.store.listGames()).at(-1)?.winner, 'white');
    back.close();
  });

  it('the move clock runs out before the grace period: forfeit on the clock, OpponentDisconnect to the opponent', async (t) => {
    const moveClock = new ManualClock();
    const hasty = await startTestServer({
      clock: moveClock,
      timing: { reconnectGraceMs: 60_000, moveTimeoutMs: 1000 },
    });
    t.after(() => hasty.stop());
    const { black, white } = await startGame(hasty, moveClock);
    black.close();
    await waitUntil(() => moveClock.pendingFor(60_000) === 1, 'the grace period running');
    moveClock.advance(1000);
    await white.expect('OpponentDisconnect');
    await waitUntil(
      async () => (await hasty.store.listGames()).at(-1)?.termination === 'move-clock',
      'the forfeit recorded',
    );
    white.close();
  });
});

describe('with --reconnect-grace 0', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timing: { reconnectGraceMs: 0 } });
  });
  after(() => server.stop());

  it('a dropped connection forfeits at once', async () => {
    const { black, white } = await startGame(server);
    black.send({ type: 'MakeMove', move: 0x36 });
    await white.expect('YourTurn');
    black.close();
    await white.expect('OpponentDisconnect');
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'disconnect');
    assert.equal((await server.store.listGames()).at(-1)?.moves[0], '9-14');
    white.close();
  });
});

describe('games survive kill -9', () => {
  it('restart on the same database: both players log in and finish from exactly where they were', async (t) => {
    const directory = temporaryDirectory();
    const dbPath = join(directory, 'checkers.db');
    try {
      const setup = await openSqliteStore(dbPath);
      const [a = '', b = ''] = await addPlayers(setup, 'crash', 2);
      setup.close();
      const server = await spawnServer(dbPath);
      t.after(() => server.stop());
      const one = await RawClient.connect(server.port);
      await one.login(a, TEST_PASSWORD);
      const two = await RawClient.connect(server.port);
      await two.login(b, TEST_PASSWORD);
      await one.expect('GameStart');
      await two.expect('GameStart');
      // Six moves, each answered (so each is committed), then the kill. The first to move is black.
      let next = await nextTurn([one, two]);
      const colors: Color[] = next.index === 0 ? [BLACK, WHITE] : [WHITE, BLACK];
      for (let ply = 0; ply < 6; ply++) {
        const mover = next.index === 0 ? one : two;
        mover.send({ type: 'MakeMove', move: legalMoveByte(next.turn.board, colors[next.index] ?? BLACK) });
        next = await nextTurn([one, two]);
      }
      const lastBoard = next.turn.board;
      server.child.kill('SIGKILL');
      await server.exited();
      one.close();
      two.close();

      const restarted = await spawnServer(dbPath);
      t.after(() => restarted.stop());
      const oneAgain = await RawClient.connect(restarted.port);
      const twoAgain = await RawClient.connect(restarted.port);
      await oneAgain.login(a, TEST_PASSWORD);
      await twoAgain.login(b, TEST_PASSWORD);
      await oneAgain.expect('GameStart');
      await twoAgain.expect('GameStart');
      const mover = next.index === 0 ? oneAgain : twoAgain;
      const resumed = await mover.expect('YourTurn');
      assert.deepEqual(resumed.board, lastBoard, 'exactly the position they left');
      mover.send({ type: 'MakeMove', move: legalMoveByte(resumed.board, colors[next.index] ?? BLACK) });
      const [x, y] = await Promise.all([
        playGame(oneAgain, seededRandom(1), 10_000, colors[0]),
        playGame(twoAgain, seededRandom(2), 10_000, colors[1]),
      ]);
      assert.ok(x.gameOver && y.gameOver);
      oneAgain.close();
      twoAgain.close();
      restarted.child.kill('SIGTERM');
      await restarted.exited();
      const store = await openSqliteStore(dbPath);
      assert.equal((await store.listGames()).length, 1);
      assert.equal((await store.loadLiveGames()).length, 0);
      store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
