import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMove } from '../../src/game/notation.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { continuations, findPath, legalMoves, PathRefusal, positionKey } from '../../src/game/standard.js';
import { newStandardGame, playStandardPath, type StandardGame } from '../../src/game/standard-game.js';

function play(game: StandardGame, ...paths: string[]): StandardGame {
  let current = game;
  for (const text of paths) {
    const outcome = playStandardPath(current, text.split(/[-x]/).map(Number));
    assert.ok(outcome.ok, `${text} should be legal`);
    assert.equal(outcome.text, text);
    current = outcome.game;
  }
  return current;
}

describe('standard rules: the player chooses the capture and its path', () => {
  // Black men on 14 and 15; White men on 18 and 19: each black man has its own capture.
  const twoCaptures = positionFromSquares({ black: [14, 15], white: [18, 19, 32] });

  it('either of two different captures is accepted, and they lead to different positions', () => {
    assert.deepEqual(legalMoves(twoCaptures).map(formatMove).sort(), ['14x23', '15x22', '15x24']);
    const left = playStandardPath(newStandardGame(twoCaptures), [14, 23]);
    const right = playStandardPath(newStandardGame(twoCaptures), [15, 22]);
    assert.ok(left.ok && right.ok);
    assert.notDeepEqual(left.game.position, right.game.position);
    assert.equal(left.game.position.turn, WHITE);
  });

  it('either branch of a forking multi-jump is accepted; its start alone is refused as "the capture can go on"', () => {
    const fork = positionFromSquares({ black: [14], white: [18, 26, 27, 1] });
    for (const path of [
      [14, 23, 30],
      [14, 23, 32],
    ]) {
      const reading = findPath(fork, path);
      assert.ok(reading.ok, `${path.join('x')}`);
      assert.deepEqual([reading.move.from + 1, ...reading.move.path.map((bit) => bit + 1)], path);
    }
    assert.deepEqual(findPath(fork, [14, 23]), { ok: false, refusal: PathRefusal.CaptureGoesOn });
    assert.deepEqual(findPath(fork, [14, 23, 31]), { ok: false, refusal: PathRefusal.NotLegal });
  });

  it('a simple step while a capture is available is refused as "a capture is compulsory"', () => {
    assert.deepEqual(findPath(twoCaptures, [14, 17]), { ok: false, refusal: PathRefusal.CaptureCompulsory });
    assert.deepEqual(findPath(twoCaptures, [1, 32]), { ok: false, refusal: PathRefusal.NotLegal });
    assert.deepEqual(findPath(INITIAL_POSITION, [11, 16]).ok, true);
    assert.deepEqual(findPath(INITIAL_POSITION, [11, 14]), { ok: false, refusal: PathRefusal.NotLegal });
    assert.deepEqual(findPath(INITIAL_POSITION, [22, 18]), { ok: false, refusal: PathRefusal.NotLegal });
  });

  it('lists the continuations of a path begun square by square', () => {
    const fork = positionFromSquares({ black: [14], white: [18, 26, 27, 1] });
    assert.deepEqual(continuations(fork, []), [14]);
    assert.deepEqual(continuations(fork, [14]), [23]);
    assert.deepEqual(continuations(fork, [14, 23]), [30, 32]);
    assert.deepEqual(continuations(fork, [14, 23, 30]), []);
    assert.deepEqual(continuations(INITIAL_POSITION, [11]), [15, 16]);
  });
});

describe('standard rules: crowning ends the move', () => {
  const position = positionFromSquares({ black: [24], white: [26, 27] });

  it('a man crowned by a jump stops although the new king could jump on', () => {
    const asKing = positionFromSquares({ black: [31], kings: [31], white: [26] });
    assert.ok(
      legalMoves(asKing).some((move) => move.captured !== 0),
      'a king on 31 would have a jump',
    );
    const outcome = playStandardPath(newStandardGame(position), [24, 31]);
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.game.position,
      positionFromSquares({ black: [31], kings: [31], white: [26], turn: WHITE }),
    );
    const further = legalMoves(asKing).map((move) => move.path.map((bit) => bit + 1));
    for (const rest of further) {
      assert.deepEqual(findPath(position, [24, 31, ...rest]), { ok: false, refusal: PathRefusal.NotLegal });
    }
  });
});

describe('standard rules: repetition and the 40-move rule', () => {
  it('the position key includes the side to move', () => {
    const black = positionFromSquares({ black: [5], white: [28], kings: [5, 28], turn: BLACK });
    const white = { ...black, turn: WHITE } as const;
    assert.notEqual(positionKey(black), positionKey(white));
    assert.equal(positionKey(black), positionKey({ ...black }));
    const kingless = { ...black, kings: 0 };
    assert.notEqual(positionKey(black), positionKey(kingless));
  });

  it('the same position reached by different move orders has the same key', () => {
    const men = newStandardGame(positionFromSquares({ black: [1, 4], white: [29, 32] }));
    const a = play(men, '1-6', '29-25', '4-8', '32-27');
    const b = play(men, '4-8', '32-27', '1-6', '29-25');
    assert.equal(positionKey(a.position), positionKey(b.position));
  });

  it('the third occurrence of a position is a draw by repetition, not the second', () => {
    const start = newStandardGame(positionFromSquares({ black: [5], white: [28], kings: [5, 28] }));
    const twice = play(start, '5-9', '28-24', '9-5', '24-28');
    assert.equal(twice.result, undefined);
    const almost = play(twice, '5-9', '28-24', '9-5');
    assert.equal(almost.result, undefined);
    const thrice = play(almost, '24-28');
    assert.deepEqual(thrice.result, { winner: null, reason: 'threefold-repetition' });
    assert.deepEqual(playStandardPath(thrice, [5, 9]), { ok: false, refusal: 'game-over' });
  });

  it('a capture or a man move forgets earlier positions (they cannot come again)', () => {
    const start = newStandardGame(positionFromSquares({ black: [5, 12], white: [28], kings: [5, 28] }));
    const shuffled = play(start, '5-9', '28-24', '9-5', '24-28');
    assert.equal(shuffled.seen.length, 5);
    const afterManMove = play(shuffled, '12-16');
    assert.deepEqual(afterManMove.seen, [positionKey(afterManMove.position)]);
    assert.equal(afterManMove.quietPlies, 0);
  });

  it(`${QUIET_PLIES_FOR_DRAW} plies without a capture or a man move draw; a man move resets the count`, () => {
    const kings = positionFromSquares({ black: [5, 12], white: [28], kings: [5, 28] });
    const nearly: StandardGame = { ...newStandardGame(kings), quietPlies: QUIET_PLIES_FOR_DRAW - 2 };
    const oneLeft = play(nearly, '5-9');
    assert.equal(oneLeft.quietPlies, QUIET_PLIES_FOR_DRAW - 1);
    assert.equal(oneLeft.result, undefined);
    assert.deepEqual(play(oneLeft, '28-24').result, { winner: null, reason: 'forty-move-rule' });
    const reset = play({ ...newStandardGame(kings), quietPlies: QUIET_PLIES_FOR_DRAW - 1 }, '12-16');
    assert.equal(reset.quietPlies, 0);
    assert.equal(reset.result, undefined);
  });

  it('a move that leaves the opponent without a move wins', () => {
    const game = newStandardGame(positionFromSquares({ black: [14], white: [18] }));
    assert.deepEqual(play(game, '14x23').result, { winner: BLACK, reason: 'no-pieces' });
  });
});
