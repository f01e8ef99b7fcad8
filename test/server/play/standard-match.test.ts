import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import type { Opening } from '../../../src/game/openings.js';
import { THREE_MOVE_OPENINGS } from '../../../src/game/openings.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../../src/game/result.js';
import { PathRefusal } from '../../../src/game/standard.js';
import { MOVE_FLAG_DRAW_OFFERED as DRAW_OFFERED_FLAG, IllegalMoveReason } from '../../../src/protocol/index.js';
import { rateGame } from '../../../src/server/domain/rating.js';
import { liveGameOf, snapshotOf } from '../../../src/server/play/standard-live.js';
import {
  blackSeat,
  kingsOnly,
  newMatch,
  only,
  playAll,
  restoreAt,
  snapshotAt,
  squares,
  to,
  whiteSeat,
} from './match-setup.js';

describe('StandardMatch: opening and moves', () => {
  it('opens with GameStart2 to both, YourMove to Black and TheirMove to White, both clocks full', () => {
    const { match } = newMatch();
    const output = match.start();
    assert.equal(output.changed, true);
    assert.deepEqual(to(output, BLACK)[0], {
      type: 'GameStart2',
      opponent: 'bob',
      opponentRating: 1300,
      colour: 0,
      initialSeconds: 180,
      incrementSeconds: 2,
      rated: true,
      gameId: 7,
    });
    assert.equal(to(output, WHITE)[0]?.type, 'GameStart2');
    assert.deepEqual(to(output, WHITE)[0], {
      ...to(output, BLACK)[0],
      opponent: 'ann',
      opponentRating: 1200,
      colour: 1,
    });
    assert.deepEqual(to(output, BLACK)[1], {
      type: 'YourMove',
      lastPath: null,
      board: toWireBoard(INITIAL_POSITION, BLACK),
      yourClockMs: 180_000,
      opponentClockMs: 180_000,
      flags: 0,
    });
    assert.equal(to(output, WHITE)[1]?.type, 'TheirMove');
  });

  it('a legal path: TheirMove to the mover, YourMove to the other, the mover charged and given the increment', () => {
    const { match, clock } = newMatch();
    match.start();
    clock.advance(10_000);
    const output = match.applyPath(BLACK, [11, 15]);
    assert.equal(output.changed, true);
    assert.deepEqual(output.played, { seat: BLACK, text: '11-15', clocksMs: [172_000, 180_000] });
    const accepted = only(output, BLACK, 'TheirMove');
    assert.deepEqual([accepted.yourClockMs, accepted.opponentClockMs], [172_000, 180_000]);
    const next = only(output, WHITE, 'YourMove');
    assert.deepEqual(next.lastPath, [11, 15]);
    assert.deepEqual([next.yourClockMs, next.opponentClockMs], [180_000, 172_000]);
    assert.equal(match.turn, WHITE);
    clock.advance(4_000);
    assert.deepEqual(match.clocks(), [172_000, 176_000], "only the mover's clock runs");
    assert.equal(match.deadline(), clock.now() + 176_000);
  });

  it('refuses illegal paths with the reason, changing nothing, and ignores a path out of turn', () => {
    const { match, clock } = newMatch();
    match.start();
    assert.deepEqual(only(match.applyPath(BLACK, [11, 14]), BLACK, 'IllegalMove'), {
      type: 'IllegalMove',
      path: [11, 14],
      reason: 0,
    });
    assert.equal(match.applyPath(WHITE, [22, 18]).ignored, 'not your move');
    playAll(match, '11-15', '22-18');
    const compulsory = match.applyPath(BLACK, [9, 13]);
    assert.equal(only(compulsory, BLACK, 'IllegalMove').reason, 1);
    assert.equal(compulsory.changed, false);
    clock.advance(1_000);
    assert.equal(match.clocks()[BLACK], 180_000 + 2_000 - 1_000, 'an illegal path does not stop the clock');
    playAll(match, '15x22');
  });

  it('refuses the start of a capture that can go on, and takes the branch the player chose', () => {
    const fork = positionFromSquares({ black: [14], white: [18, 26, 27, 1], kings: [1] });
    for (const [chosen, other] of [
      ['14x23x30', 27],
      ['14x23x32', 26],
    ] as const) {
      const { match } = restoreAt(snapshotAt(fork));
      assert.equal(only(match.applyPath(BLACK, [14, 23]), BLACK, 'IllegalMove').reason, 2);
      const [output] = playAll(match, chosen);
      const seen = only(output ?? assert.fail(), WHITE, 'YourMove');
      assert.deepEqual(seen.lastPath, squares(chosen));
      const after = positionFromSquares({
        black: [squares(chosen)[2] ?? 0],
        white: [1, other],
        kings: [1, squares(chosen)[2] ?? 0].filter((square) => square >= 29 || square === 1),
        turn: WHITE,
      });
      assert.deepEqual(seen.board, toWireBoard(after, WHITE), 'White sees the path Black chose');
    }
  });
});

