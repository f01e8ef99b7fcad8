import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromWireBoard } from '../../src/common/wire.js';
import { WHITE } from '../../src/game/position.js';
import { legalMoves } from '../../src/game/standard.js';
import { InvalidLoginReason, InviteRefusedReason } from '../../src/protocol/index.js';
import { addPlayers, TEST_HASH_COST } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { loginV2, resumeV2 } from '../support/v2-game.js';

/*
 * Guests, PlayComputer's colour and opening, the computer's level across a
 * restart, and hints, on real servers: real TCP, real SQLite on disk, the
 * house bot's engine and hints in its worker thread.
 */

const BOT = 'checkers-bot';

async function signUp(server: TestServer, name: string): Promise<{ status: number; error: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/accounts`, {
    method: 'POST',
    signal: AbortSignal.timeout(5000),
    body: JSON.stringify({ name, password: 'pw-of-mine' }),
    headers: { 'Content-Type': 'application/json' },
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error ?? '' };
}

describe('guests and hints on a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      houseBot: { name: BOT, maxGames: 4, pauseMs: [0, 2], threads: 1 },
      community: { registration: 'open', hashCost: TEST_HASH_COST },
    });
  });
  after(() => server.stop());

  it('a guest plays the computer as White from a ballot, asks a hint, and nobody can sign up under its name', async () => {
    const guest = await RawClient.connectV2(server.port);
    try {
      guest.send({ type: 'Guest', version: 2 });
      const { name, token } = await guest.expect('GuestLoggedIn');
      assert.match(name, /^guest-[1-9]\d{4}$/);
      guest.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 600,
        incrementSeconds: 5,
        rated: false,
        colour: 1,
        opening: 1,
      });
      const start = await guest.expect('GameStart2');
      assert.deepEqual([start.colour, start.rated, start.opponent], [WHITE, false, BOT]);
      const turn = await guest.expect('YourMove');
      // Ballot (three moves) then the bot's move, or the ballot's last: either way a move was made before.
      assert.ok(turn.lastPath);
      guest.send({ type: 'Hint' });
      const hint = await guest.expect('HintMove');
      const reading = fromWireBoard(turn.board, WHITE, WHITE);
      assert.ok(reading.ok && hint.path);
      const paths = legalMoves(reading.position).map((move) =>
        [move.from, ...move.path].map((bit) => bit + 1).join('-'),
      );
      assert.ok(paths.includes(hint.path.join('-')), `the hint ${hint.path.join('-')} is a legal move`);

      // While the guest plays, its name cannot be signed up, in any case.
      for (const taken of [name, name.toUpperCase()]) {
        const refused = await signUp(server, taken);
        assert.equal(refused.status, 400);
        assert.match(refused.error, /names starting with guest- are kept for guests/);
      }
      const profile = (await (await fetch(`http://127.0.0.1:${server.port}/api/players/${name}`)).json()) as {
        guest?: boolean;
      };
      assert.equal(profile.guest, true, 'the API marks a guest');

      guest.send({ type: 'Resign' });
      const over = await guest.next(['YourMove', 'TheirMove']);
      assert.equal(over.type, 'GameOver2');
      if (over.type !== 'GameOver2') return;
      assert.deepEqual([over.rated, over.newRating, over.oldRating], [false, 0, 0], 'a guest has no rating');
      const [record] = await server.store.listGames({ user: name });
      assert.ok(record);
      assert.equal(record.white.name, name);
      assert.equal(record.white.ratingAfter, record.white.ratingBefore, 'unrated');
      guest.close();

      // The guest comes back with its token.
      const back = await RawClient.connectV2(server.port);
      try {
        const loggedIn = await resumeV2(back, name, token);
        assert.equal(loggedIn.rating, 0);
        assert.equal(loggedIn.flags, 0);
      } finally {
        back.close();
      }
    } finally {
      guest.close();
    }
  });

  it('a guest joins a casual invite (each sees the other, the guest with rating 0); a rated one is refused', async () => {
    const [maker = ''] = await addPlayers(server.store, 'inviter', 1);
    const host = await RawClient.connectV2(server.port);
    const guest = await RawClient.connectV2(server.port);
    try {
      await loginV2(host, maker);
      guest.send({ type: 'Guest', version: 2 });
      const { name } = await guest.expect('GuestLoggedIn');
      const invite = { type: 'CreateInvite', initialSeconds: 300, incrementSeconds: 3, colour: 0, opening: 0 } as const;
      host.send({ ...invite, rated: true });
      const rated = await host.expect('InviteCreated');
      guest.send({ type: 'JoinInvite', code: rated.code });
      assert.equal((await guest.expect('InviteRefused')).reason, InviteRefusedReason.RatedNeedsAccount);
      host.send({ ...invite, rated: false });
      const casual = await host.expect('InviteCreated');
      guest.send({ type: 'JoinInvite', code: casual.code });
      const hostStart = await host.expect('GameStart2');
      const guestStart = await guest.expect('GameStart2');
      assert.deepEqual([hostStart.opponent, hostStart.opponentRating, hostStart.rated], [name, 0, false]);
      assert.equal(guestStart.opponent, maker);
      assert.equal(guestStart.colour, WHITE);
      await host.expect('YourMove');
      guest.send({ type: 'Resign' });
      assert.equal((await guest.next(['TheirMove'])).type, 'GameOver2');
    } finally {
      host.close();
      guest.close();
    }
  });

  it('a guest asking for a rated game is a protocol error', async () => {
    const guest = await RawClient.connectV2(server.port);
    try {
      guest.send({ type: 'Guest', version: 2 });
      await guest.expect('GuestLoggedIn');
      guest.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 180,
        incrementSeconds: 2,
        rated: true,
        colour: 0,
        opening: 0,
      });
      await guest.closedWithin(5000);
    } finally {
      guest.close();
    }
  });

  it('a hint in a rated game against the computer is a HintMove with no move', async () => {
    const [name = ''] = await addPlayers(server.store, 'ratedhint', 1);
    const player = await RawClient.connectV2(server.port);
    try {
      await loginV2(player, name);
      player.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 180,
        incrementSeconds: 2,
        rated: true,
        colour: 0,
        opening: 0,
      });
      await player.expect('GameStart2');
      await player.expect('YourMove');
      player.send({ type: 'Hint' });
      assert.equal((await player.expect('HintMove')).path, null);
      player.send({ type: 'Resign' });
      assert.equal((await player.next()).type, 'GameOver2');
    } finally {
      player.close();
    }
  });
});

