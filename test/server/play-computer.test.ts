import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BLACK } from '../../src/game/position.js';
import { encodeMessage, type MessageOfType } from '../../src/protocol/index.js';
import { addPlayers } from '../support/accounts.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { legalPath, loginV2, seek } from '../support/v2-game.js';

const BOT = 'checkers-bot';

/** Plays random legal paths as Black until the game ends (bounded); resolves with GameOver2. */
async function playAgainstComputer(
  player: RawClient,
  first: MessageOfType<'YourMove'>,
  random: (bound: number) => number,
  maxMoves = 300,
): Promise<MessageOfType<'GameOver2'>> {
  let turn = first;
  for (let moves = 0; moves < maxMoves; moves++) {
    player.send({ type: 'MovePath', path: legalPath(turn.board, BLACK, random) });
    const ack = await player.next();
    if (ack.type === 'GameOver2') return ack;
    assert.equal(ack.type, 'TheirMove');
    const next = await player.next([], 30_000);
    if (next.type === 'GameOver2') return next;
    assert.equal(next.type, 'YourMove', `expected YourMove or GameOver2, got ${next.type}`);
    turn = next as MessageOfType<'YourMove'>;
  }
  throw new Error(`no end after ${maxMoves} moves`);
}

describe('play the computer (PlayComputer, version 2) on a real server with --bot-after 0', () => {
  let server: TestServer;
  before(async () => {
    // --bot-after is 0 (the default): nobody waiting is given the bot, but anyone may ask for it.
    server = await startTestServer({ houseBot: { name: BOT, maxGames: 1, pauseMs: [0, 2], threads: 1 } });
  });
  after(() => server.stop());

  it('a casual game against level 1 is played to GameOver2, unrated, and recorded', async () => {
    const [name = ''] = await addPlayers(server.store, 'solo', 1);
    const player = await RawClient.connectV2(server.port);
    try {
      const loggedIn = await loginV2(player, name);
      const request = {
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 600,
        incrementSeconds: 5,
        rated: false,
        colour: 0,
        opening: 0,
      } as const;
      assert.equal(Buffer.from(encodeMessage(request)).toString('hex'), '1901580205000000');
      player.send(request);
      const start = await player.expect('GameStart2');
      assert.equal(start.opponent, BOT);
      assert.equal(start.colour, 0, 'the player moves first');
      assert.equal(start.rated, false);
      assert.deepEqual([start.initialSeconds, start.incrementSeconds], [600, 5]);
      const over = await playAgainstComputer(player, await player.expect('YourMove'), seededRandom(26));
      assert.equal(over.rated, false);
      assert.equal(over.newRating, over.oldRating, 'a casual game changes no rating');
      assert.equal(over.oldRating, loggedIn.rating);
      const record = (await server.store.listGames({ user: name })).at(-1);
      assert.ok(record, 'the game is recorded');
      assert.equal(record.rules, 'standard');
      assert.equal(record.white.name, BOT);
      assert.equal(record.black.ratingAfter, record.black.ratingBefore);
      // At the game's end the player may ask again: the computer is free once more.
      player.send({
        type: 'PlayComputer',
        level: 2,
        initialSeconds: 180,
        incrementSeconds: 2,
        rated: false,
        colour: 0,
        opening: 0,
      });
      assert.equal((await player.expect('GameStart2')).opponent, BOT);
      player.send({ type: 'Resign' });
      assert.equal((await player.next(['YourMove', 'TheirMove'])).type, 'GameOver2');
    } finally {
      player.close();
    }
  });

  it('a rated game is rated against the house bot’s standard rating', async () => {
    const [name = ''] = await addPlayers(server.store, 'ratedsolo', 1);
    const player = await RawClient.connectV2(server.port);
    try {
      const loggedIn = await loginV2(player, name);
      const bot = await server.store.findAccount(BOT);
      assert.ok(bot);
      player.send({
        type: 'PlayComputer',
        level: 3,
        initialSeconds: 300,
        incrementSeconds: 3,
        rated: true,
        colour: 0,
        opening: 0,
      });
      const start = await player.expect('GameStart2');
      assert.equal(start.rated, true);
      assert.equal(start.opponentRating, Math.round(bot.standard.rating.rating));
      player.send({ type: 'Resign' });
      const over = await player.next(['YourMove', 'TheirMove']);
      assert.equal(over.type, 'GameOver2');
      if (over.type !== 'GameOver2') return;
      assert.equal(over.rated, true);
      assert.equal(over.oldRating, loggedIn.rating);
      assert.ok(over.newRating < over.oldRating, 'a loss lowers the standard rating');
      const botAfter = await server.store.findAccount(BOT);
      assert.ok(botAfter && botAfter.standard.rating.rating > bot.standard.rating.rating, 'the bot gains');
    } finally {
      player.close();
    }
  });

  it('when every bot game (--max-bot-games) is in use: ComputerBusy, and the player stays in the lobby', async () => {
    const [busyName = '', otherName = ''] = await addPlayers(server.store, 'busy', 2);
    const playing = await RawClient.connectV2(server.port);
    const refused = await RawClient.connectV2(server.port);
    try {
      await loginV2(playing, busyName);
      playing.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 900,
        incrementSeconds: 10,
        rated: false,
        colour: 0,
        opening: 0,
      });
      await playing.expect('GameStart2');
      await loginV2(refused, otherName);
      refused.send({
        type: 'PlayComputer',
        level: 1,
        initialSeconds: 900,
        incrementSeconds: 10,
        rated: false,
        colour: 0,
        opening: 0,
      });
      await refused.expect('ComputerBusy');
      // Still in the lobby: a Seek is allowed there.
      const queued = await seek(refused, 900, 10);
      assert.equal(queued.position, 1);
    } finally {
      playing.close();
      refused.close();
    }
  });

  it('a level outside 1-10 or a time control not offered is a protocol error', async () => {
    const [name = ''] = await addPlayers(server.store, 'badlevel', 1);
    for (const request of [
      { level: 0, initialSeconds: 180, incrementSeconds: 2 },
      { level: 11, initialSeconds: 180, incrementSeconds: 2 },
      { level: 1, initialSeconds: 60, incrementSeconds: 0 },
    ]) {
      const client = await RawClient.connectV2(server.port);
      try {
        await loginV2(client, name);
        client.send({ type: 'PlayComputer', ...request, rated: false, colour: 0, opening: 0 });
        await client.closedWithin(5000);
      } finally {
        client.close();
      }
    }
  });
});
