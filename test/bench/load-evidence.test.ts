import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerLogReader, type ServerStats } from '../../bench/load/server-log.js';
import { PhaseStats } from '../../bench/load/sim-player.js';
import { memoryTrend, type SoakSample, slope, soakSample, startsRound } from '../../bench/load/soak.js';
import { Timeline } from '../../bench/load/timeline.js';
import {
  describeStall,
  explainWait,
  type HonestWait,
  type LoopSample,
  type ServerEvent,
  type WaitEvidence,
  WorstWaits,
} from '../../bench/load/waits.js';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');

function wait(overrides: Partial<HonestWait> = {}): HonestWait {
  return {
    at: T0,
    waitedMs: 800,
    player: 'p1',
    opponent: 'p2',
    opponentSimulated: true,
    settledBy: 'YourTurn',
    phase: 'no attack',
    queuedBytes: 0,
    ...overrides,
  };
}

function evidence(parts: { events?: ServerEvent[]; server?: LoopSample[]; bench?: LoopSample[] } = {}): WaitEvidence {
  const timeline = <T extends { at: number }>(entries: T[] = []) => {
    const line = new Timeline<T>(100);
    for (const entry of entries) line.add(entry);
    return line;
  };
  return { serverEvents: timeline(parts.events), serverLoop: timeline(parts.server), benchLoop: timeline(parts.bench) };
}

const quietSecond = (at: number): LoopSample => ({ at, intervalMs: 1000, loopDelayMaxMs: 5, gcMaxMs: 2 });

describe('Timeline', () => {
  it('keeps only the latest entries and finds those in a time range', () => {
    const line = new Timeline<{ at: number; n: number }>(3);
    for (let n = 0; n < 10; n++) line.add({ at: n * 10, n });
    assert.equal(line.size, 3);
    assert.deepEqual(
      line.between(0, 1000).map((entry) => entry.n),
      [7, 8, 9],
    );
    assert.deepEqual(
      line.between(75, 85).map((entry) => entry.n),
      [8],
    );
    assert.equal(line.latest()?.n, 9);
  });
});