describe('StandardMatch: the rules speak the protocol', () => {
  it("the rules' refusals are IllegalMove's reasons (src/game may not import the protocol)", () => {
    assert.deepEqual({ ...PathRefusal }, { ...IllegalMoveReason });
  });
});

describe('StandardMatch: endings', () => {
  it('resign: GameOver2 to both (reason 1), the resigner loses, both ratings move', () => {
    const { match, clock } = newMatch();
    match.start();
    const output = match.resign(WHITE);
    const lost = only(output, WHITE, 'GameOver2');
    const won = only(output, BLACK, 'GameOver2');
    assert.deepEqual([lost.result, lost.reason, won.result, won.reason], [0, 1, 1, 1]);
    const rated = rateGame(blackSeat.rating, whiteSeat.rating, 1);
    assert.equal(won.newRating, Math.round(rated.black.rating));
    assert.equal(lost.newRating, Math.round(rated.white.rating));
    assert.equal(lost.oldRating, 1300);
    assert.equal(output.finished?.winner, 'black');
    assert.equal(output.finished?.termination, 'resignation');
    assert.deepEqual(output.finished?.white.after, rated.white);
    assert.equal(match.finished, true);
    assert.equal(clock.pending, 0, 'no timer is left behind');
    assert.equal(match.applyPath(BLACK, [11, 15]).ignored, 'the game is over');
    assert.equal(match.resign(BLACK).ignored, 'the game is over');
    assert.equal(match.snapshot(), undefined);
  });

  it('a move that leaves the opponent nothing wins (reason 0): TheirMove then GameOver2 to the mover', () => {
    const { match } = restoreAt(snapshotAt(positionFromSquares({ black: [14], white: [18] })));
    const [output] = playAll(match, '14x23');
    assert.deepEqual(
      to(output ?? assert.fail(), BLACK).map((message) => message.type),
      ['TheirMove', 'GameOver2'],
    );
    assert.deepEqual(only(output ?? assert.fail(), WHITE, 'GameOver2').lastPath, [14, 23]);
    assert.equal(output?.finished?.termination, 'no-pieces');
    assert.equal(output?.finished?.winner, 'black');
  });

  it('threefold repetition is drawn at once (reason 4), rated as a draw', () => {
    const { match } = restoreAt(snapshotAt(kingsOnly));
    const outputs = playAll(match, '5-9', '28-24', '9-5', '24-28', '5-9', '28-24', '9-5');
    assert.ok(outputs.every((output) => output.finished === undefined));
    const [last] = playAll(match, '24-28');
    const gameOver = only(last ?? assert.fail(), BLACK, 'GameOver2');
    assert.deepEqual([gameOver.result, gameOver.reason], [2, 4]);
    assert.equal(last?.finished?.winner, 'draw');
    assert.deepEqual(last?.finished?.black.after, rateGame(blackSeat.rating, whiteSeat.rating, 0.5).black);
    assert.deepEqual(last?.finished?.moves.slice(-2), ['9-5', '24-28']);
  });

  it(`the forty-move rule draws after ${QUIET_PLIES_FOR_DRAW} quiet plies (reason 3)`, () => {
    const { match } = restoreAt(snapshotAt(kingsOnly, { quietPlies: QUIET_PLIES_FOR_DRAW - 1 }));
    const [last] = playAll(match, '5-9');
    const gameOver = only(last ?? assert.fail(), WHITE, 'GameOver2');
    assert.deepEqual([gameOver.result, gameOver.reason], [2, 3]);
    assert.equal(last?.finished?.termination, 'forty-move-rule');
  });

  it('forfeits: GameOver2 with both new ratings to the opponent only, reason by cause', () => {
    for (const [reason, code] of [
      ['disconnect', 6],
      ['protocol-error', 6],
      ['logout', 7],
      ['account-removed', 8],
    ] as const) {
      const { match, clock } = newMatch();
      match.start();
      const output = match.forfeit(BLACK, reason);
      assert.deepEqual(to(output, BLACK), []);
      const won = only(output, WHITE, 'GameOver2');
      assert.deepEqual([won.result, won.reason, won.oldRating], [1, code, 1300]);
      assert.ok(won.newRating > won.oldRating, 'the winner sees the rating gained');
      assert.equal(output.finished?.termination, reason);
      assert.equal(clock.pending, 0);
    }
  });

  it('abandon: no winner, no rating change, no message', () => {
    const { match } = newMatch();
    match.start();
    const output = match.abandon('storage-outage');
    assert.deepEqual(output.outbox, []);
    assert.equal(output.finished?.winner, 'abandoned');
    assert.equal(output.finished?.rated, false);
    assert.deepEqual(output.finished?.black.after, blackSeat.rating);
  });

  it('an unrated game says so and changes no rating', () => {
    const { match } = newMatch({ rated: false });
    const start = match.start();
    assert.equal(only({ ...start, outbox: start.outbox.slice(0, 1) }, BLACK, 'GameStart2').rated, false);
    const output = match.resign(BLACK);
    const lost = only(output, BLACK, 'GameOver2');
    assert.deepEqual([lost.rated, lost.newRating, lost.oldRating], [false, 1200, 1200]);
    assert.deepEqual(output.finished?.white.after, whiteSeat.rating);
  });
});

