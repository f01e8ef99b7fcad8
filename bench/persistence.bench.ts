import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/server/passwords.js';
import { openSqliteStore } from '../src/server/store/sqlite-store.js';
import { type PlayerStats, percentile, SimPlayer } from './sim-player.js';

/**
 * What committing every move costs: the same load against the real server
 * (a child process on loopback), once with per-move persistence and once
 * without, in one run.
 */
const SERVER_CLI = fileURLToPath(new URL('../src/server/cli.js', import.meta.url));
const { values } = parseArgs({
  options: { players: { type: 'string', default: '200' }, seconds: { type: 'string', default: '5' } },
});
const players = Math.min(2000, Math.max(2, Number(values.players)));
const seconds = Math.min(60, Math.max(1, Number(values.seconds)));

async function startServer(dbPath: string, extra: string[]): Promise<{ port: number; stop: () => Promise<void> }> {
  const args = [
    SERVER_CLI,
    '--listen-addr',
    '127.0.0.1',
    '--listen-port',
    '0',
    '--no-discovery',
    '--db',
    dbPath,
    ...extra,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15_000);
    // Read the JSON log until the "listening" line; after that only drain it.
    child.stderr.on('data', (chunk: Buffer) => {
      if (found) return;
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*checkers server listening/.exec(output);
      if (match) {
        found = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function measure(persist: boolean): Promise<{ label: string; movesPerSecond: number; stats: PlayerStats }> {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-bench-'));
  const dbPath = join(directory, 'bench.db');
  try {
    const store = await openSqliteStore(dbPath);
    const hash = await hashPassword('bench');
    const names = Array.from({ length: players }, (_, i) => `bench${i}`);
    store.createAccounts(names.map((name) => ({ name, passwordHash: hash })));
    store.close();
    const server = await startServer(dbPath, persist ? [] : ['--no-persist-moves']);
    const stats: PlayerStats = { moves: 0, errors: 0, latencies: [] };
    const sims = names.map((name) => new SimPlayer(server.port, name, 'bench', stats));
    await Promise.all(sims.map((sim) => sim.start()));
    // Let logins and the first pairing settle, then count for the measured window only.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    stats.moves = 0;
    stats.latencies.length = 0;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const elapsed = (performance.now() - started) / 1000;
    const result = { moves: stats.moves, latencies: [...stats.latencies] };
    for (const sim of sims) sim.stop();
    await server.stop();
    return {
      label: persist ? 'every move committed' : 'no per-move persistence',
      movesPerSecond: result.moves / elapsed,
      stats: { ...stats, moves: result.moves, latencies: result.latencies },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

console.log(`command: npm run bench:persistence -- --players ${players} --seconds ${seconds}`);
const rows = [];
for (const persist of [true, false]) rows.push(await measure(persist));
console.log(
  [
    'configuration'.padEnd(26),
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
      row.label.padEnd(26),
      row.movesPerSecond.toFixed(0).padStart(9),
      percentile(sorted, 50).toFixed(2).padStart(8),
      percentile(sorted, 95).toFixed(2).padStart(8),
      percentile(sorted, 99).toFixed(2).padStart(8),
      String(row.stats.errors).padStart(7),
    ].join(' '),
  );
}
