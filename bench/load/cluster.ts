import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/server/passwords.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../../test/support/postgres.js';
import { BENCH_PASSWORD, seedAccounts } from './accounts.js';
import { GeneratorProcess, type GeneratorResults, phasePlan, slices } from './generators.js';
import { joinMoves } from './move-join.js';
import { findByPortArgument, processTreeCpuSeconds } from './proc-cpu.js';
import { cpuShare, ServerProcess } from './server-process.js';
import { percentile } from './sim-player.js';

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
  /** Load generator processes (default: one per 15,000 players). */
  readonly generators?: number;
  readonly json: boolean;
  readonly serverArgs: readonly string[];
}

interface ClusterPhase {
  readonly nodes: number;
  /** Players logged in and playing. */
  readonly players: number;
  /** Players whose login failed (left out of the run). */
  readonly loginFailures: number;
  readonly generators: number;
  readonly loginsPerSecond: number;
  readonly seconds: number;
  readonly movesPerSecond: number;
  readonly gamesFinished: number;
  readonly errors: number;
  readonly disconnects: number;
  /** Moves sent in the measured window that nothing answered within a second or two after it. */
  readonly unanswered: number;
  readonly latencyMs: Figures;
  readonly sameNodeMs: Figures;
  readonly crossNodeMs: Figures;
  /** CPU of all nodes together, in cores; the same for the load generator processes, PostgreSQL, Redis. */
  readonly nodesCpu: number;
  readonly generatorsCpu: number;
  readonly postgresCpu?: number;
  readonly redisCpu?: number;
}

interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly samples: number;
}

const WARM_UP_MS = 3_000;
const LOGIN_BATCH = 200;
/** How long logging in may take: a base plus a share per player (about 10 times what it takes here). */
const LOGIN_LIMIT_BASE_MS = 60_000;
const LOGIN_LIMIT_PER_PLAYER_MS = 20;
/** After the measured window, how long its last moves may take to be answered. */
const SETTLE_MS = 2_000;
const COLLECT_LIMIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PostgreSQL's and Redis's CPU, where /proc tells it. */
interface SideCpu {
  sample(): { postgres?: number; redis?: number };
  share(
    before: { postgres?: number; redis?: number },
    after: { postgres?: number; redis?: number },
    seconds: number,
  ): { postgresCpu?: number; redisCpu?: number };
}

