import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, positionFromSquares, WHITE } from '../../../src/game/position.js';
import type { Clock } from '../../../src/server/clock.js';
import type { Seat } from '../../../src/server/play/seat.js';
import { EXPIRY_RECHECK_MS, StandardClock } from '../../../src/server/play/standard-clock.js';
import { NO_CLOCK } from '../../../src/server/play/time-control.js';
import { ManualClock } from '../../support/manual-clock.js';
import { BLITZ, newMatch, only, playAll, restoreAt, snapshotAt } from './match-setup.js';

describe('StandardClock (Fischer)', () => {
  it("runs only the mover's clock, adds the increment after a move, and flags at zero", () => {
    const clock = new ManualClock();
    const flagged: Seat[] = [];
    const clocks = new StandardClock({
      clock,
      control: BLITZ,
      moveTimeoutMs: 0,
      onExpiry: (seat) => flagged.push(seat),
    });
    assert.deepEqual(clocks.both(), [180_000, 180_000]);
    assert.equal(clocks.deadline(), undefined, 'nothing runs before start');
    clocks.start(BLACK);
    clock.advance(30_000);
    clocks.stop();
    clocks.addIncrement(BLACK);
    assert.deepEqual(clocks.both(), [152_000, 180_000]);
    clocks.start(WHITE);
    assert.equal(clock.pending, 1, 'one timer at a time');
    clock.advance(179_999);
    assert.deepEqual(flagged, []);
    assert.equal(clocks.inTime(WHITE), true);
    clock.advance(1);
    assert.deepEqual(flagged, [WHITE]);
    assert.equal(clocks.remaining(WHITE), 0);
    assert.equal(clock.pending, 0);
  });

  it('a move timeout (no clock) starts afresh for every move and never accumulates', () => {
    const clock = new ManualClock();
    const flagged: Seat[] = [];
    const clocks = new StandardClock({
      clock,
      control: NO_CLOCK,
      moveTimeoutMs: 15_000,
      onExpiry: (seat) => flagged.push(seat),
    });
    clocks.start(BLACK);
    clock.advance(14_000);
    assert.equal(clocks.remaining(BLACK), 1_000);
    clocks.stop();
    clocks.addIncrement(BLACK);
    assert.equal(clocks.remaining(BLACK), 15_000);
    clocks.start(WHITE);
    clock.advance(15_000);
    assert.deepEqual(flagged, [WHITE]);
  });

  it('with no clock and no move timeout, no timer is ever set', () => {
    const clock = new ManualClock();
    const clocks = new StandardClock({ clock, control: NO_CLOCK, moveTimeoutMs: 0, onExpiry: () => assert.fail() });
    clocks.start(BLACK);
    assert.equal(clock.pending, 0);
    clock.advance(10_000_000);
    assert.equal(clocks.inTime(BLACK), true);
    assert.deepEqual(clocks.both(), [0, 0]);
  });
});

describe('StandardMatch on the clock', () => {
  it('a player whose clock runs out loses (reason 5), reported through onExpiry', () => {
    const { match, clock, expiries } = newMatch();
    match.start();
    playAll(match, '11-15');
    clock.advance(180_000);
    assert.equal(expiries.length, 1);
    const [output] = expiries;
    const lost = only(output ?? assert.fail(), WHITE, 'GameOver2');
    assert.deepEqual([lost.result, lost.reason], [0, 5]);
    assert.equal(only(output ?? assert.fail(), BLACK, 'GameOver2').result, 1);
    assert.equal(output?.finished?.termination, 'out-of-time');
    assert.deepEqual(output?.finished?.clocksMs, [182_000, 0]);
    assert.equal(match.applyPath(WHITE, [22, 18]).ignored, 'the game is over');
    assert.equal(clock.pending, 0);
  });

  it('running out of time always loses, even against a lone man', () => {
    const lonely = positionFromSquares({ black: [1, 2, 3, 5, 6], white: [32] });
    const { match, clock, expiries } = restoreAt(snapshotAt(lonely, { clocksMs: [5_000, 60_000] }));
    clock.advance(5_000);
    assert.equal(expiries[0]?.finished?.winner, 'white');
    assert.equal(match.finished, true);
  });

  it('a path that arrives after zero, before the timer has run, loses on time', () => {
    let now = 0;
    const sluggish: Clock = { now: () => now, after: () => () => {}, every: () => () => {} };
    const { match } = newMatch({ clock: sluggish });
    match.start();
    now = 180_000;
    const output = match.applyPath(BLACK, [11, 15]);
    assert.equal(output.played, undefined);
    assert.equal(output.finished?.termination, 'out-of-time');
    assert.equal(output.finished?.winner, 'white');
  });

  it('a no-clock game shows the move clock and ends on it (reason 9)', () => {
    const { match, clock, expiries } = newMatch({ control: NO_CLOCK, moveTimeoutMs: 15_000 });
    const start = match.start();
    const first = start.outbox.find((entry) => entry.message.type === 'YourMove')?.message;
    assert.deepEqual(first?.type === 'YourMove' && [first.yourClockMs, first.opponentClockMs], [15_000, 15_000]);
    clock.advance(14_000);
    playAll(match, '11-15');
    clock.advance(14_000);
    playAll(match, '22-18');
    assert.equal(expiries.length, 0);
    clock.advance(15_000);
    const lost = only(expiries[0] ?? assert.fail(), BLACK, 'GameOver2');
    assert.deepEqual([lost.result, lost.reason], [0, 9]);
    assert.equal(expiries[0]?.finished?.termination, 'move-clock');
  });

  it('an expiry held back (replies held, login pending) is looked at again every second; a move in the meantime counts', () => {
    let hold = true;
    const asked: number[] = [];
    const holdExpiry = (_seat: Seat, accountId: number) => {
      asked.push(accountId);
      return hold;
    };
    const { match, clock, expiries } = restoreAt(snapshotAt(positionFromSquares({ black: [9], white: [32] })), {
      holdExpiry,
    });
    clock.advance(60_000 + 3 * EXPIRY_RECHECK_MS);
    assert.equal(expiries.length, 0);
    assert.deepEqual(asked, [11, 11, 11, 11]);
    assert.equal(match.deadline(), clock.now() + EXPIRY_RECHECK_MS);
    playAll(match, '9-13');
    assert.equal(match.clocks()[BLACK], 2_000, 'the late mover keeps only the increment');
    clock.advance(60_000 - 1);
    hold = false;
    clock.advance(1);
    assert.equal(expiries[0]?.finished?.winner, 'black');
  });
});
