import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Account } from '../../src/server/domain/players.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { HouseBotSeats } from '../../src/server/house-bot-seats.js';
import type { MatchOptions } from '../../src/server/match.js';
import { PlayerLogin } from '../../src/server/player-login.js';
import type { Session } from '../../src/server/session.js';
import { ManualClock } from '../support/manual-clock.js';

const BOT: Account = {
  id: 99,
  name: 'checkers-bot',
  passwordHash: '!house-bot: no login',
  rating: DEFAULT_RATING,
  games: 0,
  wins: 0,
  losses: 0,
  draws: 0,
  standard: { rating: DEFAULT_RATING, games: 0, wins: 0, losses: 0, draws: 0 },
};

function person(accountId: number, rating: number): PlayerLogin {
  const session = { id: accountId, closed: false, deliver: () => {} } as unknown as Session;
  return new PlayerLogin(session, accountId, `player${accountId}`, { ...DEFAULT_RATING, rating });
}

function seats() {
  const clock = new ManualClock();
  const options: MatchOptions = {
    clock,
    chooser: () => 0,
    timing: { moveTimeoutMs: 30_000, reconnectGraceMs: 10_000 },
    changed: () => {},
    record: () => {},
    onFinished: () => {},
    storageDown: () => false,
  };
  const table = new HouseBotSeats({ settings: {}, clock, log: pino({ level: 'silent' }), route: () => {} });
  return { table, options };
}

describe("the house bot's version-1 seats", () => {
  it('seats the lower rating first, as between people, and the person on a tie', () => {
    const { table, options } = seats();
    const blackOf = (rating: number, id: number) => table.pair(person(id, rating), BOT, id, options).snapshot()?.black;
    assert.equal(blackOf(1100, 1)?.name, 'player1', 'the person is rated lower: the person moves first');
    assert.equal(blackOf(1300, 2)?.name, 'checkers-bot', 'the bot is rated lower: the bot moves first');
    assert.equal(blackOf(1200, 3)?.name, 'player3', 'a tie: the person, who waited');
  });

  it('counts the games it plays and frees every seat when stopped', () => {
    const { table, options } = seats();
    table.pair(person(1, 1100), BOT, 1, options);
    table.pair(person(2, 1500), BOT, 2, options);
    const restored = table.seat(BOT.id, BOT.name, 0, 1200);
    assert.equal(table.count, 3);
    restored.bot.stop();
    assert.equal(table.count, 2, 'a bot that stops gives its seat back');
    table.stopAll();
    assert.equal(table.count, 0);
  });
});