function sideCpu(postgresPort: number | undefined, redisPid: number | undefined): SideCpu {
  const postmaster = postgresPort === undefined ? undefined : findByPortArgument('postgres', postgresPort);
  const read = (pid: number | undefined) => (pid === undefined ? undefined : processTreeCpuSeconds(pid));
  const round = (cores: number) => Math.round(cores * 100) / 100;
  return {
    sample: () => {
      const postgres = read(postmaster);
      const redis = read(redisPid);
      return { ...(postgres === undefined ? {} : { postgres }), ...(redis === undefined ? {} : { redis }) };
    },
    share: (before, after, seconds) => ({
      ...(before.postgres === undefined || after.postgres === undefined
        ? {}
        : { postgresCpu: round((after.postgres - before.postgres) / seconds) }),
      ...(before.redis === undefined || after.redis === undefined
        ? {}
        : { redisCpu: round((after.redis - before.redis) / seconds) }),
    }),
  };
}

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
      const side = sideCpu(postgres?.port, redis.child.pid);
      results.push(await runPhase(options, db, `${redis.url}/${round}`, count, progress, side));
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
    '\nnodes  players  moves/s  games  errors  p50 ms  p95 ms  p99 ms | same-node p50/p95/p99 (n) | cross-node p50/p95/p99 (n) | CPU (cores): nodes, generators, PostgreSQL, Redis',
  );
  for (const r of results) {
    const show = (f: Figures) => `${f.p50}/${f.p95}/${f.p99} (${f.samples})`;
    const cpu = [r.nodesCpu, r.generatorsCpu, r.postgresCpu, r.redisCpu].map((c) =>
      c === undefined ? '-' : c.toFixed(2),
    );
    console.log(
      `${String(r.nodes).padStart(5)}  ${String(r.players).padStart(7)}  ${r.movesPerSecond.toFixed(0).padStart(7)}  ${String(r.gamesFinished).padStart(5)}  ${String(r.errors + r.disconnects).padStart(6)}  ${String(r.latencyMs.p50).padStart(6)}  ${String(r.latencyMs.p95).padStart(6)}  ${String(r.latencyMs.p99).padStart(6)} | ${show(r.sameNodeMs)} | ${show(r.crossNodeMs)} | ${cpu.join(', ')}`,
    );
  }
  for (const r of results) {
    const notes = [
      `${r.generators} load generator process(es), ${r.loginsPerSecond} logins/s`,
      ...(r.loginFailures > 0 ? [`${r.loginFailures} players could not log in (left out)`] : []),
      ...(r.unanswered > 0 ? [`${r.unanswered} moves unanswered at the end`] : []),
      ...(r.errors + r.disconnects > 0
        ? [`errors: ${r.errors} protocol errors (InvalidMove...), ${r.disconnects} players disconnected by a node`]
        : []),
    ];
    console.log(`${r.nodes} node(s): ${notes.join('; ')}`);
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
  sideCpu: SideCpu,
): Promise<ClusterPhase> {
  const { players, maxConnections, generators: generatorCount } = phasePlan(options.players, count, options.generators);
  progress(`starting ${count} node(s) for ${players} players...`);
  const nodes: ServerProcess[] = [];
  const generators: GeneratorProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(
        await ServerProcess.start(dbPath, [
          '--cluster',
          url,
          '--node-name',
          `bench${i}`,
          '--no-rehash-passwords',
          '--max-connections',
          String(maxConnections),
          ...options.serverArgs,
        ]),
      );
    }
    const ports = nodes.map((node) => node.port);
    progress(
      `logging in ${players} players over ${count} node(s) from ${generatorCount} load generator process(es)...`,
    );
    for (const { first, end } of slices(players, generatorCount)) {
      generators.push(
        GeneratorProcess.start({
          ports,
          first,
          end,
          perAddress: options.perAddress,
          thinkMs: options.thinkMs,
          password: BENCH_PASSWORD,
          loginBatch: LOGIN_BATCH,
        }),
      );
    }
    const loginLimitMs = LOGIN_LIMIT_BASE_MS + players * LOGIN_LIMIT_PER_PLAYER_MS;
    const ready = await Promise.all(generators.map((generator) => generator.next('ready', loginLimitMs)));
    const loginFailures = ready.reduce((sum, r) => sum + r.failed, 0);
    const loggedIn = ready.reduce((sum, r) => sum + r.loggedIn, 0);
    const loginSeconds = Math.max(0.001, ...ready.map((r) => r.loginSeconds));
    progress(
      `${loggedIn} players logged in in ${loginSeconds.toFixed(1)} s (${Math.round(loggedIn / loginSeconds)}/s; per process ${ready.map((r) => `${Math.round(r.loggedIn / r.loginSeconds)}/s`).join(', ')})`,
    );
    if (loginFailures > 0) {
      const why = ready.find((r) => r.firstFailure)?.firstFailure;
      progress(`${loginFailures} players could not log in and are left out (first: ${why})`);
    }
    await sleep(WARM_UP_MS);
    for (const generator of generators) generator.send({ type: 'measure' });
    const before = nodes.map((node) => node.sample());
    const sideBefore = sideCpu.sample();
    const started = performance.now();
    progress(`measuring for ${options.durationMs / 1000} s...`);
    await sleep(options.durationMs);
    for (const generator of generators) generator.send({ type: 'end' });
    const seconds = (performance.now() - started) / 1000;
    const after = nodes.map((node) => node.sample());
    const sideAfter = sideCpu.sample();
    // Moves sent before the end may still be answered.
    await sleep(SETTLE_MS);
    for (const generator of generators) generator.send({ type: 'collect' });
    const results = await Promise.all(generators.map((generator) => generator.next('results', COLLECT_LIMIT_MS)));
    const joined = joinMoves(
      results.map((r) => r.sent),
      results.map((r) => r.heard),
      (player) => player % count,
    );
    const sum = (pick: (r: GeneratorResults) => number) => results.reduce((total, r) => total + pick(r), 0);
    const moves = sum((r) => r.sent.mover.length);
    return {
      nodes: count,
      players: loggedIn,
      loginFailures,
      generators: generatorCount,
      loginsPerSecond: Math.round(loggedIn / loginSeconds),
      seconds,
      movesPerSecond: moves / seconds,
      gamesFinished: sum((r) => r.gamesFinished),
      errors: sum((r) => r.errors),
      disconnects: sum((r) => r.disconnects),
      unanswered: joined.unsettled,
      latencyMs: figures(joined.latencies),
      sameNodeMs: figures(joined.sameNode),
      crossNodeMs: figures(joined.crossNode),
      nodesCpu: before.reduce((total, sample, i) => total + cpuShare(sample, after[i] ?? sample), 0),
      generatorsCpu: sum((r) => (r.seconds > 0 ? r.cpuSeconds / r.seconds : 0)),
      ...sideCpu.share(sideBefore, sideAfter, seconds),
    };
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()));
    await Promise.all(nodes.map((node) => node.stop()));
  }
}
