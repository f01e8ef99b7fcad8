import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RATING, rateGame, updateRating, wireRating } from '../../../src/server/domain/rating.js';

describe('Glicko-2', () => {
  it("reproduces Glickman's worked example", () => {
    const updated = updateRating({ rating: 1500, deviation: 200, volatility: 0.06 }, [
      { rating: 1400, deviation: 30, score: 1 },
      { rating: 1550, deviation: 100, score: 0 },
      { rating: 1700, deviation: 300, score: 0 },
    ]);
    assert.ok(Math.abs(updated.rating - 1464.06) < 0.01, `rating ${updated.rating}`);
    assert.ok(Math.abs(updated.deviation - 151.52) < 0.01, `deviation ${updated.deviation}`);
    assert.ok(Math.abs(updated.volatility - 0.05999) < 0.00001, `volatility ${updated.volatility}`);
  });

  it('a winner gains what a loser of equal standing loses', () => {
    const { black, white } = rateGame(DEFAULT_RATING, DEFAULT_RATING, 1);
    assert.ok(black.rating > 1200 && white.rating < 1200);
    assert.ok(Math.abs(black.rating - 1200 - (1200 - white.rating)) < 1e-9);
    assert.ok(black.deviation < DEFAULT_RATING.deviation);
  });

  it('a draw between equals changes no rating, and a draw pulls unequal ratings together', () => {
    const even = rateGame(DEFAULT_RATING, DEFAULT_RATING, 0.5);
    assert.ok(Math.abs(even.black.rating - 1200) < 1e-9 && Math.abs(even.white.rating - 1200) < 1e-9);
    const strong = { rating: 1600, deviation: 80, volatility: 0.06 };
    const weak = { rating: 1300, deviation: 80, volatility: 0.06 };
    const draw = rateGame(strong, weak, 0.5);
    assert.ok(draw.black.rating < 1600 && draw.white.rating > 1300);
  });

  it('beating a much weaker player gains little', () => {
    const strong = { rating: 1800, deviation: 60, volatility: 0.06 };
    const weak = { rating: 1000, deviation: 60, volatility: 0.06 };
    const { black } = rateGame(strong, weak, 1);
    assert.ok(black.rating - 1800 < 1, `gained ${black.rating - 1800}`);
  });

  it('the wire rating is a rounded, non-negative integer', () => {
    assert.equal(wireRating(1209.5), 1210);
    assert.equal(wireRating(-20), 0);
  });
});
