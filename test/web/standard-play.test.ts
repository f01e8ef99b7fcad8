import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { bitOfSquare } from '../../src/game/squares.js';
import { applyMove, legalMoves, type Move } from '../../src/game/standard.js';
import { coordinateLabels, screenCell } from '../../src/web/board/board-geometry.js';
import { choosePath, pickSquare } from '../../src/web/board/path-picker.js';
import { formatClock, isLowTime, remainingMs, spokenClock } from '../../src/web/play/clock.js';
import { EndReasonCode, endingSentence, outcomeOf } from '../../src/web/play/ending-words.js';
import { pathText, readPathText } from '../../src/web/play/path-text.js';
import { forgetLogin, keepLogin, keptLogin, RESUME_KEY } from '../../src/web/play/resume-token.js';
import { pathPlies, StandardGame } from '../../src/web/play/standard-game.js';
import { parseTimeControl, TIME_CONTROLS, timeControlName } from '../../src/web/play/time-controls.js';
import { firstCaptureChoice, MemoryStorage } from './standard-support.js';

const bit = bitOfSquare;

function movesOf(position: ReturnType<typeof positionFromSquares>): Move[] {
  return legalMoves(position);
}

describe('choosing a capture path by clicking squares in order', () => {
  // A black man on 9 takes 14 and then may go on over 22 or over 23: two paths that fork after the first jump.
  const fork = positionFromSquares({ black: [9], white: [14, 22, 23, 30], turn: BLACK });

  it('the position has two capture paths that share their first jump', () => {
    const texts = movesOf(fork).map(pathText).sort();
    assert.ok(texts.length >= 2, texts.join(' '));
    const firsts = new Set(movesOf(fork).map((move) => move.path[0]));
    assert.equal(firsts.size, 1, `one first landing for all paths: ${texts.join(' ')}`);
  });

  it('marks the pieces that can move, then the next landing, then both continuations at the fork', () => {
    const moves = movesOf(fork);
    assert.deepEqual([...choosePath(moves, []).targets], [bit(9)]);
    const afterPiece = pickSquare(moves, [], bit(9));
    assert.deepEqual(afterPiece, [bit(9)]);
    const first = moves[0]?.path[0] as number;
    assert.deepEqual([...choosePath(moves, afterPiece).targets], [first]);
    const atFork = pickSquare(moves, afterPiece, first);
    const choice = choosePath(moves, atFork);
    assert.equal(choice.complete, undefined, 'two paths go on from the fork: not settled yet');
    const continuations = new Set(moves.map((move) => move.path[1]));
    assert.deepEqual(choice.targets, continuations);
    const [one] = [...continuations];
    const settled = choosePath(moves, pickSquare(moves, atFork, one as number));
    assert.equal(settled.complete?.path[1], one);
  });

  it('plays a lone capture chain or a simple step with two clicks', () => {
    const steps = legalMoves(INITIAL_POSITION);
    const picked = pickSquare(steps, pickSquare(steps, [], bit(11)), bit(15));
    const choice = choosePath(steps, picked);
    assert.equal(choice.complete && pathText(choice.complete), '11-15');
    const chain = positionFromSquares({ black: [1], white: [6, 15], turn: BLACK });
    const moves = legalMoves(chain);
    assert.equal(moves.length, 1);
    const two = pickSquare(moves, [bit(1)], bit(10));
    assert.equal(choosePath(moves, two).complete && pathText(moves[0] as Move), '1x10x19');
  });

  it('a click on another movable piece picks it instead; a click on the picked piece puts it down', () => {
    const steps = legalMoves(INITIAL_POSITION);
    assert.deepEqual(pickSquare(steps, [bit(11)], bit(12)), [bit(12)]);
    assert.deepEqual(pickSquare(steps, [bit(11)], bit(11)), []);
    assert.deepEqual(pickSquare(steps, [bit(11)], bit(20)), []);
  });
});

