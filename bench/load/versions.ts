import { seededRandom } from '../../src/game/random.js';
import { STATS_FULL_GC_ENV, STATS_INTERVAL_ENV } from '../../src/server/process-stats.js';
import { BENCH_PASSWORD, loopbackAddress } from './accounts.js';
import { ServerProcess } from './server-process.js';
import { BENCH_TIME_CONTROL, type BenchVersion, PhaseStats, percentile, SimPlayer } from './sim-player.js';

/**
 * bench:load --v2-share: version-2 players (the standard rules, clocks on)
 * beside version-1 players in one run, with move latency and memory per
 * player for each version. The server pairs only players of one version (and
 * one time control), so the two kinds play apart on the same server.
 */

/** Player `index`'s version: a `share` of the players speak version 2, spread evenly. */
export function versionOf(index: number, share: number): BenchVersion {
  const twos = (n: number) => Math.floor(n * share);
  return twos(index + 1) > twos(index) ? 2 : 1;
}

export interface VersionLatency {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly samples: number;
}

export function latencyByVersion(stats: PhaseStats): Record<BenchVersion, VersionLatency> {
  const figures = (values: readonly number[]): VersionLatency => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      samples: sorted.length,
    };
  };
  return { 1: figures(stats.byVersion[1]), 2: figures(stats.byVersion[2]) };
}

/** What players of one version, logged in and playing, cost a fresh server, per player. */
export interface VersionMemory {
  readonly players: number;
  /** RSS: not a steady figure under the forced collections (they shrink it), kept for the JSON output only. */
  readonly rssPerPlayerKiB: Record<BenchVersion, number>;
  /** V8 heap alive after a full GC, plus memory outside it (Buffers, sockets), from the server's own stats lines. */
  readonly heapAndExternalPerPlayerKiB: Record<BenchVersion, number>;
}

/** The most players each version's memory run logs in. */
export const VERSION_MEMORY_PLAYERS = 2000;
const STATS_INTERVAL_MS = 500;
/** Stats lines read for each reading: 5 s of them. */
const READINGS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Memory per player by protocol version, measured alike: for each version a
 * fresh server (the same database), run with a full garbage collection
 * before each of its stats lines (STATS_FULL_GC_ENV), so that their heap is
 * what is alive. Its RSS and V8 heap + external are averaged over 5 s before
 * and after `count` players of that version log in, are paired and play for
 * a while with the run's think time (version 2 at BENCH_TIME_CONTROL).
 * Bounded: `count` logins, each retried at most 20 times, and fixed waits.
 */
export async function measureVersionMemory(
  dbPath: string,
  count: number,
  perAddress: number,
  thinkMs: readonly [number, number],
  progress: (text: string) => void,
): Promise<VersionMemory> {
  const rss: Record<BenchVersion, number> = { 1: Number.NaN, 2: Number.NaN };
  const heap: Record<BenchVersion, number> = { 1: Number.NaN, 2: Number.NaN };
  for (const version of [1, 2] as const) {
    progress(`memory per player: ${count} version-${version} players on a fresh server...`);
    const server = await ServerProcess.start(
      dbPath,
      ['--max-connections', String(count + 100), '--no-rehash-passwords'],
      {
        [STATS_INTERVAL_ENV]: String(STATS_INTERVAL_MS),
        [STATS_FULL_GC_ENV]: '1',
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
      },
    );
    const lines: Array<{ rss: number; heapUsed: number; external: number }> = [];
    server.onLogEntry = (entry) => {
      if (entry.msg === 'process stats') lines.push(entry as unknown as (typeof lines)[number]);
    };
    const registry = new Map<string, SimPlayer>();
    const random = seededRandom(version);
    const sims = Array.from(
      { length: count },
      (_, i) =>
        new SimPlayer({
          port: server.port,
          localAddress: loopbackAddress(3, i, perAddress),
          name: `p${i}`,
          password: BENCH_PASSWORD,
          thinkMs,
          random,
          stats: { current: new PhaseStats() },
          registry,
          version,
        }),
    );
    try {
      await sleep(STATS_INTERVAL_MS * (READINGS + 2));
      const before = reading(lines.slice(-READINGS));
      for (let i = 0; i < sims.length; i += 250) await Promise.all(sims.slice(i, i + 250).map(startWithRetries));
      // Paired (the matchmaking tick), and a few moves each into their games.
      await sleep(3000 + thinkMs[1] * 2);
      const from = lines.length;
      await sleep(STATS_INTERVAL_MS * (READINGS + 2));
      const after = reading(lines.slice(Math.max(from, lines.length - READINGS)));
      rss[version] = (after.rss - before.rss) / count / 1024;
      heap[version] = (after.heapAndExternal - before.heapAndExternal) / count / 1024;
    } finally {
      for (const sim of sims) sim.stop();
      await server.stop();
    }
  }
  return { players: count, rssPerPlayerKiB: rss, heapAndExternalPerPlayerKiB: heap };
}

async function startWithRetries(sim: SimPlayer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sim.start();
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(100 * attempt);
    }
  }
}

/** The mean RSS and heap + external of the stats lines. */
function reading(lines: ReadonlyArray<{ rss: number; heapUsed: number; external: number }>): {
  rss: number;
  heapAndExternal: number;
} {
  if (lines.length === 0) throw new Error('the server logged no process stats');
  const mean = (pick: (line: (typeof lines)[number]) => number) =>
    lines.reduce((total, line) => total + pick(line), 0) / lines.length;
  return { rss: mean((line) => line.rss), heapAndExternal: mean((line) => line.heapUsed + line.external) };
}

export function versionLines(
  phases: ReadonlyArray<{ phase: string; latencyByVersion?: Record<BenchVersion, VersionLatency> }>,
  memory: VersionMemory | undefined,
): string[] {
  const lines: string[] = [];
  if (memory) {
    const heap = memory.heapAndExternalPerPlayerKiB;
    lines.push(
      `server memory per player by protocol version (${memory.players} players of one version logged in and playing, on a fresh server each; v2 at ${BENCH_TIME_CONTROL.initialSeconds / 60}+${BENCH_TIME_CONTROL.incrementSeconds}):`,
      `  V8 heap alive after a full GC + external: v1 +${heap[1].toFixed(1)} KiB, v2 +${heap[2].toFixed(1)} KiB (v2/v1 ${(heap[2] / heap[1]).toFixed(2)}x)`,
    );
  }
  const measured = phases.filter((phase) => phase.latencyByVersion);
  if (measured.length > 0) lines.push('move latency by protocol version, p50 / p95 / p99 ms:');
  for (const phase of measured) {
    const figures = phase.latencyByVersion;
    if (!figures) continue;
    const cell = (version: BenchVersion) =>
      `v${version} ${figures[version].p50.toFixed(2)} / ${figures[version].p95.toFixed(2)} / ${figures[version].p99.toFixed(2)} (${figures[version].samples} moves)`;
    lines.push(`  ${phase.phase}: ${cell(1)}; ${cell(2)}; p99 v2/v1 ${(figures[2].p99 / figures[1].p99).toFixed(2)}x`);
  }
  return lines;
}
