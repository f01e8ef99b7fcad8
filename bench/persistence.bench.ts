import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_PASSWORD, loopbackAddress, seedAccounts } from './load/accounts.js';
import { ServerProcess } from './load/server-process.js';
import { PhaseStats, percentile, SimPlayer, type StatsSink } from './load/sim-player.js';

/**
 * What committing every move costs: the same load of instant players against
 * the real server (a child process on loopback), with every move committed
 * and fsynced (--durability full, the default), committed without an fsync
 * per commit (--durability normal), and without per-move persistence, in one run.
 */
const { values } = parseArgs({
  options: { players: { type: 'string', default: '200' }, seconds: { type: 'string', default: '5' } },
});
const players = Math.min(2000, Math.max(2, Number(values.players)));
const seconds = Math.min(60, Math.max(1, Number(values.seconds)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CONFIGURATIONS = [
  { label: 'committed, durability full', args: ['--durability', 'full'] },
  { label: 'committed, durability normal', args: ['--durability', 'normal'] },
  { label: 'no per-move persistence', args: ['--no-persist-moves'] },
] as const;

async function measure(
  configuration: (typeof CONFIGURATIONS)[number],
): Promise<{ label: string; movesPerSecond: number; stats: PhaseStats }> {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-bench-'));
  const dbPath = join(directory, 'bench.db');
  const sims: SimPlayer[] = [];
  let server: ServerProcess | undefined;
  try {
    await seedAccounts(dbPath, [{ prefix: 'p', count: players }], true);
    server = await ServerProcess.start(dbPath, [...configuration.args]);
    const sink: StatsSink = { current: new PhaseStats() };
    const registry = new Map<string, SimPlayer>();
    for (let i = 0; i < players; i++) {
      sims.push(
        new SimPlayer({
          port: server.port,
          localAddress: loopbackAddress(1, i, 16),
          name: `p${i}`,
          password: BENCH_PASSWORD,
          thinkMs: [0, 0],
          random: Math.random,
          stats: sink,
          registry,
        }),
      );
    }
    await Promise.all(sims.map((sim) => sim.start()));
    // Let logins and the first pairing settle, then count for the measured window only.
    await sleep(2500);
    sink.current = new PhaseStats();
    const started = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const stats = sink.current;
    sink.current = new PhaseStats();
    return {
      label: configuration.label,
      movesPerSecond: stats.moves / elapsed,
      stats,
    };
  } finally {
    for (const sim of sims) sim.stop();
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

console.log(`command: npm run bench:persistence -- --players ${players} --seconds ${seconds}`);
const rows = [];
for (const configuration of CONFIGURATIONS) rows.push(await measure(configuration));
console.log(
  [
    'configuration'.padEnd(30),
    'moves/s'.padStart(9),
    'p50 ms'.padStart(8),
    'p95 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'errors'.padStart(7),
  ].join(' '),
);
for (const row of rows) {
  const sorted = [...row.stats.latencies].sort((a, b) => a - b);
  console.log(
    [
      row.label.padEnd(30),
      row.movesPerSecond.toFixed(0).padStart(9),
      percentile(sorted, 50).toFixed(2).padStart(8),
      percentile(sorted, 95).toFixed(2).padStart(8),
      percentile(sorted, 99).toFixed(2).padStart(8),
      String(row.stats.errors).padStart(7),
    ].join(' '),
  );
}
