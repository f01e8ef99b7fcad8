import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WIN } from '../../src/game/engine/search.js';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { bitOfSquare } from '../../src/game/squares.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { graphPoints } from '../../src/web/analysis/eval-graph.js';
import { BLUNDER_LOSS, MISTAKE_LOSS, moveQuality, showEvaluation } from '../../src/web/analysis/evaluation-text.js';
import { gamePoints, markMoves, type PointAnalysis } from '../../src/web/analysis/game-analysis.js';
import { addHop, nextHops } from '../../src/web/analysis/move-input.js';
import { cyclePiece } from '../../src/web/analysis/position-editor.js';

const bit = bitOfSquare;

describe('analysis pages without a browser', () => {
  it('shows scores from Black’s side, proven results as wins in plies', () => {
    assert.deepEqual(showEvaluation(37, BLACK), { attribute: '+37', text: '+0.37', value: 37 });
    assert.deepEqual(showEvaluation(37, WHITE), { attribute: '-37', text: '−0.37', value: -37 });
    assert.deepEqual(showEvaluation(0, WHITE), { attribute: '0', text: '0.00', value: 0 });
    assert.deepEqual(showEvaluation(WIN - 13, WHITE), { attribute: '#-13', text: 'White wins in 13', value: -1000 });
    assert.deepEqual(showEvaluation(-WIN, BLACK), { attribute: '#-0', text: 'White has won', value: -1000 });
    assert.equal(showEvaluation(5000, BLACK).value, 1000, 'estimates are clipped for the graph');
  });

  it('marks a move by what it cost the side that played it', () => {
    assert.deepEqual(moveQuality(10, 10 - MISTAKE_LOSS + 1, BLACK), { loss: MISTAKE_LOSS - 1, quality: 'good' });
    assert.equal(moveQuality(10, 10 - MISTAKE_LOSS, BLACK).quality, 'mistake');
    assert.equal(moveQuality(10, 10 - BLUNDER_LOSS, BLACK).quality, 'blunder');
    // White's loss is Black's gain.
    assert.equal(moveQuality(-20, -20 + BLUNDER_LOSS, WHITE).quality, 'blunder');
    assert.equal(moveQuality(-20, -20 - BLUNDER_LOSS, WHITE).quality, 'good');
    // A won game let go to an even one is a blunder.
    assert.equal(moveQuality(1000, 0, BLACK).quality, 'blunder');
  });

  it('plays a step at once, and asks for the next square while several capture paths remain', () => {
    const step = legalMoves(INITIAL_POSITION);
    assert.deepEqual(addHop(step, [], bit(11), bit(15)), {
      kind: 'move',
      move: step.find((move) => formatMove(move) === '11-15'),
    });
    assert.deepEqual(addHop(step, [], bit(11), bit(19)), { kind: 'none' });
    // Black's king on 1 can jump 6 then 15 or 13... two paths sharing the first hop.
    const position = positionFromFen('B:W6,14,15:BK1');
    const moves = legalMoves(position);
    assert.deepEqual(moves.map(formatMove).sort(), ['1x10x17', '1x10x19']);
    const first = addHop(moves, [], bit(1), bit(10));
    assert.equal(first.kind, 'partial');
    if (first.kind !== 'partial') return;
    assert.deepEqual(
      nextHops(first.hops, first.candidates).map((move) => [move.from, move.path[0]]),
      [
        [bit(10), bit(17)],
        [bit(10), bit(19)],
      ],
    );
    const second = addHop(first.candidates, first.hops, bit(10), bit(19));
    assert.equal(second.kind === 'move' ? formatMove(second.move) : second.kind, '1x10x19');
  });

  it('version 1: the referee’s jumps are nobody’s choice and take the evaluation after them', () => {
    // 11-15 22-18 15x22 25x18: in version 1 the referee jumps for Black after 22-18, then for White.
    const positions = [INITIAL_POSITION];
    for (const text of ['11-15', '22-18', '15x22', '25x18']) {
      const last = positions[positions.length - 1] ?? INITIAL_POSITION;
      const move = legalMoves(last).find((candidate) => formatMove(candidate) === text);
      assert.ok(move);
      positions.push(applyMove(last, move));
    }
    const points = gamePoints(positions, 'v1');
    assert.deepEqual(
      points.map((point) => point.choice),
      [true, true, false, false, true],
    );
    assert.deepEqual(
      gamePoints(positions, 'standard').map((point) => point.choice),
      [true, true, true, true, true],
    );
    const at = (value: number): PointAnalysis => ({ shown: showEvaluation(value, BLACK), line: ['x'], depth: 4 });
    const { filled, marks } = markMoves(points, [at(0), at(5), undefined, undefined, at(120)]);
    assert.equal(filled[2]?.shown.value, 120, 'the referee’s positions take the value after its jumps');
    assert.equal(filled[3]?.shown.value, 120);
    assert.deepEqual(
      marks.map((mark) => [mark.ply, mark.quality]),
      [
        [1, 'good'],
        [2, 'blunder'],
      ],
    );
  });

  it('sets up a square by clicks: black man, black king, white man, white king, empty', () => {
    let position = positionFromFen('W:W22:B1');
    const seen: string[] = [];
    for (let click = 0; click < 5; click++) {
      position = cyclePiece(position, bit(18));
      seen.push(fenOf(position));
    }
    assert.deepEqual(seen, ['W:W22:B1,18', 'W:W22:B1,K18', 'W:W18,22:B1', 'W:WK18,22:B1', 'W:W22:B1']);
  });

  it('draws the graph with Black’s advantage up, clipped at five men', () => {
    const points = graphPoints([0, 500, -2000, undefined], new Map([[2, 'blunder' as const]]), 120, 100, 10);
    assert.deepEqual(
      points.map((point) => [point.ply, point.x, point.y, point.quality]),
      [
        [0, 10, 50, undefined],
        [1, 43.333333333333336, 10, undefined],
        [2, 76.66666666666667, 90, 'blunder'],
      ],
    );
  });
});
