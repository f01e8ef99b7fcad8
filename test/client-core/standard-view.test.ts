import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StandardView } from '../../src/client-core/standard-view.js';
import { toWireBoard } from '../../src/common/wire.js';
import {
  BLACK,
  type Color,
  INITIAL_POSITION,
  type Position,
  positionFromSquares,
  WHITE,
} from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { type MessageOfType, type Path, WireBoard } from '../../src/protocol/index.js';

function manualNow(start = 50_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function start(colour: Color, initialSeconds = 180, incrementSeconds = 2): MessageOfType<'GameStart2'> {
  return {
    type: 'GameStart2',
    opponent: 'jen',
    opponentRating: 1210,
    colour,
    initialSeconds,
    incrementSeconds,
    rated: true,
    gameId: 9,
  };
}

interface TurnOptions {
  lastPath?: Path | null;
  mine?: number;
  theirs?: number;
  flags?: number;
}

function turn<T extends 'YourMove' | 'TheirMove'>(
  type: T,
  position: Position,
  viewer: Color,
  options: TurnOptions = {},
): MessageOfType<T> {
  return {
    type,
    lastPath: options.lastPath ?? null,
    board: toWireBoard(position, viewer),
    yourClockMs: options.mine ?? 180_000,
    opponentClockMs: options.theirs ?? 180_000,
    flags: options.flags ?? 0,
  } as MessageOfType<T>;
}

function gameOver(
  position: Position,
  viewer: Color,
  fields: Partial<MessageOfType<'GameOver2'>> = {},
): MessageOfType<'GameOver2'> {
  return {
    type: 'GameOver2',
    result: 1,
    reason: 1,
    newRating: 1216,
    oldRating: 1200,
    rated: true,
    lastPath: null,
    board: toWireBoard(position, viewer),
    ...fields,
  };
}

/** Black to move with two captures: 10x19, and 13x22x31 (a double jump). */
const TWO_CAPTURES = positionFromSquares({ black: [10, 13], white: [15, 17, 26] });

describe('StandardView: the board and the moves', () => {
  it('as Black on the first move lists the seven openings and the continuations of a click', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK));
    assert.equal(view.toMove, 'me');
    assert.deepEqual(view.position, INITIAL_POSITION);
    assert.equal(view.legalPaths().length, 7);
    assert.deepEqual(view.continuations([]), [9, 10, 11, 12]);
    assert.deepEqual(view.continuations([9]), [13, 14]);
    assert.deepEqual(view.continuations([9, 14]), []);
    assert.deepEqual(view.completedPath([9, 14]), [9, 14]);
    assert.equal(view.completedPath([9]), undefined);
    assert.equal(view.lastMove, undefined);
  });

  it('as White reads the board with its own colour and sees the opponent move', () => {
    const view = new StandardView(start(WHITE), () => 0);
    view.onTheirMove(turn('TheirMove', INITIAL_POSITION, WHITE));
    assert.equal(view.toMove, 'opponent');
    assert.deepEqual(view.legalPaths(), [], 'not our move');
    const [opening] = legalMoves(INITIAL_POSITION).filter((move) => move.from === 8 && move.path[0] === 13);
    assert.ok(opening);
    const after = applyMove(INITIAL_POSITION, opening);
    view.onYourMove(turn('YourMove', after, WHITE, { lastPath: [9, 14] }));
    assert.deepEqual(view.position, after);
    assert.deepEqual(view.lastMove, { path: [9, 14], by: 'opponent', captured: [], text: '9-14' });
    assert.deepEqual(
      view.legalPaths().map((path) => path.join('-')),
      legalMoves(after).map((move) => [move.from + 1, ...move.path.map((bit) => bit + 1)].join('-')),
    );
  });

  it('offers a choice between two captures, square by square', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    assert.deepEqual(view.legalPaths(), [
      [10, 19],
      [13, 22, 31],
    ]);
    assert.deepEqual(view.continuations([]), [10, 13]);
    assert.deepEqual(view.continuations([13]), [22]);
    assert.deepEqual(view.continuations([13, 22]), [31]);
    assert.equal(view.completedPath([13, 22]), undefined);
    assert.deepEqual(view.completedPath([13, 22, 31]), [13, 22, 31]);
    assert.deepEqual(view.legalPathTexts(), ['10x19', '13x22x31']);
  });

  it('reads typed paths, and says why a path is refused', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    assert.deepEqual(view.readInput('13x22x31'), { ok: true, path: [13, 22, 31], text: '13x22x31' });
    assert.deepEqual(view.readInput('13x31'), { ok: true, path: [13, 22, 31], text: '13x22x31' });
    assert.deepEqual(view.readInput('13x22'), {
      ok: false,
      reason: 'the capture can go on: give the whole path, e.g. 13x22x31',
    });
    assert.deepEqual(view.readInput('10-14'), { ok: false, reason: 'a capture is compulsory: 10x19, 13x22x31' });
    const badSquare = view.readInput('33-1');
    assert.ok(!badSquare.ok);
    assert.match(badSquare.reason, /square 33 does not exist/);
    const waiting = new StandardView(start(WHITE), () => 0);
    waiting.onTheirMove(turn('TheirMove', INITIAL_POSITION, WHITE));
    assert.deepEqual(waiting.readInput('21-17'), { ok: false, reason: "it is jen's move; wait for yours" });
  });

  it('shows our move at once, and the opponent capture with the pieces it took', () => {
    const black = new StandardView(start(BLACK), () => 0);
    black.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    black.onMoveSent([13, 22, 31]);
    assert.equal(black.toMove, undefined);
    assert.deepEqual(black.lastMove, { path: [13, 22, 31], by: 'me', captured: [17, 26], text: '13x22x31' });
    const after = positionFromSquares({ black: [10, 31], white: [15], kings: [31], turn: WHITE });
    assert.deepEqual(black.position, after, 'the man that reached the king row is crowned');

    const white = new StandardView(start(WHITE), () => 0);
    white.onTheirMove(turn('TheirMove', TWO_CAPTURES, WHITE));
    white.onYourMove(turn('YourMove', after, WHITE, { lastPath: [13, 22, 31] }));
    assert.deepEqual(white.lastMove, { path: [13, 22, 31], by: 'opponent', captured: [17, 26], text: '13x22x31' });
    assert.deepEqual(white.legalPaths(), [[15, 6]], 'White must take the man on 10');
  });

  it('takes an IllegalMove as our move again, with the reason in words', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    view.onMoveSent([10, 14]);
    view.onIllegalMove({ type: 'IllegalMove', path: [10, 14], reason: 1 });
    assert.equal(view.toMove, 'me');
    assert.equal(view.refusal, '10-14: a capture is compulsory');
    view.onMoveSent([10, 19]);
    assert.notDeepEqual(view.position, TWO_CAPTURES, 'shown at once');
    view.onIllegalMove({ type: 'IllegalMove', path: [10, 19], reason: 0 });
    assert.deepEqual(view.position, { ...TWO_CAPTURES, turn: BLACK }, 'the refused move is taken back');
    assert.equal(view.lastMove, undefined);
    view.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    assert.equal(view.refusal, undefined);
  });

  it('reports a board it cannot read, and keeps the last good position', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK));
    const broken = new WireBoard();
    broken.set(0, 0, 0b010);
    view.onTheirMove({ ...turn('TheirMove', INITIAL_POSITION, BLACK), board: broken });
    assert.match(view.problem ?? '', /cannot be read \(square \(0,0\) has flags but no piece\)/);
    assert.deepEqual(view.position, INITIAL_POSITION);
  });
});