describe('--guests off on a real server', () => {
  it('refuses Guest with InvalidLogin 4; the connection may log in with a password after it', async (t) => {
    const server = await startTestServer({ guests: false });
    t.after(() => server.stop());
    const [name = ''] = await addPlayers(server.store, 'noguests', 1);
    const client = await RawClient.connectV2(server.port);
    try {
      client.send({ type: 'Guest', version: 2 });
      assert.equal((await client.expect('InvalidLogin')).reason, InvalidLoginReason.GuestsOff);
      await loginV2(client, name);
    } finally {
      client.close();
    }
  });
});

describe('the computer’s level and a casual game across a real restart', () => {
  it('the stored game keeps level and casual; the player resumes it casual', async (t) => {
    const dbPath = join(temporaryDirectory(), 'checkers.db');
    const options = {
      dbPath,
      timing: { reconnectGraceMs: 60_000 },
      houseBot: { name: BOT, maxGames: 2, pauseMs: [0, 2] as const, threads: 1 },
    };
    const first = await startTestServer(options);
    t.after(() => first.stop());
    const [name = ''] = await addPlayers(first.store, 'restart', 1);
    const player = await RawClient.connectV2(first.port);
    let token: Uint8Array;
    let gameId: number;
    try {
      token = (await loginV2(player, name)).token;
      player.send({
        type: 'PlayComputer',
        level: 4,
        initialSeconds: 900,
        incrementSeconds: 10,
        rated: false,
        colour: 0,
        opening: 0,
      });
      gameId = (await player.expect('GameStart2')).gameId;
      await player.expect('YourMove');
    } finally {
      player.close();
    }
    await first.stop({ keepFiles: true });
    const second = await startTestServer(options);
    t.after(() => second.stop());
    const [stored] = await second.store.loadLiveGames([gameId]);
    assert.deepEqual([stored?.botLevel, stored?.rated], [4, false]);
    const back = await RawClient.connectV2(second.port);
    try {
      await resumeV2(back, name, token);
      const start = await back.expect('GameStart2');
      assert.deepEqual([start.gameId, start.rated], [gameId, false]);
      back.send({ type: 'Resign' });
      const over = await back.next(['YourMove', 'TheirMove', 'OpponentAway', 'OpponentBack']);
      assert.equal(over.type, 'GameOver2');
      if (over.type === 'GameOver2') assert.equal(over.rated, false);
    } finally {
      back.close();
    }
  });
});
