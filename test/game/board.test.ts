import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canJump,
  canStep,
  countMoves,
  generateMoves,
  MoveStack,
  ZOBRIST_WHITE_TO_MOVE,
  zobristOf,
  zobristOfMove,
} from '../../src/game/engine/board.js';
import { INITIAL_POSITION, type Position } from '../../src/game/position.js';
import { applyMove, hasJump, hasStep, legalMoves, type Move, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

/** Positions from random games, kings and long captures included. */
function* randomPositions(games: number, seed: number): Generator<Position> {
  const pick = seededRandom(seed);
  for (let game = 0; game < games; game++) {
    let position = INITIAL_POSITION;
    for (let ply = 0; ply < 150 && !standardResult(position); ply++) {
      yield position;
      const moves = legalMoves(position);
      position = applyMove(position, moves[pick(moves.length)] as Move);
    }
  }
}

const describeMove = (from: number, to: number, captured: number) => `${from}-${to}/${captured >>> 0}`;

describe('engine bitboards', () => {
  it('generate the same moves as the rules module, in random positions', () => {
    const stack = new MoveStack(1024);
    let checked = 0;
    for (const position of randomPositions(40, 5)) {
      const own = (position.turn === 0 ? position.black : position.white) | 0;
      const opp = (position.turn === 0 ? position.white : position.black) | 0;
      const kings = position.kings | 0;
      const end = generateMoves(stack, 0, own, opp, kings, position.turn);
      const mine = Array.from({ length: end }, (_, i) =>
        describeMove(stack.from[i] as number, stack.to[i] as number, stack.captured[i] as number),
      ).sort();
      const expected = legalMoves(position)
        .map((move) => describeMove(move.from, move.path[move.path.length - 1] as number, move.captured))
        .sort();
      assert.deepEqual(mine, expected);
      assert.equal(countMoves(stack, 0, own, opp, kings, position.turn), expected.length);
      const empty = ~(own | opp);
      assert.equal(canJump(own, opp, kings, position.turn, empty), hasJump(position, position.turn));
      assert.equal(canStep(own, kings, position.turn, empty), hasStep(position, position.turn));
      checked++;
    }
    assert.ok(checked > 2000, `${checked} positions`);
  });

  it('update the Zobrist key move by move to the key computed from scratch', () => {
    let checked = 0;
    for (const position of randomPositions(20, 9)) {
      const before = zobristOf(position.black | 0, position.white | 0, position.kings | 0, position.turn);
      for (const move of legalMoves(position)) {
        const after = applyMove(position, move);
        const to = move.path[move.path.length - 1] as number;
        const update =
          ZOBRIST_WHITE_TO_MOVE ^ zobristOfMove(position.kings | 0, position.turn, move.from, to, move.captured);
        assert.equal(before ^ update, zobristOf(after.black | 0, after.white | 0, after.kings | 0, after.turn));
        checked++;
      }
    }
    assert.ok(checked > 5000, `${checked} moves`);
  });
});
