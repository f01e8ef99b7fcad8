import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playRefereed } from '../../bench/refereed-game.js';
import { positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { legalMoves, type Move } from '../../src/game/standard.js';

/** A mover that plays the first of `preferred` (by notation) that is legal, else the first legal move. */
function preferring(...preferred: string[]) {
  return (position: Parameters<typeof legalMoves>[0]): Move => {
    const moves = legalMoves(position);
    const chosen = moves.find((move) => preferred.includes(formatMove(move))) ?? moves[0];
    assert.ok(chosen);
    return chosen;
  };
}

describe("the engine benches' referee", () => {
  it('ends a game by the rules, with the winner', async () => {
    // White's king takes Black's last man.
    const game = await playRefereed(positionFromFen('W:WK14:B10'), [preferring(), preferring()], {
      maxPlies: 10,
      threefold: true,
    });
    assert.equal(game.ending, 'rules');
    assert.equal(game.winner, WHITE);
  });

  it('draws two kings going round: by threefold repetition, or by the 40-move rule without it', async () => {
    const shuffle = [preferring('1-6', '6-1'), preferring('32-27', '27-32')] as const;
    const start = positionFromFen('B:WK32:BK1');
    const repeated = await playRefereed(start, shuffle, { maxPlies: 300, threefold: true });
    assert.deepEqual([repeated.ending, repeated.winner], ['repetition', null]);
    const counted: number[] = [];
    const fortyMove = await playRefereed(
      start,
      [
        (position, history) => {
          counted.push(history.quietPlies);
          return shuffle[0](position);
        },
        shuffle[1],
      ],
      { maxPlies: 300, threefold: false },
    );
    assert.deepEqual([fortyMove.ending, fortyMove.winner], ['forty-move', null]);
    assert.deepEqual(counted.slice(0, 3), [0, 2, 4], "Black is told the game's quiet plies");
    assert.equal(counted.at(-1), QUIET_PLIES_FOR_DRAW - 2);
  });

  it('draws at the ply cap, and tells each mover the positions since the last man move', async () => {
    const told: number[] = [];
    const game = await playRefereed(
      INITIAL_POSITION,
      [
        (position, history) => {
          told.push(history.positions?.length ?? -1);
          return preferring()(position);
        },
        preferring(),
      ],
      { maxPlies: 6, threefold: true },
    );
    assert.deepEqual([game.ending, game.winner], ['cap', null]);
    assert.deepEqual(told, [0, 0, 0], 'men moved: no positions to repeat');
    assert.equal(game.position.turn, BLACK);
  });
});