describe('ServerLogReader', () => {
  it('names the account a close line speaks of by its session', () => {
    const reader = new ServerLogReader();
    const time = new Date(T0).toISOString();
    reader.read({ msg: 'logged in', time, session: 7, user: 'atk3' });
    const { events } = reader.read({
      msg: 'connection keeps exceeding its rate limits; closing',
      time,
      session: 7,
      throttledMs: 5040,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.user, 'atk3');
    assert.equal(events[0]?.at, T0);
    assert.match(events[0]?.what ?? '', /5040 ms held back by the rate limits/);
  });

  it('reads process stats lines, and forfeits (not games decided on the board) for both players', () => {
    const reader = new ServerLogReader();
    const time = new Date(T0).toISOString();
    const { stats } = reader.read({ msg: 'process stats', time, heapUsed: 10, loopDelayMaxMs: 3 });
    assert.equal(stats?.at, T0);
    assert.equal(stats?.heapUsed, 10);
    const finished = { msg: 'game finished', time, black: 'p1', white: 'atk2', winner: 'black' };
    assert.deepEqual(reader.read({ ...finished, termination: 'no-pieces' }).events, []);
    const forfeit = reader.read({ ...finished, termination: 'protocol-error' }).events;
    assert.deepEqual(
      forfeit.map((event) => event.user),
      ['p1', 'atk2'],
    );
    const [lost] = reader.read({ msg: 'connection lost', time, session: 9, user: 'atk0', reason: 'disconnect' }).events;
    assert.match(lost?.what ?? '', /connection end \(disconnect; its game waits --reconnect-grace for it\)/);
  });
});

describe('explainWait', () => {
  it('blames an opponent that is an attacker, with the server closing it', () => {
    const text = explainWait(
      wait({ waitedMs: 5460, opponent: 'atk5', opponentSimulated: false, settledBy: 'OpponentDisconnect' }),
      evidence({
        events: [{ at: T0 + 5400, user: 'atk5', what: 'closed it after 5010 ms held back by the rate limits' }],
      }),
    );
    assert.match(text, /atk5 is an attacker's account/);
    assert.match(text, /closed it after 5010 ms held back by the rate limits 5\.40 s after the move/);
  });

  it('blames a GC pause when the server loop stalled for it', () => {
    const text = explainWait(
      wait(),
      evidence({
        server: [
          quietSecond(T0),
          { at: T0 + 1000, intervalMs: 1000, loopDelayMaxMs: 700, gcMaxMs: 650, cpuMs: 900, cpuWaitMs: 20 },
        ],
        bench: [quietSecond(T0 + 1000)],
      }),
    );
    assert.match(text, /server's event loop was blocked for 700 ms, a GC pause of 650 ms/);
    assert.doesNotMatch(text, /load generator/);
  });

  it('tells waiting for a CPU from a stall in a system call, for either process', () => {
    const contended = describeStall('bench', {
      at: T0,
      intervalMs: 1000,
      loopDelayMaxMs: 600,
      cpuMs: 300,
      cpuWaitMs: 650,
    });
    assert.match(contended, /load generator's own event loop was blocked for 600 ms, waiting for a CPU/);
    const blocked = describeStall('server', {
      at: T0,
      intervalMs: 1000,
      loopDelayMaxMs: 800,
      gcMaxMs: 1,
      cpuMs: 100,
      cpuWaitMs: 10,
    });
    assert.match(blocked, /blocked in a system call/);
    const busy = describeStall('server', {
      at: T0,
      intervalMs: 1000,
      loopDelayMaxMs: 800,
      gcMaxMs: 1,
      cpuMs: 990,
      cpuWaitMs: 10,
    });
    assert.match(busy, /busy running/);
  });

  it('tells a server with no idle time (moves queueing) from a stall', () => {
    const busySecond = (at: number): LoopSample => ({
      at,
      intervalMs: 1000,
      loopDelayMaxMs: 80,
      gcMaxMs: 10,
      cpuMs: 450,
      cpuWaitMs: 540,
    });
    const text = explainWait(
      wait(),
      evidence({ server: [busySecond(T0 + 1000)], bench: [{ ...quietSecond(T0 + 1000), cpuMs: 300, cpuWaitMs: 0 }] }),
    );
    assert.match(
      text,
      /^the server's main thread had no idle time \(it ran 45% of the time and waited for a CPU 54%\)/,
    );
    assert.doesNotMatch(text, /load generator/);
  });

  it('says so when nothing explains the wait', () => {
    const text = explainWait(wait(), evidence({ server: [quietSecond(T0 + 1000)], bench: [quietSecond(T0 + 1000)] }));
    assert.match(text, /^no stall seen: server loop at most 5 ms/);
  });
});

describe('WorstWaits', () => {
  it('keeps the longest waits, longest first, and explains those whose evidence is in', () => {
    const worst = new WorstWaits(2);
    for (const [index, waitedMs] of [100, 900, 300, 50, 1200].entries()) {
      worst.offer(wait({ waitedMs, at: T0 + index * 10_000 - waitedMs }));
    }
    worst.explain(evidence(), T0 + 35_000);
    assert.deepEqual(
      worst.list().map((entry) => entry.waitedMs),
      [1200, 900],
    );
    const [longest, second] = worst.list();
    assert.match(longest?.cause ?? '', /not explained/);
    assert.match(second?.cause ?? '', /no stall seen/);
  });

  it('lists waits that ended together once, with how many other moves they held up', () => {
    const worst = new WorstWaits(3);
    for (const waitedMs of [700, 900, 800]) worst.offer(wait({ waitedMs, at: T0 - waitedMs + 1 }));
    // A quick move answered at the same moment was not held up by the same thing.
    worst.offer(wait({ waitedMs: 2, at: T0 - 1 }));
    worst.offer(wait({ waitedMs: 400, at: T0 + 5000 }));
    assert.deepEqual(
      worst.list().map((entry) => [entry.waitedMs, entry.othersAtOnce]),
      [
        [900, 2],
        [400, 0],
        [2, 0],
      ],
    );
  });
});

describe('soak figures', () => {
  it('runs the phases once without a soak, and in rounds until the soak time is up with one', () => {
    assert.equal(startsRound(1, 0, undefined), true);
    assert.equal(startsRound(2, 10, undefined), false);
    assert.equal(startsRound(1, 999_999, 60_000), true);
    assert.equal(startsRound(2, 59_999, 60_000), true);
    assert.equal(startsRound(3, 60_000, 60_000), false);
  });

  it('fits a slope', () => {
    assert.equal(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
      2,
    );
    assert.ok(Number.isNaN(slope([[0, 1]])));
  });

  it('summarizes one interval and the memory trend of a soak', () => {
    const window = new PhaseStats('attack no-read');
    window.moves = 300;
    window.gamesFinished = 4;
    window.latencies.push(...Array.from({ length: 100 }, (_, i) => i + 1));
    const line = (at: number, heapAfterMajorGc: number): ServerStats => ({
      at,
      intervalMs: 1000,
      rss: 0,
      heapUsed: 20 * 2 ** 20,
      heapTotal: 40 * 2 ** 20,
      external: 2 ** 20,
      arrayBuffers: 0,
      heapAfterMajorGc,
      loopDelayMaxMs: 12,
      loopDelayP99Ms: 3,
      gcCount: 4,
      gcMajorCount: 0,
      gcTotalMs: 50,
      gcMaxMs: 9,
      mainThreadCpuMs: 500,
      mainThreadCpuWaitMs: 100,
    });
    const sample = soakSample({
      elapsedSeconds: 30,
      seconds: 3,
      phase: window.phase,
      rssBytes: 100 * 2 ** 20,
      window,
      serverStats: [line(T0, 0), line(T0 + 1000, 0), line(T0 + 2000, 15 * 2 ** 20)],
      benchLoop: [{ at: T0, intervalMs: 1000, loopDelayMaxMs: 40 }],
    });
    assert.equal(sample.movesPerSecond, 100);
    assert.equal(sample.p99Ms, 100);
    assert.equal(sample.heapTotalMiB, 40);
    assert.equal(sample.heapAfterFullGcMiB, 15);
    assert.equal(sample.outsideHeapMiB, 60);
    assert.equal(sample.gcShare, 0.05);
    assert.equal(sample.cpuWaitShare, 0.1);
    assert.equal(sample.benchLoopMaxMs, 40);

    const at = (elapsedSeconds: number, rssMiB: number, heapAfterFullGcMiB: number): SoakSample => ({
      ...sample,
      elapsedSeconds,
      rssMiB,
      heapAfterFullGcMiB,
    });
    const trend = memoryTrend([at(0, 100, Number.NaN), at(60, 120, 15), at(120, 130, 16), at(180, 130, 16)]);
    assert.deepEqual(trend.rssMiB, { first: 100, max: 130, last: 130 });
    assert.deepEqual(trend.heapAfterFullGcMiB, { first: 15, max: 16, last: 16 });
    assert.equal(trend.rssSlopeMiBPer10Min, 0);
  });
});
