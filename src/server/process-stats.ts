import { readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from 'pino';
import { UserError } from './cli-support.js';
import { type Clock, systemClock } from './clock.js';

/** Set to a number of ms to have the server log its memory, event-loop delay and GC pauses that often. */
export const STATS_INTERVAL_ENV = 'CHECKERS_STATS_INTERVAL_MS';
/**
 * Benchmarks only: "1" runs a full garbage collection before each stats line
 * (when node runs with --expose-gc), so that the line's heap is what is alive.
 * It pauses the server, so never on a server whose latency is measured.
 */
export const STATS_FULL_GC_ENV = 'CHECKERS_STATS_FULL_GC';

/** The interval asked for in the environment, undefined when unset; a one-line error when it is not a number. */
export function statsIntervalFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000) {
    throw new UserError(`${STATS_INTERVAL_ENV} must be a whole number of ms from 100 to 3600000, not "${value}"`);
  }
  return ms;
}

/** What one `process stats` log line holds (all figures since the line before, except memory). */
export interface ProcessStatsLine {
  /** The time this line covers, in ms: the interval asked for, or more if the event loop was blocked. */
  readonly intervalMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** The heap in use just after the latest full (mark-sweep-compact) GC so far: what is still alive, so a leak shows here. */
  readonly heapAfterMajorGc: number;
  /** The longest and the 99th-percentile delay of the event loop, in ms. */
  readonly loopDelayMaxMs: number;
  readonly loopDelayP99Ms: number;
  readonly gcCount: number;
  readonly gcMajorCount: number;
  readonly gcTotalMs: number;
  /** The longest GC pause, in ms. */
  readonly gcMaxMs: number;
  /**
   * Linux: how long the main thread ran, and how long it was ready to run but
   * waited for a CPU (other processes had them), in ms. A loop delay that is
   * mostly waiting for a CPU is the machine's doing, not the server's.
   */
  readonly mainThreadCpuMs?: number;
  readonly mainThreadCpuWaitMs?: number;
}

/** Time on a CPU and time waiting for one, in ns, from a /proc/.../schedstat line; undefined if unreadable. */
export function parseSchedstat(text: string): { readonly cpuNs: number; readonly waitNs: number } | undefined {
  const [cpu, wait] = text.trim().split(/\s+/).map(Number);
  return cpu !== undefined && wait !== undefined && Number.isFinite(cpu) && Number.isFinite(wait)
    ? { cpuNs: cpu, waitNs: wait }
    : undefined;
}

/** The calling thread's schedstat (Linux), or undefined elsewhere. */
export function threadSchedule(): { readonly cpuNs: number; readonly waitNs: number } | undefined {
  try {
    return parseSchedstat(readFileSync('/proc/thread-self/schedstat', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * For soak tests: every `intervalMs`, one `process stats` line with the
 * memory figures of `process.memoryUsage()`, the event loop's delay and the
 * GC pauses since the line before. Off unless asked for; returns a stop function.
 */
export function startProcessStats(log: Logger, intervalMs: number, clock: Clock = systemClock): () => void {
  const resolutionMs = 10;
  const loop = monitorEventLoopDelay({ resolution: resolutionMs });
  loop.enable();
  let gcCount = 0;
  let gcMajorCount = 0;
  let gcTotalMs = 0;
  let gcMaxMs = 0;
  let heapAfterMajorGc = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcTotalMs += entry.duration;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gcMajorCount++;
        heapAfterMajorGc = getHeapStatistics().used_heap_size;
      }
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  // The histogram measures from one sampling timer to the next, so it includes the timer's own period.
  const delayMs = (nanoseconds: number) => Math.max(0, Math.round((nanoseconds / 1e6 - resolutionMs) * 100) / 100);
  let schedule = threadSchedule();
  let last = clock.now();
  const fullGc = process.env[STATS_FULL_GC_ENV] === '1' ? (globalThis as { gc?: () => void }).gc : undefined;
  const stopSampling = clock.every(intervalMs, () => {
    const now = clock.now();
    fullGc?.();
    const memory = process.memoryUsage();
    const scheduleNow = threadSchedule();
    const thread =
      schedule && scheduleNow
        ? {
            mainThreadCpuMs: Math.round((scheduleNow.cpuNs - schedule.cpuNs) / 1e6),
            mainThreadCpuWaitMs: Math.round((scheduleNow.waitNs - schedule.waitNs) / 1e6),
          }
        : {};
    schedule = scheduleNow;
    const line: ProcessStatsLine = {
      intervalMs: Math.round(now - last),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      heapAfterMajorGc,
      loopDelayMaxMs: delayMs(loop.max),
      loopDelayP99Ms: delayMs(loop.percentile(99)),
      gcCount,
      gcMajorCount,
      gcTotalMs: Math.round(gcTotalMs * 100) / 100,
      gcMaxMs: Math.round(gcMaxMs * 100) / 100,
      ...thread,
    };
    loop.reset();
    last = now;
    gcCount = 0;
    gcMajorCount = 0;
    gcTotalMs = 0;
    gcMaxMs = 0;
    log.info(line, 'process stats');
  });
  return () => {
    stopSampling();
    loop.disable();
    gc.disconnect();
  };
}
