import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsAdded } from '../../../src/server/domain/games.js';

describe('countsAdded', () => {
  it('a decided game is a game for both, a win for the winner and a loss for the other', () => {
    assert.deepEqual(countsAdded('black', 'black'), { games: 1, wins: 1, losses: 0, draws: 0 });
    assert.deepEqual(countsAdded('black', 'white'), { games: 1, wins: 0, losses: 1, draws: 0 });
    assert.deepEqual(countsAdded('white', 'white'), { games: 1, wins: 1, losses: 0, draws: 0 });
    assert.deepEqual(countsAdded('white', 'black'), { games: 1, wins: 0, losses: 1, draws: 0 });
  });

  it('a draw is a game and a draw for both', () => {
    for (const side of ['black', 'white'] as const) {
      assert.deepEqual(countsAdded('draw', side), { games: 1, wins: 0, losses: 0, draws: 1 });
    }
  });

  it('an abandoned game counts for nobody', () => {
    for (const side of ['black', 'white'] as const) {
      assert.deepEqual(countsAdded('abandoned', side), { games: 0, wins: 0, losses: 0, draws: 0 });
    }
  });
});
