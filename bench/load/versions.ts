import { BENCH_TIME_CONTROL, type BenchVersion, type PhaseStats, percentile } from './sim-player.js';

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

/** Server RSS per logged-in player of each version: each kind logged in (and paired) in turn, RSS read after each. */
export interface VersionMemory {
  readonly players: Record<BenchVersion, number>;
  readonly rssPerPlayerKiB: Record<BenchVersion, number>;
}

export function versionLines(
  phases: ReadonlyArray<{ phase: string; latencyByVersion?: Record<BenchVersion, VersionLatency> }>,
  memory: VersionMemory | undefined,
): string[] {
  const lines: string[] = [];
  if (memory) {
    const ratio = memory.rssPerPlayerKiB[2] / memory.rssPerPlayerKiB[1];
    lines.push(
      `server RSS per player by protocol version (logged in and playing): v1 +${memory.rssPerPlayerKiB[1].toFixed(1)} KiB (${memory.players[1]} players), v2 +${memory.rssPerPlayerKiB[2].toFixed(1)} KiB (${memory.players[2]} players, ${BENCH_TIME_CONTROL.initialSeconds / 60}+${BENCH_TIME_CONTROL.incrementSeconds}); v2/v1 ${ratio.toFixed(2)}x`,
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
