import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDecided, PositionAnalyser, pliesToEnd } from '../../src/game/engine/analysis.js';
import { positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { SHOT_FEN } from './shot-position.js';

describe('position analysis (the engine worker runs this)', () => {
  it('finds the one winning shot, with the forced reply and the triple jump in its best line', () => {
    const position = positionFromFen(SHOT_FEN);
    const evaluation = new PositionAnalyser().searchDepth(position, 'standard', 8, 60_000);
    assert.ok(evaluation);
    assert.deepEqual(evaluation.line.slice(0, 3), ['27-23', '19x26', '31x22x13x6']);
    assert.ok(evaluation.score >= 150, `a man or more up: ${evaluation.score}`);
    // Every other move is worse by more than a man.
    for (const move of legalMoves(position)) {
      if (formatMove(move) === '27-23') continue;
      const after = new PositionAnalyser().searchDepth(applyMove(position, move), 'standard', 7, 60_000);
      assert.ok(after && -after.score < evaluation.score - 100, `${formatMove(move)}: ${-(after?.score ?? 0)}`);
    }
  });

  it('plays a forced capture through instead of scoring it 0, and gives the score from the first mover', () => {
    // Black to move must take 15x24 (its only move); then White is a man down.
    const position = positionFromFen('B:W19,28,32:B15,1');
    assert.equal(legalMoves(position).length, 1);
    const evaluation = new PositionAnalyser().searchDepth(position, 'standard', 6, 60_000);
    assert.ok(evaluation);
    assert.equal(evaluation.line[0], '15x24');
    assert.notEqual(evaluation.score, 0);
  });

  it('proves a lost game with its distance, and an ended game as decided', () => {
    // White to move has no move: lost now.
    const stuck = new PositionAnalyser().searchDepth(positionFromFen('W:W29:B25,22'), 'standard', 4, 60_000);
    assert.ok(stuck?.decided);
    assert.equal(pliesToEnd(stuck.score), 0);
    assert.ok(stuck.score < 0);
    // Black's king catches the lone man quickly.
    const won = new PositionAnalyser().searchDepth(positionFromFen('B:W28:BK18,K19'), 'standard', 16, 60_000);
    assert.ok(won && isDecided(won.score) && won.score > 0, JSON.stringify(won));
  });

  it('returns nothing when the time runs out before the depth, and deepens step by step', () => {
    const analyser = new PositionAnalyser();
    assert.equal(analyser.searchDepth(INITIAL_POSITION, 'standard', 60, 0), undefined);
    const shallow = analyser.searchDepth(INITIAL_POSITION, 'standard', 3, 60_000);
    const deeper = analyser.searchDepth(INITIAL_POSITION, 'standard', 5, 60_000);
    assert.equal(shallow?.depth, 3);
    assert.equal(deeper?.depth, 5);
    assert.ok((deeper?.line.length ?? 0) >= 2);
  });

  it('version 1: analyses settled positions with the referee search, refuses a position with a jump pending', () => {
    const analyser = new PositionAnalyser();
    const evaluation = analyser.searchDepth(INITIAL_POSITION, 'v1', 4, 60_000);
    assert.ok(evaluation && evaluation.line.length > 0);
    assert.throws(() => analyser.searchDepth(positionFromFen('W:W19:B15'), 'v1', 4, 60_000), /must be settled/);
  });
});
