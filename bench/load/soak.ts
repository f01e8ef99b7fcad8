import type { ServerStats } from './server-log.js';
import { type PhaseStats, percentile } from './sim-player.js';
import type { LoopSample } from './waits.js';

const MIB = 2 ** 20;

/** One line of a soak's time series: the server's memory at the end of an interval, and what the interval saw. */
export interface SoakSample {
  /** Seconds since the first phase started. */
  readonly elapsedSeconds: number;
  readonly phase: string;
  /** From /proc (the bench's own reading). */
  readonly rssMiB: number;
  /** From the server's latest `process stats` line. */
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  /** Heap in use just after the latest full GC: the live data. A leak makes this climb; growth that levels off does not. */
  readonly heapAfterFullGcMiB: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers, sockets' ArrayBuffers...). */
  readonly externalMiB: number;
  /** RSS minus the V8 heap: code, native allocations (SQLite, OpenSSL, libuv), malloc's free lists. */
  readonly outsideHeapMiB: number;
  readonly movesPerSecond: number;
  readonly games: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly serverLoopMaxMs: number;
  readonly gcMaxMs: number;
  /** Share of the interval spent in GC pauses. */
  readonly gcShare: number;
  /** Share of the interval the server's main thread was ready to run but waited for a CPU (Linux; NaN elsewhere). */
  readonly cpuWaitShare: number;
  readonly benchLoopMaxMs: number;
}

export function soakSample(input: {
  readonly elapsedSeconds: number;
  readonly seconds: number;
  readonly phase: string;
  readonly rssBytes: number;
  readonly window: PhaseStats;
  /** The server's stats lines logged during the interval, oldest first. */
  readonly serverStats: readonly ServerStats[];
  readonly benchLoop: readonly LoopSample[];
}): SoakSample {
  const { window, serverStats } = input;
  const last = serverStats.at(-1);
  const sorted = [...window.latencies].sort((a, b) => a - b);
  const most = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
  const gcTotalMs = serverStats.reduce((sum, line) => sum + line.gcTotalMs, 0);
  return {
    elapsedSeconds: input.elapsedSeconds,
    phase: input.phase,
    rssMiB: input.rssBytes / MIB,
    heapUsedMiB: (last?.heapUsed ?? Number.NaN) / MIB,
    heapTotalMiB: (last?.heapTotal ?? Number.NaN) / MIB,
    // Zero until the server's first full GC.
    heapAfterFullGcMiB: last?.heapAfterMajorGc ? last.heapAfterMajorGc / MIB : Number.NaN,
    externalMiB: (last?.external ?? Number.NaN) / MIB,
    outsideHeapMiB: (input.rssBytes - (last?.heapTotal ?? Number.NaN)) / MIB,
    movesPerSecond: window.moves / input.seconds,
    games: window.gamesFinished,
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    serverLoopMaxMs: most(serverStats.map((line) => line.loopDelayMaxMs)),
    gcMaxMs: most(serverStats.map((line) => line.gcMaxMs)),
    gcShare: input.seconds > 0 ? gcTotalMs / (input.seconds * 1000) : 0,
    cpuWaitShare:
      serverStats.length > 0 && serverStats.every((line) => line.mainThreadCpuWaitMs !== undefined)
        ? serverStats.reduce((sum, line) => sum + (line.mainThreadCpuWaitMs ?? 0), 0) / (input.seconds * 1000)
        : Number.NaN,
    benchLoopMaxMs: most(input.benchLoop.map((sample) => sample.loopDelayMaxMs)),
  };
}

/**
 * Whether to start round `round` (from 1) of the phase cycle: a run without
 * a soak has one round; a soak starts rounds until `soakMs` have passed.
 */
export function startsRound(round: number, elapsedMs: number, soakMs: number | undefined): boolean {
  return round === 1 || (soakMs !== undefined && elapsedMs < soakMs);
}

