import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { passwordHashesComputed } from '../../src/server/passwords.js';
import { addPlayers } from '../support/accounts.js';
import { FakeCluster } from '../support/fake-cluster.js';
import { ManualClock } from '../support/manual-clock.js';
import { RawClient } from '../support/raw-client.js';
import { HARNESS_PASSWORD, ServiceHarness } from '../support/service-harness.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { legalPath, loginV2, resumeV2, startStandardGame } from '../support/v2-game.js';
import { waitUntil } from '../support/wait.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('version 2: coming back with a resume token, no password hash', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timing: { reconnectGraceMs: 60_000 } });
  });
  after(() => server.stop());

  it('a dropped player resumes with the token: the opponent hears Away then Back, the game goes on; no hash', async () => {
    const game = await startStandardGame(server);
    const { black, white, names, tokens } = game;
    try {
      black.close();
      assert.deepEqual(await white.expect('OpponentAway'), { type: 'OpponentAway', graceSeconds: 60 });
      const hashes = passwordHashesComputed();
      const back = await RawClient.connectV2(server.port);
      const loggedIn = await resumeV2(back, names[0], tokens[0]);
      assert.deepEqual(loggedIn.token, tokens[0], 'the same token, not rotated');
      assert.equal(loggedIn.flags & 1, 1, 'a game in progress');
      const start = await back.expect('GameStart2');
      assert.equal(start.gameId, game.blackStart.gameId);
      assert.equal(start.colour, 0);
      const turn = await back.expect('YourMove');
      assert.deepEqual(turn.board, game.firstMove.board);
      await white.expect('OpponentBack');
      back.send({ type: 'MovePath', path: legalPath(turn.board, 0) });
      await back.expect('TheirMove');
      await white.expect('YourMove');
      assert.equal(passwordHashesComputed(), hashes, 'no password hash for a resume');
      back.close();
    } finally {
      game.close();
    }
  });

  it('a resume takes over a connection still open, without a forfeit; the opponent hears nothing; no hash', async () => {
    const game = await startStandardGame(server);
    const { black, white, names, tokens } = game;
    try {
      const hashes = passwordHashesComputed();
      const takeover = await RawClient.connectV2(server.port);
      await resumeV2(takeover, names[0], tokens[0]);
      await black.closedWithin(5000);
      await takeover.expect('GameStart2');
      const turn = await takeover.expect('YourMove');
      takeover.send({ type: 'MovePath', path: legalPath(turn.board, 0) });
      await takeover.expect('TheirMove');
      const next = await white.next();
      assert.equal(next.type, 'YourMove', 'no OpponentAway or OpponentBack for a takeover');
      assert.equal(passwordHashesComputed(), hashes);
      takeover.close();
    } finally {
      game.close();
    }
  });

  it('a wrong token or name is refused (reasons 3 and 0); LogOut revokes the token; outside a game a second login is refused', async () => {
    const [name = ''] = await addPlayers(server.store, 'tok', 1);
    const first = await RawClient.connectV2(server.port);
    const hashes = passwordHashesComputed();
    const { token } = await loginV2(first, name);
    assert.equal(passwordHashesComputed(), hashes + 1, 'a password login is one hash (the count counts)');
    const second = await RawClient.connectV2(server.port);
    try {
      second.send({ type: 'Resume', version: 2, username: name, token: new Uint8Array(16).fill(7) });
      assert.deepEqual(await second.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.ResumeRefused });
      second.send({ type: 'Resume', version: 2, username: 'nobody-here', token });
      assert.deepEqual(await second.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.NoSuchAccount });
      second.send({ type: 'Resume', version: 2, username: name, token });
      assert.deepEqual(await second.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.AlreadyLoggedIn });
      first.send({ type: 'LogOut' });
      await waitUntil(async () => {
        second.send({ type: 'Resume', version: 2, username: name, token });
        const answer = await second.next();
        return answer.type === 'InvalidLogin' && answer.reason === InvalidLoginReason.ResumeRefused;
      }, 'the token revoked');
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('version 2 across a restart', () => {
  it('a game in progress resumes with its clocks after the server restarts', async (t) => {
    const dbPath = join(temporaryDirectory(), 'checkers.db');
    const first = await startTestServer({ dbPath, timing: { reconnectGraceMs: 60_000 } });
    t.after(() => first.stop());
    const game = await startStandardGame(first, { initialSeconds: 180, incrementSeconds: 2 });
    game.black.send({ type: 'MovePath', path: [11, 15] });
    const moved = await game.black.expect('TheirMove');
    await game.white.expect('YourMove');
    assert.ok(moved.yourClockMs > 180_000, 'the increment was added');
    game.close();
    await first.stop({ keepFiles: true });

    const second = await startTestServer({ dbPath, timing: { reconnectGraceMs: 60_000 } });
    t.after(() => second.stop());
    const black = await RawClient.connectV2(second.port);
    const white = await RawClient.connectV2(second.port);
    try {
      const blackIn = await resumeV2(black, game.names[0], game.tokens[0]);
      assert.equal(blackIn.flags & 1, 1);
      const start = await black.expect('GameStart2');
      assert.equal(start.gameId, game.blackStart.gameId);
      assert.deepEqual([start.initialSeconds, start.incrementSeconds], [180, 2]);
      const blackView = await black.expect('TheirMove');
      assert.deepEqual(blackView.lastPath, [11, 15]);
      assert.equal(blackView.yourClockMs, moved.yourClockMs, 'Black’s clock exactly as stored');
      const away = await black.expect('OpponentAway');
      assert.ok(away.graceSeconds > 50 && away.graceSeconds <= 60, 'White, not back yet, has the grace left');
      await resumeV2(white, game.names[1], game.tokens[1]);
      await white.expect('GameStart2');
      const whiteTurn = await white.expect('YourMove');
      assert.deepEqual(whiteTurn.lastPath, [11, 15]);
      assert.equal(whiteTurn.opponentClockMs, moved.yourClockMs);
      assert.ok(whiteTurn.yourClockMs <= 180_000 && whiteTurn.yourClockMs > 170_000, `${whiteTurn.yourClockMs}`);
      await black.expect('OpponentBack');
      white.send({ type: 'MovePath', path: legalPath(whiteTurn.board, 1) });
      await white.expect('TheirMove');
      await black.expect('YourMove');
    } finally {
      black.close();
      white.close();
    }
  });
});

