import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { levelForRating, NO_PASSWORD } from '../../src/server/house-bot.js';
import { verifyPassword } from '../../src/server/passwords.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { playGame } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';

describe('the house bot (--bot-after)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      timing: { botAfterMs: 1000 },
      houseBot: { name: 'checkers-bot', pauseMs: [0, 2] },
    });
  });
  after(() => server.stop());

  it('a player waiting alone gets a game against the bot, which looks like any opponent on the wire', async () => {
    const [name = ''] = await addPlayers(server.store, 'lonely', 1);
    const player = await RawClient.connect(server.port);
    const queued = await player.login(name, TEST_PASSWORD);
    const started = Date.now();
    const start = await player.expect('GameStart', 5000);
    assert.ok(Date.now() - started >= 500, 'not before --bot-after');
    assert.deepEqual(start, { type: 'GameStart', opponent: 'checkers-bot', opponentRating: queued.rating });
    const game = await playGame(player, seededRandom(5), 60_000);
    assert.ok(game.gameOver, 'the game ends normally');
    const record = (await server.store.listGames()).at(-1);
    assert.ok(record);
    assert.ok([record.black.name, record.white.name].includes('checkers-bot'));
    const bot = await server.store.findAccount('checkers-bot');
    assert.ok(bot, 'the bot has an account, visible in user list');
    assert.notEqual(bot.rating.rating, 1200, 'bot games are rated, for the bot too');
    player.close();
  });

  it('nobody can log in as the bot', async () => {
    assert.equal(await verifyPassword('', NO_PASSWORD), false);
    const client = await RawClient.connect(server.port);
    client.send({ type: 'Connect', version: 1, username: 'checkers-bot', password: '!house-bot: no l' });
    assert.equal((await client.expect('InvalidLogin')).reason, InvalidLoginReason.WrongPassword);
    client.close();
  });

  it('picks a level that suits the rating', () => {
    assert.equal(levelForRating(400), 1);
    assert.equal(levelForRating(1200), 7);
    assert.equal(levelForRating(2000), 10);
  });

  it('a game against the bot survives a restart: the bot takes its seat again and the player rejoins', async (t) => {
    const directory = temporaryDirectory();
    const dbPath = join(directory, 'checkers.db');
    const houseBot = { name: 'checkers-bot', pauseMs: [0, 2] as const };
    const timing = { botAfterMs: 1000 };
    try {
      const first = await startTestServer({ dbPath, timing, houseBot });
      t.after(() => first.stop());
      const [name = ''] = await addPlayers(first.store, 'restarted', 1);
      const player = await RawClient.connect(first.port);
      await player.login(name, TEST_PASSWORD);
      await player.expect('GameStart', 5000);
      await player.expect('YourTurn', 5000);
      await first.stop({ keepFiles: true });
      const second = await startTestServer({ dbPath, timing, houseBot });
      try {
        const again = await RawClient.connect(second.port);
        await again.login(name, TEST_PASSWORD);
        const start = await again.expect('GameStart', 5000);
        assert.equal(start.opponent, 'checkers-bot');
        const game = await playGame(again, seededRandom(9), 60_000);
        assert.ok(game.gameOver, 'the game is played to its end after the restart');
        again.close();
      } finally {
        await second.stop({ keepFiles: true });
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('never runs more bot games at once than --max-bot-games; the others keep waiting', async () => {
    const capped = await startTestServer({
      timing: { botAfterMs: 1000 },
      houseBot: { name: 'checkers-bot', maxGames: 1, pauseMs: [5000, 5001] },
    });
    try {
      // Ratings far apart, so that matchmaking does not pair the two people with each other.
      const hash = (await capped.store.findAccount('cam'))?.passwordHash ?? '';
      await capped.store.createAccount('low', hash, { rating: 900, deviation: 100, volatility: 0.06 });
      await capped.store.createAccount('high', hash, { rating: 2400, deviation: 100, volatility: 0.06 });
      const first = await RawClient.connect(capped.port);
      await first.login('low', 'mac');
      const second = await RawClient.connect(capped.port);
      await second.login('high', 'mac');
      assert.equal((await first.expect('GameStart', 5000)).opponent, 'checkers-bot');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.ok(
        second.pending().every((message) => message.type === 'QueuePosition'),
        'the second player is still waiting',
      );
      first.close();
      second.close();
    } finally {
      await capped.stop();
    }
  });
});