/** Least-squares slope of y over x; NaN with fewer than two points. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const usable = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (usable.length < 2) return Number.NaN;
  const meanX = usable.reduce((sum, [x]) => sum + x, 0) / usable.length;
  const meanY = usable.reduce((sum, [, y]) => sum + y, 0) / usable.length;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of usable) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance > 0 ? covariance / variance : Number.NaN;
}

export interface MemoryTrend {
  readonly rssMiB: { readonly first: number; readonly max: number; readonly last: number };
  readonly heapAfterFullGcMiB: { readonly first: number; readonly max: number; readonly last: number };
  /** Growth over the second half of the soak (after the warm-up), in MiB per 10 minutes. */
  readonly rssSlopeMiBPer10Min: number;
  readonly heapAfterFullGcSlopeMiBPer10Min: number;
}

/** First, highest and last values, and how fast each still grew over the second half of the soak. */
export function memoryTrend(samples: readonly SoakSample[]): MemoryTrend {
  const span = (pick: (sample: SoakSample) => number) => {
    const values = samples.map(pick).filter(Number.isFinite);
    return {
      first: values[0] ?? Number.NaN,
      max: values.length > 0 ? Math.max(...values) : Number.NaN,
      last: values.at(-1) ?? Number.NaN,
    };
  };
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const perTenMinutes = (pick: (sample: SoakSample) => number) =>
    slope(secondHalf.map((sample) => [sample.elapsedSeconds, pick(sample)] as const)) * 600;
  return {
    rssMiB: span((sample) => sample.rssMiB),
    heapAfterFullGcMiB: span((sample) => sample.heapAfterFullGcMiB),
    rssSlopeMiBPer10Min: perTenMinutes((sample) => sample.rssMiB),
    heapAfterFullGcSlopeMiBPer10Min: perTenMinutes((sample) => sample.heapAfterFullGcMiB),
  };
}

const SAMPLE_COLUMNS: ReadonlyArray<[string, number, (sample: SoakSample) => string]> = [
  ['time', 6, (s) => `${Math.round(s.elapsedSeconds)}s`],
  ['phase', 28, (s) => s.phase],
  ['RSS', 6, (s) => s.rssMiB.toFixed(0)],
  ['heap used/total', 15, (s) => `${s.heapUsedMiB.toFixed(0)}/${s.heapTotalMiB.toFixed(0)}`],
  ['live', 5, (s) => (Number.isFinite(s.heapAfterFullGcMiB) ? s.heapAfterFullGcMiB.toFixed(1) : '-')],
  ['ext', 4, (s) => s.externalMiB.toFixed(0)],
  ['RSS-heap', 8, (s) => s.outsideHeapMiB.toFixed(0)],
  ['moves/s', 7, (s) => s.movesPerSecond.toFixed(0)],
  ['games', 6, (s) => String(s.games)],
  ['p99 ms', 7, (s) => s.p99Ms.toFixed(1)],
  ['max ms', 7, (s) => s.maxMs.toFixed(0)],
  ['loop ms', 7, (s) => s.serverLoopMaxMs.toFixed(0)],
  ['GC ms', 6, (s) => s.gcMaxMs.toFixed(0)],
  ['GC %', 5, (s) => (s.gcShare * 100).toFixed(1)],
  ['CPU wait %', 10, (s) => (s.cpuWaitShare * 100).toFixed(1)],
  ['bench ms', 8, (s) => s.benchLoopMaxMs.toFixed(0)],
];

/** The header of the soak's table (memory in MiB; loop and GC figures are the server's worst in the interval). */
export function sampleHeader(): string {
  return SAMPLE_COLUMNS.map(([name, width], i) => (i === 1 ? name.padEnd(width) : name.padStart(width))).join(' ');
}

export function sampleLine(sample: SoakSample): string {
  return SAMPLE_COLUMNS.map(([, width, cell], i) =>
    i === 1 ? cell(sample).slice(0, width).padEnd(width) : cell(sample).padStart(width),
  ).join(' ');
}