describe('version 2 clocks, on a manual clock', () => {
  const clock = new ManualClock();
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clock, timing: { reconnectGraceMs: 60_000 } });
  });
  after(() => server.stop());

  it('a player whose clock runs out loses on time; both hear GameOver2 and the loss is recorded', async () => {
    const game = await startStandardGame(server, { initialSeconds: 180, incrementSeconds: 2 }, clock);
    try {
      clock.advance(179_999);
      await pause(50);
      assert.deepEqual(
        game.white.pending().filter((message) => message.type !== 'QueuePosition'),
        [],
        'nothing before the flag falls',
      );
      clock.advance(1);
      const [blackOver, whiteOver] = await Promise.all([
        game.black.expect('GameOver2'),
        game.white.expect('GameOver2'),
      ]);
      assert.deepEqual([blackOver.result, blackOver.reason, whiteOver.result, whiteOver.reason], [0, 5, 1, 5]);
      await waitUntil(async () => (await server.store.listGames()).at(-1)?.termination === 'out-of-time', 'recorded');
      assert.equal((await server.store.listGames()).at(-1)?.winner, 'white');
    } finally {
      game.close();
    }
  });
});

describe('version 2 in a cluster', () => {
  it('is not offered: a version-2 Connect, Resume or Guest hears InvalidVersion(1, 1); version 1 logs in', async () => {
    const harness = await ServiceHarness.create(['clu'], { cluster: new FakeCluster('alpha') });
    try {
      const client = harness.connect();
      client.send({ type: 'Connect', version: 2, username: 'clu', password: HARNESS_PASSWORD });
      await harness.until(() => client.received().length === 1, 'an answer');
      client.send({ type: 'Resume', version: 2, username: 'clu', token: new Uint8Array(16) });
      await harness.until(() => client.received().length === 2, 'an answer');
      client.send({ type: 'Guest', version: 2 });
      await harness.until(() => client.received().length === 3, 'an answer');
      assert.deepEqual(client.received(), [
        { type: 'InvalidVersion', highest: 1, lowest: 1 },
        { type: 'InvalidVersion', highest: 1, lowest: 1 },
        { type: 'InvalidVersion', highest: 1, lowest: 1 },
      ]);
      assert.ok(!(await harness.store.listAccounts()).some((account) => account.guest), 'no guest was made');
      client.send({ type: 'Connect', version: 1, username: 'clu', password: HARNESS_PASSWORD });
      await harness.until(() => client.types().includes('QueuePosition'), 'a version-1 login');
    } finally {
      await harness.close();
    }
  });
});