describe('StandardMatch: draw offers', () => {
  it('an offer reaches the opponent once; repeats before a move of the offerer are ignored', () => {
    const { match } = newMatch();
    match.start();
    const offered = match.offerDraw(BLACK);
    assert.deepEqual(offered.outbox, [{ seat: WHITE, message: { type: 'DrawOffered' } }]);
    assert.equal(offered.changed, true);
    assert.equal(match.offerDraw(BLACK).ignored, 'your draw offer is already pending');
    const [moved] = playAll(match, '11-15');
    assert.equal(only(moved ?? assert.fail(), WHITE, 'YourMove').flags & DRAW_OFFERED_FLAG, DRAW_OFFERED_FLAG);
    assert.equal(only(moved ?? assert.fail(), BLACK, 'TheirMove').flags, 0, 'the flag speaks of the opponent only');
  });

  it("an offer lapses when the offerer's opponent moves; a new one needs a move of one's own", () => {
    const { match } = newMatch();
    match.start();
    match.offerDraw(WHITE);
    const [blackMoved] = playAll(match, '11-15');
    assert.equal(only(blackMoved ?? assert.fail(), WHITE, 'YourMove').flags, 0);
    assert.equal(match.answerDraw(BLACK, true).ignored, 'no draw offer is pending');
    assert.equal(match.offerDraw(WHITE).ignored, 'one draw offer per own move');
    playAll(match, '22-18');
    assert.deepEqual(match.offerDraw(WHITE).outbox, [{ seat: BLACK, message: { type: 'DrawOffered' } }]);
  });

  it('declined: DrawDeclined to the offerer; accepted: drawn by agreement (reason 2), both rated', () => {
    const { match } = newMatch();
    match.start();
    match.offerDraw(BLACK);
    assert.equal(match.answerDraw(BLACK, true).ignored, 'no draw offer is pending', 'nobody answers their own offer');
    assert.deepEqual(match.answerDraw(WHITE, false).outbox, [{ seat: BLACK, message: { type: 'DrawDeclined' } }]);
    assert.equal(match.answerDraw(WHITE, true).ignored, 'no draw offer is pending');
    playAll(match, '11-15');
    match.offerDraw(BLACK);
    const accepted = match.answerDraw(WHITE, true);
    for (const seat of [BLACK, WHITE] as const) {
      const gameOver = only(accepted, seat, 'GameOver2');
      assert.deepEqual([gameOver.result, gameOver.reason], [2, 2]);
    }
    assert.equal(accepted.finished?.winner, 'draw');
    assert.equal(accepted.finished?.termination, 'draw-agreed');
    const rated = rateGame(blackSeat.rating, whiteSeat.rating, 0.5);
    assert.deepEqual([accepted.finished?.black.after, accepted.finished?.white.after], [rated.black, rated.white]);
  });

  it("offering while the opponent's offer is pending accepts it", () => {
    const { match } = newMatch();
    match.start();
    match.offerDraw(WHITE);
    const output = match.offerDraw(BLACK);
    assert.equal(output.finished?.termination, 'draw-agreed');
  });

  it('a rejoining player sees the pending offer in the flags of its board message', () => {
    const { match } = newMatch();
    match.start();
    match.offerDraw(BLACK);
    const greeting = match.greet(WHITE);
    assert.deepEqual(
      greeting.outbox.map((entry) => entry.message.type),
      ['GameStart2', 'TheirMove'],
    );
    const view = to(greeting, WHITE)[1];
    assert.equal(view?.type === 'TheirMove' ? view.flags : -1, DRAW_OFFERED_FLAG);
    assert.equal(to(match.greet(BLACK), BLACK)[1]?.type, 'YourMove');
  });
});

