import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/server/passwords.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../../test/support/postgres.js';
import { BENCH_PASSWORD, loopbackAddress, seedAccounts } from './accounts.js';
import { cpuShare, ServerProcess } from './server-process.js';
import { PhaseStats, percentile, SimPlayer, type StatsSink } from './sim-player.js';

/**
 * `npm run bench:load -- --nodes N`: the same honest players, first on one
 * node of a cluster, then spread over N nodes (plus a private Redis, all on
 * loopback, sharing one PostgreSQL database, or one SQLite file where
 * PostgreSQL is not installed); move latency for same-node and cross-node
 * games, and throughput. Bounded in players and time.
 */
export interface ClusterBenchOptions {
  readonly nodes: number;
  readonly players: number;
  readonly durationMs: number;
  readonly thinkMs: readonly [number, number];
  readonly perAddress: number;
  readonly json: boolean;
  readonly serverArgs: readonly string[];
}

interface ClusterPhase {
  readonly nodes: number;
  readonly players: number;
  readonly seconds: number;
  readonly movesPerSecond: number;
  readonly gamesFinished: number;
  readonly errors: number;
  readonly disconnects: number;
  readonly latencyMs: Figures;
  readonly sameNodeMs: Figures;
  readonly crossNodeMs: Figures;
  /** CPU of all nodes together, in cores. */
  readonly nodesCpu: number;
}

interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly samples: number;
}

const WARM_UP_MS = 3_000;
const LOGIN_BATCH = 200;

function figures(values: readonly number[]): Figures {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p) * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99), samples: sorted.length };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(directory: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.resume();
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

export async function runClusterBench(options: ClusterBenchOptions): Promise<void> {
  const progress = (text: string) => {
    if (!options.json) console.error(text);
  };
  const directory = mkdtempSync(join(tmpdir(), 'checkers-cluster-bench-'));
  let redis: { url: string; child: ChildProcess } | undefined;
  let postgres: TestPostgres | undefined;
  const results: ClusterPhase[] = [];
  try {
    redis = await startRedis(directory);
    postgres = postgresMissing() === false ? await startPostgres() : undefined;
    progress(`database: ${postgres ? 'PostgreSQL' : 'one SQLite file (PostgreSQL is not installed)'}`);
    const counts = options.nodes > 1 ? [1, options.nodes] : [1];
    for (const [round, count] of counts.entries()) {
      // Each phase is a fresh cluster: its own database and Redis database (no games left from before).
      const db = postgres
        ? await seedPostgres(await postgres.createDatabase(`bench${round}`), options.players)
        : join(directory, `checkers-${round}.db`);
      if (!postgres) await seedAccounts(db, [{ prefix: 'c', count: options.players }], true);
      results.push(await runPhase(options, db, `${redis.url}/${round}`, count, progress));
    }
  } finally {
    await postgres?.stop();
    redis?.child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  }
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(
    '\nnodes  players  moves/s  games  errors  p50 ms  p95 ms  p99 ms | same-node p50/p95/p99 (n) | cross-node p50/p95/p99 (n) | CPU (cores)',
  );
  for (const r of results) {
    const show = (f: Figures) => `${f.p50}/${f.p95}/${f.p99} (${f.samples})`;
    console.log(
      `${String(r.nodes).padStart(5)}  ${String(r.players).padStart(7)}  ${r.movesPerSecond.toFixed(0).padStart(7)}  ${String(r.gamesFinished).padStart(5)}  ${String(r.errors + r.disconnects).padStart(6)}  ${String(r.latencyMs.p50).padStart(6)}  ${String(r.latencyMs.p95).padStart(6)}  ${String(r.latencyMs.p99).padStart(6)} | ${show(r.sameNodeMs)} | ${show(r.crossNodeMs)} | ${r.nodesCpu.toFixed(2)}`,
    );
  }
}

/** The bench accounts in a new PostgreSQL database (cheap hashes, as seedAccounts does for SQLite). */
async function seedPostgres(url: string, players: number): Promise<string> {
  const store = await PgStore.open(url);
  try {
    const hash = await hashPassword(BENCH_PASSWORD, { N: 1024, r: 8, p: 1 });
    await store.createAccounts(Array.from({ length: players }, (_, i) => ({ name: `c${i}`, passwordHash: hash })));
  } finally {
    await store.end();
  }
  return url;
}

async function runPhase(
  options: ClusterBenchOptions,
  dbPath: string,
  url: string,
  count: number,
  progress: (text: string) => void,
): Promise<ClusterPhase> {
  progress(`starting ${count} node(s)...`);
  const nodes: ServerProcess[] = [];
  const players: SimPlayer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(
        await ServerProcess.start(dbPath, [
          '--cluster',
          url,
          '--node-name',
          `bench${i}`,
          '--no-rehash-passwords',
          // As in the one-node bench: every player may be on one node.
          '--max-connections',
          String(options.players + 100),
          ...options.serverArgs,
        ]),
      );
    }
    const sink: StatsSink = { current: new PhaseStats(`${count} nodes`) };
    const registry = new Map<string, SimPlayer>();
    for (let i = 0; i < options.players; i++) {
      const node = i % count;
      players.push(
        new SimPlayer({
          port: (nodes[node] as ServerProcess).port,
          localAddress: loopbackAddress(3, i, options.perAddress),
          name: `c${i}`,
          password: BENCH_PASSWORD,
          thinkMs: options.thinkMs,
          random: Math.random,
          stats: sink,
          registry,
          node,
        }),
      );
    }
    progress(`logging in ${options.players} players over ${count} node(s)...`);
    for (let at = 0; at < players.length; at += LOGIN_BATCH) {
      await Promise.all(players.slice(at, at + LOGIN_BATCH).map((player) => player.start()));
    }
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    sink.current = new PhaseStats(`${count} nodes`);
    const before = nodes.map((node) => node.sample());
    const started = performance.now();
    progress(`measuring for ${options.durationMs / 1000} s...`);
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    const seconds = (performance.now() - started) / 1000;
    const after = nodes.map((node) => node.sample());
    const stats = sink.current;
    return {
      nodes: count,
      players: options.players,
      seconds,
      movesPerSecond: stats.moves / seconds,
      gamesFinished: stats.gamesFinished,
      errors: stats.errors,
      disconnects: stats.disconnects,
      latencyMs: figures(stats.latencies),
      sameNodeMs: figures(stats.byNode.same),
      crossNodeMs: figures(stats.byNode.cross),
      nodesCpu: before.reduce((sum, sample, i) => sum + cpuShare(sample, after[i] ?? sample), 0),
    };
  } finally {
    for (const player of players) player.stop();
    await Promise.all(nodes.map((node) => node.stop()));
  }
}
