import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Account, recordFor } from '../../../src/server/domain/players.js';

describe('recordFor', () => {
  const account: Account = {
    id: 1,
    name: 'cam',
    passwordHash: 'h',
    rating: { rating: 1500, deviation: 80, volatility: 0.06 },
    games: 9,
    wins: 5,
    losses: 3,
    draws: 1,
    standard: { rating: { rating: 1320, deviation: 200, volatility: 0.059 }, games: 2, wins: 1, losses: 0, draws: 1 },
  };

  it('gives the version-1 rating and counts for a version-1 game', () => {
    assert.deepEqual(recordFor(account, 'v1'), {
      rating: { rating: 1500, deviation: 80, volatility: 0.06 },
      games: 9,
      wins: 5,
      losses: 3,
      draws: 1,
    });
  });

  it('gives the standard rating and counts for a standard-rules game', () => {
    assert.equal(recordFor(account, 'standard'), account.standard);
  });
});
