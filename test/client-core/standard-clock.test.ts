import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock, StandardClock } from '../../src/client-core/standard-clock.js';

function manualNow(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('StandardClock', () => {
  it('counts down only the running side, from the values the server sent', () => {
    const time = manualNow();
    const clock = new StandardClock(300, 3, time.now);
    clock.set(300_000, 299_000, 'me');
    time.advance(1_500);
    assert.deepEqual(clock.read(), {
      myMs: 298_500,
      opponentMs: 299_000,
      running: 'me',
      myLowTime: false,
      opponentLowTime: false,
    });
    clock.set(301_000, 299_000, 'opponent');
    time.advance(2_000);
    assert.equal(clock.read().myMs, 301_000);
    assert.equal(clock.read().opponentMs, 297_000);
  });

  it('stops where it stands and never shows less than zero', () => {
    const time = manualNow();
    const clock = new StandardClock(180, 2, time.now);
    clock.set(5_000, 100_000, 'me');
    time.advance(2_000);
    clock.stop();
    time.advance(60_000);
    assert.equal(clock.read().myMs, 3_000);
    assert.equal(clock.read().running, undefined);
    clock.set(1_000, 100_000, 'me');
    time.advance(5_000);
    assert.equal(clock.read().myMs, 0);
  });

  it('warns below 10 % of the initial time, or 10 s when that is more', () => {
    const cases: Array<[number, number]> = [
      [180, 18_000],
      [300, 30_000],
      [600, 60_000],
      [900, 90_000],
      [60, 10_000],
    ];
    for (const [initial, threshold] of cases) {
      const time = manualNow();
      const clock = new StandardClock(initial, 0, time.now);
      assert.equal(clock.lowTimeMs, threshold);
      clock.set(threshold, threshold - 1, 'opponent');
      assert.equal(clock.read().myLowTime, false, `${initial}: exactly at the threshold is not low`);
      assert.equal(clock.read().opponentLowTime, true, `${initial}: below it is`);
      time.advance(1);
      assert.equal(clock.read().opponentLowTime, true);
    }
  });

  it('a game without a clock (0+0) is not enabled and never low', () => {
    const clock = new StandardClock(0, 0, () => 0);
    assert.equal(clock.enabled, false);
    assert.equal(clock.read().myLowTime, false);
  });
});

describe('formatClock', () => {
  it('shows minutes and seconds, tenths under ten seconds, hours from an hour', () => {
    assert.equal(formatClock(300_000), '5:00');
    assert.equal(formatClock(299_001), '4:59');
    assert.equal(formatClock(10_000), '0:10');
    assert.equal(formatClock(9_449), '0:09.4');
    assert.equal(formatClock(0), '0:00.0');
    assert.equal(formatClock(-5), '0:00.0');
    assert.equal(formatClock(3_723_000), '1:02:03');
  });
});