describe('StandardView: clocks, draws, absence, rematch', () => {
  it('runs the clock of the side to move and stops ours when we move', () => {
    const time = manualNow();
    const view = new StandardView(start(BLACK, 180, 2), time.now);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK, { mine: 20_000, theirs: 170_000 }));
    time.advance(2_500);
    assert.deepEqual(view.clocks(), {
      myMs: 17_500,
      opponentMs: 170_000,
      running: 'me',
      myLowTime: true,
      opponentLowTime: false,
    });
    view.onMoveSent([9, 14]);
    time.advance(1_000);
    assert.equal(view.clocks()?.myMs, 17_500);
    assert.equal(view.clocks()?.running, undefined);
    view.onTheirMove(turn('TheirMove', INITIAL_POSITION, BLACK, { lastPath: [9, 14], mine: 19_400, theirs: 170_000 }));
    time.advance(4_000);
    assert.equal(view.clocks()?.opponentMs, 166_000);
    assert.equal(view.clocks()?.myLowTime, false, '19.4 s is above 10 % of 180 s');
  });

  it('has no clocks in a game without one', () => {
    const view = new StandardView(start(BLACK, 0, 0), () => 0);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK, { mine: 0, theirs: 0 }));
    assert.equal(view.clocks(), undefined);
  });

  it('allows one draw offer per own move; the offer lapses when the opponent moves', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK));
    assert.equal(view.canOfferDraw(), true);
    view.onDrawOfferSent();
    assert.equal(view.myDrawOfferPending, true);
    assert.equal(view.canOfferDraw(), false);
    view.onMoveSent([9, 14]);
    view.onTheirMove(turn('TheirMove', INITIAL_POSITION, BLACK, { lastPath: [9, 14] }));
    assert.equal(view.myDrawOfferPending, true, 'still pending while the opponent thinks');
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK, { lastPath: [22, 18] }));
    assert.equal(view.myDrawOfferPending, false, 'lapsed: the opponent moved');
    assert.equal(view.canOfferDraw(), true, 'we moved since the last offer');
    view.onDrawOfferSent();
    view.onDrawDeclined();
    assert.equal(view.myDrawOfferPending, false);
    assert.equal(view.declinedNotice, true);
    assert.equal(view.canOfferDraw(), false, 'the next offer waits for a move of ours');
  });

  it("follows the opponent's offer from DrawOffered or a move's flag, until answered or we move", () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK, { flags: 1 }));
    assert.equal(view.opponentOffersDraw, true);
    view.onDrawAnswerSent();
    assert.equal(view.opponentOffersDraw, false);
    view.onDrawOffered();
    assert.equal(view.canOfferDraw(), true, 'offering accepts it');
    view.onMoveSent([9, 14]);
    assert.equal(view.opponentOffersDraw, false, 'lapsed: we moved');
  });

  it('counts down the grace of an absent opponent', () => {
    const time = manualNow();
    const view = new StandardView(start(BLACK), time.now);
    assert.equal(view.opponentAwaySeconds(), undefined);
    view.onOpponentAway({ type: 'OpponentAway', graceSeconds: 60 });
    time.advance(15_200);
    assert.equal(view.opponentAwaySeconds(), 45);
    time.advance(100_000);
    assert.equal(view.opponentAwaySeconds(), 0);
    view.onOpponentBack();
    assert.equal(view.opponentAwaySeconds(), undefined);
  });

  it('tracks a rematch: sent, offered, gone', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onRematchSent();
    assert.equal(view.rematch, 'sent');
    view.onRematchGone();
    assert.equal(view.rematch, 'gone');
    const other = new StandardView(start(BLACK), () => 0);
    other.onRematchOffered();
    other.onRematchSent();
    assert.equal(other.rematch, 'offered', 'sending accepts: the next GameStart2 follows');
  });
});