describe('typed moves in standard notation', () => {
  it('reads steps, whole paths and a capture named by its ends when only one path joins them', () => {
    assert.equal(pathText((readPathText('11-15', legalMoves(INITIAL_POSITION)) as { move: Move }).move), '11-15');
    const chain = legalMoves(positionFromSquares({ black: [1], white: [6, 15], turn: BLACK }));
    for (const text of ['1x10x19', '1x19', '1-10-19']) {
      const reading = readPathText(text, chain);
      assert.ok(reading.ok, text);
      assert.equal(pathText(reading.move), '1x10x19');
    }
  });

  it('says what is wrong: not a move, no such square, a compulsory capture, an ambiguous capture', () => {
    const steps = legalMoves(INITIAL_POSITION);
    assert.match((readPathText('hello', steps) as { reason: string }).reason, /is not a move; write it as 11-15/);
    assert.match((readPathText('11-40', steps) as { reason: string }).reason, /no square 40/);
    assert.match((readPathText('11-18', steps) as { reason: string }).reason, /^11-18 is not a legal move here$/);
    const chain = legalMoves(positionFromSquares({ black: [1, 4], white: [6, 15], turn: BLACK }));
    assert.match((readPathText('4-8', chain) as { reason: string }).reason, /a capture is compulsory \(1x10x19\)/);
    const fork = legalMoves(positionFromSquares({ black: [9], white: [14, 22, 23, 30], turn: BLACK }));
    const ends = new Map<string, number>();
    for (const move of fork) {
      const key = `${move.from + 1}x${(move.path.at(-1) as number) + 1}`;
      ends.set(key, (ends.get(key) ?? 0) + 1);
    }
    const ambiguous = [...ends].find(([, count]) => count > 1)?.[0];
    if (ambiguous) assert.match((readPathText(ambiguous, fork) as { reason: string }).reason, /more than one/);
  });
});

describe('clocks', () => {
  it('counts the running side down from the message, never below zero, and leaves the other alone', () => {
    const reading = { myMs: 65_000, opponentMs: 30_000, running: 'me' as const, receivedAt: 1000 };
    assert.equal(remainingMs(reading, 'me', 6000), 60_000);
    assert.equal(remainingMs(reading, 'opponent', 6000), 30_000);
    assert.equal(remainingMs(reading, 'me', 100_000), 0);
  });

  it('shows minutes and seconds, tenths under ten seconds', () => {
    assert.equal(formatClock(180_000), '3:00');
    assert.equal(formatClock(65_400), '1:05');
    assert.equal(formatClock(10_000), '0:10');
    assert.equal(formatClock(9_999), '0:09.9');
    assert.equal(formatClock(-5), '0:00.0');
    assert.equal(spokenClock(61_000), '1 minute 1 second left');
  });

  it('warns under a tenth of the initial time, and at least under 10 seconds (the move clock too)', () => {
    assert.equal(isLowTime(17_000, 180), true);
    assert.equal(isLowTime(19_000, 180), false);
    assert.equal(isLowTime(89_000, 900), true);
    assert.equal(isLowTime(9_000, 0), true);
    assert.equal(isLowTime(11_000, 0), false);
  });

  it('offers 3+2, 5+3, 10+5, 15+10 and no clock, and reads a kept choice back', () => {
    assert.deepEqual(TIME_CONTROLS.map(timeControlName), ['3+2', '5+3', '10+5', '15+10', 'no clock']);
    assert.deepEqual(parseTimeControl('600+5', TIME_CONTROLS), { initialSeconds: 600, incrementSeconds: 5 });
    assert.equal(parseTimeControl('60+0', TIME_CONTROLS), undefined);
    assert.equal(parseTimeControl(null, TIME_CONTROLS), undefined);
  });
});

describe('how a game ended, in words', () => {
  it('names every reason from the receiver side', () => {
    assert.equal(outcomeOf(1), 'won');
    assert.equal(outcomeOf(0), 'lost');
    assert.equal(outcomeOf(2), 'draw');
    assert.equal(endingSentence('won', EndReasonCode.Resignation, 'jen', true), 'jen resigned');
    assert.equal(endingSentence('lost', EndReasonCode.OutOfTime, 'jen', true), 'you ran out of time');
    assert.equal(endingSentence('lost', EndReasonCode.NoMove, 'jen', false), 'you have no pieces left');
    assert.equal(endingSentence('won', EndReasonCode.NoMove, 'jen', true), 'jen has no move left');
    assert.equal(endingSentence('draw', EndReasonCode.DrawAgreed, 'jen', true), 'drawn by agreement');
    assert.equal(
      endingSentence('won', EndReasonCode.DidNotComeBack, 'jen', true),
      'jen left and did not come back in time',
    );
    assert.match(endingSentence('lost', 42, 'jen', true), /reason 42/);
  });
});

describe('the resume token in the browser', () => {
  it('keeps name, token and expiry, never a password; forgets it on expiry and on request', () => {
    const storage = new MemoryStorage();
    const token = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    keepLogin(storage, { username: 'cam', token, expiresAt: 5000 });
    const kept = keptLogin(storage, 1000);
    assert.deepEqual(kept && { ...kept, token: [...kept.token] }, {
      username: 'cam',
      token: [...token],
      expiresAt: 5000,
    });
    assert.doesNotMatch(storage.getItem(RESUME_KEY) ?? '', /password/);
    assert.equal(keptLogin(storage, 5000), undefined);
    storage.setItem(RESUME_KEY, '{"username":"cam","token":"zz","expiresAt":9}');
    assert.equal(keptLogin(storage, 0), undefined);
    forgetLogin(storage);
    assert.equal(storage.getItem(RESUME_KEY), null);
  });
});

