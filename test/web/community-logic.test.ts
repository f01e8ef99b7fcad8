import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fenOf } from '../../src/game/fen.js';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { squareNumber } from '../../src/game/squares.js';
import { chartGeometry } from '../../src/web/community/rating-chart.js';
import { positionAt, replayMoves } from '../../src/web/community/replay.js';

describe('replaying a game record in the client', () => {
  it('replays steps and a capture to the position after each turn', () => {
    const replay = replayMoves(['11-15', '24-20', '15-19', '23x16', '12x19']);
    assert.equal(replay.ok, true);
    assert.equal(replay.turns.length, 5);
    const capture = replay.turns[4];
    assert.equal(replay.turns[3]?.hops.length, 1);
    assert.deepEqual([squareNumber(capture?.from ?? -1), squareNumber(capture?.to ?? -1)], [12, 19]);
    assert.equal(fenOf(positionAt(replay, 0)), fenOf(INITIAL_POSITION));
    assert.equal(positionAt(replay, 5), capture?.after);
    assert.equal(positionAt(replay, 99), capture?.after);
    assert.match(fenOf(positionAt(replay, 5)), /^W:/);
  });

  it('stops at a move that is not legal, saying which', () => {
    const replay = replayMoves(['11-15', '11-15']);
    assert.equal(replay.ok, false);
    assert.equal(replay.turns.length, 1);
    if (!replay.ok) assert.match(replay.problem, /^move 2 \(11-15\)/);
  });
});

describe('the rating chart', () => {
  it('puts the start and one point per game in the box, higher ratings higher, guides on round ratings', () => {
    const geometry = chartGeometry(
      [
        { gameId: 1, before: 1200, after: 1362 },
        { gameId: 2, before: 1362, after: 1300 },
      ],
      400,
      200,
    );
    assert.equal(geometry.dots.length, 2);
    assert.match(geometry.path, /^M24\.0 [\d.]+ L200\.0 [\d.]+ L376\.0 [\d.]+$/);
    const [up, down] = geometry.dots;
    assert.ok((up?.y ?? 0) < (down?.y ?? 0), 'a higher rating is drawn higher');
    for (const dot of geometry.dots) assert.ok(dot.y >= 24 && dot.y <= 176);
    assert.ok(geometry.ticks.length >= 2 && geometry.ticks.length <= 6);
    for (const tick of geometry.ticks) assert.equal(tick.rating % 50, 0);
  });

  it('draws nothing without games', () => {
    assert.deepEqual(chartGeometry([], 400, 200).dots, []);
  });
});