describe('StandardView: the ending in words, rating change included', () => {
  const cases: Array<[string, Partial<MessageOfType<'GameOver2'>>, string]> = [
    ['a win by resignation', {}, 'You won: jen resigned. Rating 1200 → 1216 (+16).'],
    [
      'a loss on time',
      { result: 0, reason: 5, newRating: 1188 },
      'You lost: you ran out of time. Rating 1200 → 1188 (−12).',
    ],
    ['a win by forfeit', { reason: 6, newRating: 1209 }, 'You won: jen did not come back. Rating 1200 → 1209 (+9).'],
    ['an agreed draw', { result: 2, reason: 2, newRating: 1201 }, 'Draw: draw agreed. Rating 1200 → 1201 (+1).'],
    [
      'threefold repetition',
      { result: 2, reason: 4, newRating: 1200 },
      'Draw: the same position came up for the third time. Rating 1200 → 1200 (±0).',
    ],
    [
      'an unrated game',
      { rated: false, newRating: 1200 },
      'You won: jen resigned. Unrated game: your rating stays 1200.',
    ],
  ];
  for (const [label, fields, text] of cases) {
    it(label, () => {
      const time = manualNow();
      const view = new StandardView(start(BLACK), time.now);
      view.onYourMove(turn('YourMove', INITIAL_POSITION, BLACK, { mine: 100_000 }));
      time.advance(1_000);
      const ending = view.onGameOver(gameOver(INITIAL_POSITION, BLACK, fields));
      assert.equal(ending.text, text);
      assert.equal(view.inGame, false);
      assert.deepEqual(view.legalPaths(), []);
      time.advance(5_000);
      assert.equal(view.clocks()?.myMs, 99_000, 'the clocks stop at the end');
    });
  }

  it('tells no pieces from no move, and notes the last move the GameOver2 carries', () => {
    const view = new StandardView(start(BLACK), () => 0);
    view.onYourMove(turn('YourMove', TWO_CAPTURES, BLACK));
    view.onMoveSent([10, 19]);
    const end = positionFromSquares({ black: [13, 19], white: [] });
    const ending = view.onGameOver(gameOver(end, BLACK, { reason: 0, lastPath: [10, 19] }));
    assert.equal(ending.how, 'jen has no pieces left');
    const stuck = positionFromSquares({ black: [21], white: [25, 30], turn: BLACK });
    const loser = new StandardView(start(BLACK), () => 0);
    loser.onTheirMove(turn('TheirMove', stuck, BLACK));
    assert.equal(loser.onGameOver(gameOver(stuck, BLACK, { result: 0, reason: 0 })).how, 'you have no legal move left');
  });
});