describe('StandardMatch: a tournament opening', () => {
  const ballot = THREE_MOVE_OPENINGS[100] as Opening;

  it('starts after the ballot: White to move, both boards the ballot position with its last move as last path', () => {
    const { match } = newMatch({ opening: ballot });
    const output = match.start();
    const lastPath = squares(ballot.moves[2] as string);
    assert.equal(to(output, WHITE)[0]?.type, 'GameStart2');
    assert.deepEqual(to(output, WHITE)[1], {
      type: 'YourMove',
      lastPath,
      board: toWireBoard(ballot.position, WHITE),
      yourClockMs: 180_000,
      opponentClockMs: 180_000,
      flags: 0,
    });
    assert.deepEqual(to(output, BLACK)[1], {
      type: 'TheirMove',
      lastPath,
      board: toWireBoard(ballot.position, BLACK),
      yourClockMs: 180_000,
      opponentClockMs: 180_000,
      flags: 0,
    });
    assert.equal(match.turn, WHITE);
    assert.deepEqual(match.snapshot()?.moves, ballot.moves);
  });

  it('records the ballot moves first, and a restart replays them from the start', () => {
    const { match } = newMatch({ opening: ballot });
    match.start();
    const snapshot = match.snapshot();
    assert.ok(snapshot);
    const read = snapshotOf(liveGameOf(snapshot, 0), 0);
    assert.ok(read.ok);
    assert.deepEqual(read.snapshot.position, ballot.position);
    assert.deepEqual(read.snapshot.lastPath, squares(ballot.moves[2] as string));
    const { match: resumed } = restoreAt(read.snapshot);
    const output = resumed.resign(WHITE);
    assert.deepEqual(output.finished?.moves, ballot.moves);
  });
});
