import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderBoard } from '../../src/client/render.js';
import { GameView, inferColor } from '../../src/client-core/game-view.js';
import { moveByteOf, toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { bitOfSquare } from '../../src/game/squares.js';
import { legalSteps, newV1Game, playV1Step } from '../../src/game/v1.js';
import { NO_MOVE, WireBoard } from '../../src/protocol/index.js';

const start = toWireBoard(INITIAL_POSITION, BLACK);

function blackView(): GameView {
  const view = new GameView('jen', 1250, 1200);
  view.onYourTurn({ type: 'YourTurn', lastMove: NO_MOVE, board: start });
  return view;
}

describe('GameView', () => {
  it('knows from the ratings who should move first', () => {
    assert.equal(new GameView('jen', 1250, 1200).expectedFirstMover(), 'me');
    assert.equal(new GameView('jen', 1150, 1200).expectedFirstMover(), 'opponent');
    assert.equal(new GameView('jen', 1200, 1200).expectedFirstMover(), undefined);
  });

  it('the first turn on the starting board with no previous move is Black', () => {
    assert.equal(blackView().color, BLACK);
  });

  it('White is recognised from its first board after Black moved', () => {
    const after = playV1Step(newV1Game(), 8, 2);
    assert.ok(after.ok);
    const view = new GameView('cam', 1200, 1200);
    view.onYourTurn({ type: 'YourTurn', lastMove: 0x36, board: toWireBoard(after.game.position, WHITE) });
    assert.equal(view.color, WHITE);
    assert.deepEqual(view.lastMove, { from: 8, to: 13, kind: 'step', by: 'opponent' });
  });

  it('infers colours from men on the back rows, or from where the men stand', () => {
    assert.equal(inferColor(toWireBoard(positionFromSquares({ black: [2], white: [30] }), BLACK), false), BLACK);
    assert.equal(inferColor(toWireBoard(positionFromSquares({ black: [2], white: [30] }), WHITE), false), WHITE);
    assert.equal(inferColor(toWireBoard(positionFromSquares({ black: [9], white: [22] }), BLACK), false), BLACK);
    assert.equal(inferColor(toWireBoard(positionFromSquares({ black: [9], white: [22] }), WHITE), false), WHITE);
  });

  it('checks typed moves locally and turns a legal one into the wire Move', () => {
    const view = blackView();
    assert.deepEqual(view.readInput('9-14'), { ok: true, move: moveByteOf(8, 2), text: '9-14' });
    assert.deepEqual(view.readInput(' 9 14 '), { ok: true, move: moveByteOf(8, 2), text: '9-14' });
    assert.deepEqual(view.readInput('9-18'), {
      ok: false,
      reason: '9-18 is not legal: 18 is not one diagonal step from 9; the piece on 9 can go to 13 or 14',
    });
    assert.match(
      view.readInput('14x23').ok ? '' : (view.readInput('14x23') as { reason: string }).reason,
      /the server plays every capture/,
    );
    // Only steps can be typed, and the hints say so and nothing else.
    for (const text of ['hello', '1-5-9', '22x']) {
      const reading = view.readInput(text);
      assert.ok(!reading.ok);
      assert.equal(reading.reason, `"${text}" is not a move; type a step such as 11-15`);
    }
    assert.equal(view.legalMoveTexts().length, 7);
    view.onMoveSent(moveByteOf(8, 2));
    assert.match((view.readInput('10-14') as { reason: string }).reason, /it is jen's turn/);
    assert.deepEqual(view.legalMoves(), []);
  });

  it('says why a step is not legal, and what is: where the piece can go, or which pieces can move', () => {
    const view = blackView();
    const reason = (text: string) => {
      const reading = view.readInput(text);
      assert.ok(!reading.ok, text);
      return reading.reason;
    };
    assert.equal(
      reason('5-9'),
      '5-9 is not legal: that square is occupied; the piece on 5 cannot move now; the pieces that can move are on 9, 10, 11 or 12',
    );
    assert.equal(
      reason('14-18'),
      '14-18 is not legal: square 14 is empty; the pieces that can move are on 9, 10, 11 or 12',
    );
    assert.equal(
      reason('30-26'),
      '30-26 is not legal: the piece on 30 is not yours; the pieces that can move are on 9, 10, 11 or 12',
    );
    const lone = new GameView('jen', 1250, 1200);
    lone.onYourTurn({
      type: 'YourTurn',
      lastMove: NO_MOVE,
      board: toWireBoard(positionFromSquares({ black: [14], white: [32] }), BLACK),
    });
    assert.equal(lone.color, BLACK);
    const loneReading = lone.readInput('14-10');
    assert.ok(!loneReading.ok);
    assert.equal(
      loneReading.reason,
      '14-10 is not legal: a man only moves forward; the piece on 14 can go to 17 or 18',
    );
  });

  it('explains a win by taking every piece, a loss on the clock, and a draw', () => {
    const won = blackView();
    const finalBoard = toWireBoard(positionFromSquares({ black: [15] }), BLACK);
    assert.deepEqual(
      won.onGameOver({ type: 'GameOver', won: true, newRating: 1215, oldRating: 1200, lastMove: 0, board: finalBoard }),
      {
        outcome: 'won',
        how: "you took all of jen's pieces",
        oldRating: 1200,
        newRating: 1215,
      },
    );
    const clock = blackView();
    assert.equal(
      clock.onGameOver({ type: 'GameOver', won: false, newRating: 1190, oldRating: 1200, lastMove: 0, board: start })
        .how,
      'your move clock ran out',
    );
    const draw = blackView();
    draw.onMoveSent(moveByteOf(8, 2));
    const ending = draw.onGameOver({
      type: 'GameOver',
      won: false,
      newRating: 1200,
      oldRating: 1200,
      lastMove: 0,
      board: start,
    });
    assert.equal(ending.outcome, 'draw');
    const blocked = blackView();
    const stuck = toWireBoard(positionFromSquares({ black: [25], white: [29, 30] }), BLACK);
    assert.equal(
      blocked.onGameOver({ type: 'GameOver', won: false, newRating: 1, oldRating: 2, lastMove: 0, board: stuck }).how,
      'you have no move left',
    );
  });
});

/** Plays the step between two square numbers for the side to move; the events that follow it. */
function step(game: ReturnType<typeof newV1Game>, from: number, to: number) {
  const found = legalSteps(game).find((s) => s.from === bitOfSquare(from) && s.to === bitOfSquare(to));
  assert.ok(found, `${from}-${to} is legal`);
  const outcome = playV1Step(game, found.from, found.direction);
  assert.ok(outcome.ok);
  return { ...outcome, byte: moveByteOf(found.from, found.direction) };
}

describe('GameView: what the server did not say in so many words', () => {
  it("shows the opponent's step that made a capture compulsory, before the capture", () => {
    const view = blackView();
    const mine = step(newV1Game(), 11, 15);
    view.onMoveSent(mine.byte);
    // White steps 22-18; Black's 15x22 is then forced. No message carries White's step.
    const theirs = step(mine.game, 22, 18);
    const jump = theirs.events.find((event) => event.kind === 'jump');
    assert.ok(jump && jump.kind === 'jump');
    const plies = view.onForcedMove({
      type: 'CompulsoryMove',
      move: moveByteOf(jump.from, jump.direction),
      board: toWireBoard(jump.position, BLACK),
    });
    assert.deepEqual(plies, [
      { from: bitOfSquare(22), to: bitOfSquare(18), kind: 'step', by: 'opponent' },
      { from: bitOfSquare(15), to: bitOfSquare(22), kind: 'jump', by: 'me' },
    ]);
  });

  it('a capture right after our own step comes alone', () => {
    const view = blackView();
    const mine = step(newV1Game(), 11, 15);
    view.onMoveSent(mine.byte);
    const theirs = step(mine.game, 23, 19);
    view.onYourTurn({ type: 'YourTurn', lastMove: theirs.byte, board: toWireBoard(theirs.game.position, BLACK) });
    const again = step(theirs.game, 15, 18);
    view.onMoveSent(again.byte);
    const jump = again.events.find((event) => event.kind === 'jump');
    assert.ok(jump && jump.kind === 'jump', 'White must capture 18');
    const plies = view.onForcedMove({
      type: 'CompulsoryMove',
      move: moveByteOf(jump.from, jump.direction),
      board: toWireBoard(jump.position, BLACK),
    });
    assert.equal(plies.length, 1);
    assert.equal(plies[0]?.by, 'opponent');
    assert.equal(plies[0]?.kind, 'jump');
  });

  it('says what is wrong with a turn it cannot play: no legal move, an unreadable board, an impossible one', () => {
    const stuck = blackView();
    stuck.onMoveSent(moveByteOf(8, 2));
    stuck.onYourTurn({
      type: 'YourTurn',
      lastMove: 0x36,
      board: toWireBoard(positionFromSquares({ black: [25], white: [29, 30] }), BLACK),
    });
    assert.equal(stuck.problem, 'the server says it is your move, but you have no legal move on its board');

    const unreadable = blackView();
    unreadable.onYourTurn({ type: 'YourTurn', lastMove: 0x36, board: new WireBoard(new Uint8Array(64).fill(7)) });
    assert.match(
      unreadable.problem ?? '',
      /^the server sent a board that cannot be read \(a piece on the light square/,
    );

    const crowded = blackView();
    const sixteen = positionFromSquares({
      black: Array.from({ length: 16 }, (_, i) => i + 1),
      white: Array.from({ length: 16 }, (_, i) => i + 17),
    });
    crowded.onYourTurn({ type: 'YourTurn', lastMove: 0x36, board: toWireBoard(sixteen, BLACK) });
    assert.equal(
      crowded.problem,
      'the server sent a board that cannot happen in a game (more than 12 pieces of one colour)',
    );
    assert.equal(blackView().problem, undefined);
  });
});

describe('board rendering', () => {
  it('puts the viewer’s side at the bottom and numbers the empty dark squares', () => {
    const style = { color: false, unicode: false };
    const black = renderBoard(INITIAL_POSITION, BLACK, { forced: [] }, style);
    const white = renderBoard(INITIAL_POSITION, WHITE, { forced: [] }, style);
    assert.match(black[7] ?? '', /^ 8 +b +b +b +b/);
    assert.match(black[0] ?? '', /^ 1 +w +w/);
    assert.match(white[7] ?? '', /^ 1 +w +w +w +w/);
    assert.match(black[3] ?? '', /20 +19 +18 +17/);
    assert.match(white[4] ?? '', /17 +18 +19 +20/);
    assert.match(black[8] ?? '', /h +g +f +e +d +c +b +a/);
    assert.ok(
      black.every((line) => !line.includes('\x1b')),
      'no escape codes without colour',
    );
  });

  it('marks the last move and forced jumps, in colour or with brackets', () => {
    const highlights = { lastMove: { from: 8, to: 13, kind: 'step' as const, by: 'me' as const }, forced: [] };
    const plain = renderBoard(INITIAL_POSITION, BLACK, highlights, { color: false, unicode: true }).join('\n');
    assert.match(plain, /\[14\]/);
    assert.match(plain, /\[● \]/);
    const colored = renderBoard(INITIAL_POSITION, BLACK, highlights, { color: true, unicode: true }).join('\n');
    assert.ok(colored.includes('\x1b[48;5;136m'), 'the last move has its background');
  });
});