describe('a standard game as the page sees it', () => {
  const facts = {
    opponent: 'jen',
    opponentRating: 1200,
    myRating: 1200,
    color: WHITE,
    timeControl: { initialSeconds: 180, incrementSeconds: 2 },
    rated: true,
    gameId: 7,
  } as const;

  it("animates the opponent's capture hop by hop and records it in notation", () => {
    const { sequence, position } = firstCaptureChoice();
    const game = new StandardGame({ ...facts, color: sequence.length % 2 === 0 ? WHITE : BLACK });
    game.position = position;
    const capture = legalMoves(position)[0] as Move;
    const after = applyMove(position, capture);
    const path = [capture.from, ...capture.path].map((b) => b + 1);
    const plies = game.onTurn(
      {
        lastPath: path,
        board: toWireBoard(after, game.color),
        myClockMs: 170_000,
        opponentClockMs: 175_000,
        opponentOffersDraw: false,
      },
      true,
      0,
    );
    assert.equal(plies.length, capture.path.length);
    assert.equal(plies[0]?.kind, 'jump');
    assert.equal(game.record.at(-1)?.text, pathText(capture));
    assert.equal(game.myTurn, true);
    assert.deepEqual(game.clocks, { myMs: 170_000, opponentMs: 175_000, running: 'me', receivedAt: 0 });
  });

  it('shows its own move at once, goes back when the server refuses it, and keeps draw offers to one per move', () => {
    const game = new StandardGame({ ...facts, color: BLACK });
    game.onTurn(
      {
        lastPath: null,
        board: toWireBoard(INITIAL_POSITION, BLACK),
        myClockMs: 180_000,
        opponentClockMs: 180_000,
        opponentOffersDraw: false,
      },
      true,
      0,
    );
    assert.equal(game.mayOfferDraw, true);
    game.onDrawOfferSent();
    assert.equal(game.draw, 'offered-by-me');
    assert.equal(game.mayOfferDraw, false);
    const move = game.legalMoves().find((m) => pathText(m) === '11-15') as Move;
    game.onMoveSent(move, 10);
    assert.equal(game.record.at(-1)?.text, '11-15');
    assert.equal(game.clocks?.running, undefined);
    assert.equal(game.mayOfferDraw, true);
    game.onMoveRefused(50);
    assert.deepEqual(game.position, { ...INITIAL_POSITION, turn: BLACK });
    assert.equal(game.record.length, 0);
    assert.equal(game.clocks?.running, 'me');
  });

  it('turns a path that does not fit the board into no animation rather than a wrong one', () => {
    assert.deepEqual(pathPlies(INITIAL_POSITION, BLACK, [11, 18], undefined), []);
    const plies = pathPlies(INITIAL_POSITION, BLACK, [11, 15], undefined);
    assert.equal(plies.length, 1);
    assert.deepEqual(pathPlies(INITIAL_POSITION, BLACK, [11, 15], INITIAL_POSITION), []);
  });
});

describe('board coordinates', () => {
  it('labels files along the bottom and ranks up the right in the wire board coordinates, turning with the board', () => {
    // White at the bottom: a1 bottom-left (square 29 is (0,0)), h8 top-right.
    assert.deepEqual(coordinateLabels({ row: 7, column: 0 }, WHITE), { file: 'a' });
    assert.deepEqual(coordinateLabels({ row: 7, column: 7 }, WHITE), { file: 'h', rank: '1' });
    assert.deepEqual(coordinateLabels({ row: 0, column: 7 }, WHITE), { rank: '8' });
    // Black at the bottom: the board turned half way, h8 bottom-left.
    assert.deepEqual(coordinateLabels({ row: 7, column: 0 }, BLACK), { file: 'h' });
    assert.deepEqual(coordinateLabels({ row: 0, column: 7 }, BLACK), { rank: '1' });
    assert.deepEqual(coordinateLabels({ row: 3, column: 3 }, WHITE), {});
    // Square 29, (0,0), is a1 whichever side is at the bottom; square 4, (7,7), is h8.
    for (const bottom of [BLACK, WHITE] as const) {
      const corner29 = screenCell(bit(29), bottom);
      const corner4 = screenCell(bit(4), bottom);
      const file29 = coordinateLabels({ row: 7, column: corner29.column }, bottom).file;
      const rank29 = coordinateLabels({ row: corner29.row, column: 7 }, bottom).rank;
      assert.deepEqual([file29, rank29], ['a', '1']);
      const file4 = coordinateLabels({ row: 7, column: corner4.column }, bottom).file;
      const rank4 = coordinateLabels({ row: corner4.row, column: 7 }, bottom).rank;
      assert.deepEqual([file4, rank4], ['h', '8']);
    }
  });
});
