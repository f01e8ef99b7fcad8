import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/game/random.js';
import { DEFAULT_HASH_COST, describeCost } from '../src/server/passwords.js';
import { STATS_INTERVAL_ENV, threadSchedule } from '../src/server/process-stats.js';
import { BENCH_PASSWORD, CHEAP_BENCH_HASH, loopbackAddress, seedAccounts, seedFinishedGames } from './load/accounts.js';
import { AttackThread } from './load/attack-worker.js';
import { ATTACKS, type AttackName, type AttackOptions, type AttackReport, HTTP_ATTACK_GAMES } from './load/attacks.js';
import { type IdleMemory, measureIdleMemory } from './load/idle-memory.js';
import { ServerLogReader, type ServerStats } from './load/server-log.js';
import { cpuShare, ServerProcess, type ServerSample } from './load/server-process.js';
import { type BenchTransport, PhaseStats, percentile, SimPlayer, type StatsSink } from './load/sim-player.js';
import { memoryTrend, type SoakSample, sampleHeader, sampleLine, soakSample, startsRound } from './load/soak.js';
import { Timeline } from './load/timeline.js';
import {
  latencyByVersion,
  measureVersionMemory,
  VERSION_MEMORY_PLAYERS,
  type VersionLatency,
  type VersionMemory,
  versionLines,
  versionOf,
} from './load/versions.js';
import { EPISODE_MS, type HonestWait, type LoopSample, type ServerEvent, WorstWaits } from './load/waits.js';

/**
 * `npm run bench:load -- [options]`: honest simulated players against the
 * real server (a child process on loopback), first alone, then beside each
 * requested attack, all in one run. Every loop is bounded in count and time;
 * all traffic stays on 127.0.0.0/8.
 */
const USAGE = `usage: npm run bench:load -- [options]
  --players N          honest players (default 1000, at most 20000; with --nodes at most 18000 per node)
  --duration SECONDS   length of each measured phase (default 10, 60 with --soak; at most 300)
  --soak MINUTES       repeat the phases (each attack after a no-attack phase) for at least
                       MINUTES (at most 240), printing the server's memory (RSS, V8 heap) and
                       the honest moves' latency every --sample-seconds
  --sample-seconds S   soak sampling interval (default 30, 5 to 600)
  --worst N            list the N longest honest waits with their cause (default 5, at most 100)
  --think-ms MIN:MAX   honest think time before each move (default 1000:3000; 0:0 = instant)
  --attack LIST        comma-separated: ${ATTACKS.join(', ')}, or all
  --attackers N        attacking connections per attack (default 32; slowloris opens 10 times as many)
  --attack-addresses N loopback addresses the attackers use (default 4)
  --per-address N      honest players per loopback address (default 16)
  --bot-share FRACTION this share of the players (0 to 0.5, default 0) play the house bot: the
                       server runs with --bot-after 1 and they are rated apart so that they wait
                       alone; measured in a phase between two without them
  --tls                half the honest players connect over TLS (latency reported for each kind)
  --ws SHARE           this share of the players (0 to 1, default 0) connect over a WebSocket on /play,
                       as browsers do; move latency is reported by the mover's transport (tcp, tls, ws)
  --v2-share FRACTION  this share of the players (0 to 1, default 0) speak protocol version 2 (standard
                       rules, clocks 15+10 so that nobody flags) beside version-1 players; move latency
                       and server memory per player are reported for each version
  --idle-memory N      afterwards, measure what an idle logged-in player costs the server, for each
                       transport of the run (tcp, tls with --tls, ws with --ws): N players (at most
                       5000) on a fresh server each, RSS and heap before and after
  --real-hash          seed accounts with the real hash cost (Argon2id; real login figures); without
                       it they get a cheap hash and the output says so
  --restart            the restart storm instead: --players in games at the real hash cost, the server
                       killed (SIGKILL) and restarted, everyone logging in again at once; prints when
                       the median and the last player had their game back, logins/s and server CPU
  --server-arg ARG     extra server argument (repeatable), e.g. --server-arg=--no-persist-moves
                       (node's own options for the servers go in the environment variable
                       BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them)
  --nodes N            a cluster instead (2 to 5 nodes): the players first on one node, then spread
                       over N nodes, with a private Redis, all on loopback; move latency for
                       same-node and cross-node games, and throughput (attacks do not apply);
                       the players run in several load generator processes (one per 15000
                       players), phase 1 holds at most 18000 of them (one process's descriptors)
  --generators K       with --nodes: K load generator processes (1 to 16) instead
  --json               print the results as JSON instead of a table`;

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '1000' },
    duration: { type: 'string' },
    soak: { type: 'string' },
    'sample-seconds': { type: 'string', default: '30' },
    worst: { type: 'string', default: '5' },
    'think-ms': { type: 'string', default: '1000:3000' },
    attack: { type: 'string', default: '' },
    attackers: { type: 'string', default: '32' },
    'attack-addresses': { type: 'string', default: '4' },
    'per-address': { type: 'string', default: '16' },
    'bot-share': { type: 'string', default: '0' },
    'real-hash': { type: 'boolean', default: false },
    restart: { type: 'boolean', default: false },
    tls: { type: 'boolean', default: false },
    ws: { type: 'string', default: '0' },
    'v2-share': { type: 'string', default: '0' },
    'idle-memory': { type: 'string', default: '0' },
    'server-arg': { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
    nodes: { type: 'string' },
    generators: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function bounded(text: string, name: string, lowest: number, highest: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < lowest || value > highest) {
    console.error(`--${name} must be a number from ${lowest} to ${highest}\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const clusterNodes = values.nodes === undefined ? undefined : Math.floor(bounded(values.nodes, 'nodes', 2, 5));
const players = Math.floor(
  bounded(values.players, 'players', 2, clusterNodes === undefined ? 20_000 : clusterNodes * 18_000),
);
const soakMs = values.soak === undefined ? undefined : bounded(values.soak, 'soak', 0.1, 240) * 60_000;
const durationMs = bounded(values.duration ?? (soakMs === undefined ? '10' : '60'), 'duration', 1, 300) * 1000;
const sampleMs = bounded(values['sample-seconds'], 'sample-seconds', 5, 600) * 1000;
const worstCount = Math.floor(bounded(values.worst, 'worst', 0, 100));
const [thinkMin = 0, thinkMax = 0] = values['think-ms'].split(':').map((part) => bounded(part, 'think-ms', 0, 60_000));
const attackers = Math.floor(bounded(values.attackers, 'attackers', 1, 1000));
const attackAddresses = Math.floor(bounded(values['attack-addresses'], 'attack-addresses', 1, 250));
const perAddress = Math.floor(bounded(values['per-address'], 'per-address', 1, 64));
const botSeekers = Math.round(players * bounded(values['bot-share'], 'bot-share', 0, 0.5));
const humans = players - botSeekers;
const wsShare = bounded(values.ws, 'ws', 0, 1);
const v2Share = bounded(values['v2-share'], 'v2-share', 0, 1);
if (v2Share > 0 && (clusterNodes !== undefined || values.restart)) {
  console.error(
    '--v2-share runs on one server: a cluster does not offer protocol version 2 yet, and --restart is version 1',
  );
  process.exit(2);
}
const idleMemoryPlayers = Math.floor(bounded(values['idle-memory'], 'idle-memory', 0, 5000));
/** Player `index`'s transport: a `wsShare` of the players over WebSocket, spread evenly; with --tls half the others over TLS. */
const transportOf = (index: number): BenchTransport => {
  const webSockets = (n: number) => Math.floor(n * wsShare);
  if (webSockets(index + 1) > webSockets(index)) return 'ws';
  return values.tls && (index - webSockets(index)) % 2 === 0 ? 'tls' : 'tcp';
};
const runTransports: BenchTransport[] = [
  'tcp',
  ...(values.tls ? ['tls' as const] : []),
  ...(wsShare > 0 ? ['ws' as const] : []),
];
const attacks: AttackName[] =
  values.attack === 'all'
    ? [...ATTACKS]
    : values.attack
        .split(',')
        .filter(Boolean)
        .map((name) => {
          if (!(ATTACKS as readonly string[]).includes(name)) {
            console.error(`unknown attack "${name}"\n${USAGE}`);
            process.exit(2);
          }
          return name as AttackName;
        });

if (values.restart) {
  const { runRestartStorm } = await import('./load/restart-storm.js');
  const stormDirectory = mkdtempSync(join(tmpdir(), 'checkers-restart-'));
  try {
    await runRestartStorm({
      players,
      perAddress,
      dbPath: join(stormDirectory, 'checkers.db'),
      serverArgs: values['server-arg'],
      thinkMs: [thinkMin, thinkMax],
    });
  } finally {
    rmSync(stormDirectory, { recursive: true, force: true });
  }
  process.exit(0);
}

if (clusterNodes !== undefined) {
  const { runClusterBench } = await import('./load/cluster.js');
  const { MOST_PLAYERS_PER_GENERATOR } = await import('./load/generators.js');
  const generators =
    values.generators === undefined ? undefined : Math.floor(bounded(values.generators, 'generators', 1, 16));
  if (generators !== undefined && players / generators > MOST_PLAYERS_PER_GENERATOR) {
    console.error(
      `--generators ${generators} would put more than ${MOST_PLAYERS_PER_GENERATOR} players in one process (the descriptor limit is 20000): use at least ${Math.ceil(players / MOST_PLAYERS_PER_GENERATOR)}`,
    );
    process.exit(2);
  }
  await runClusterBench({
    nodes: clusterNodes,
    players,
    ...(generators === undefined ? {} : { generators }),
    durationMs,
    thinkMs: [thinkMin, thinkMax],
    perAddress,
    json: values.json,
    serverArgs: values['server-arg'],
  });
  process.exit(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (text: string) => {
  if (!values.json) console.error(text);
};

interface PhaseResult {
  readonly phase: string;
  readonly seconds: number;
  readonly connectionsHeld: number;
  readonly movesPerSecond: number;
  readonly gamesFinished: number;
  /** Moves between simulated players (games against the house bot are apart, below). */
  readonly latencyMs: { p50: number; p95: number; p99: number; max: number; samples: number };
  /** p99 by how both players of the game were connected (with --tls; games with a WebSocket player left out). */
  readonly p99ByTransportMs: { plain: number; tls: number; mixed: number };
  /** Latency by how the player who moved is connected. */
  readonly latencyByMoverMs: Partial<
    Record<BenchTransport, { p50: number; p95: number; p99: number; samples: number }>
  >;
  /** With --v2-share: latency by the game's protocol version. */
  readonly latencyByVersion?: Record<1 | 2, VersionLatency>;
  readonly errors: number;
  readonly honestDisconnects: number;
  /** Honest moves against an attacker's account: not in the latency figures (the answer went to the attacker). */
  readonly movesAgainstAttackers: number;
  readonly longestWaitOnAttackerMs: number;
  readonly serverRssMiB: number;
  readonly serverCpu: number;
  readonly serverLog: Record<string, number>;
  readonly attackers?: AttackReport;
  readonly houseBot?: {
    readonly movesPerSecond: number;
    readonly gamesFinished: number;
    /** MakeMove -> the bot's YourTurn: its 0.4-1.2 s pause, and its thinking where that runs longer. */
    readonly replyMs: { p50: number; p99: number; samples: number };
  };
}

function p99(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    99,
  );
}

function summarize(
  phase: string,
  stats: PhaseStats,
  from: ServerSample,
  to: ServerSample,
  held: number,
  serverLog: Record<string, number>,
  attack?: AttackReport,
): PhaseResult {
  const seconds = (to.at - from.at) / 1000;
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  return {
    phase,
    seconds,
    connectionsHeld: held,
    movesPerSecond: stats.moves / seconds,
    gamesFinished: stats.gamesFinished,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      samples: sorted.length,
    },
    p99ByTransportMs: {
      plain: p99(stats.byTransport.plain),
      tls: p99(stats.byTransport.tls),
      mixed: p99(stats.byTransport.mixed),
    },
    latencyByMoverMs: Object.fromEntries(
      runTransports.map((transport) => {
        const byMover = [...stats.byMover[transport]].sort((a, b) => a - b);
        return [
          transport,
          {
            p50: percentile(byMover, 50),
            p95: percentile(byMover, 95),
            p99: percentile(byMover, 99),
            samples: byMover.length,
          },
        ];
      }),
    ),
    ...(v2Share > 0 ? { latencyByVersion: latencyByVersion(stats) } : {}),
    errors: stats.errors,
    honestDisconnects: stats.disconnects,
    movesAgainstAttackers: stats.movesAgainstAttackers,
    longestWaitOnAttackerMs: stats.longestWaitOnAttackerMs,
    serverRssMiB: to.rssBytes / 2 ** 20,
    serverCpu: cpuShare(from, to),
    serverLog,
    ...(attack ? { attackers: attack } : {}),
    ...(stats.botMoves > 0 ? { houseBot: houseBotFigures(stats, seconds) } : {}),
  };
}

function houseBotFigures(stats: PhaseStats, seconds: number): NonNullable<PhaseResult['houseBot']> {
  const sorted = [...stats.botReplies].sort((a, b) => a - b);
  return {
    movesPerSecond: stats.botMoves / seconds,
    gamesFinished: stats.botGamesFinished,
    replyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length },
  };
}

/** The server logs its memory, event-loop delay and GC pauses this often (evidence for the worst waits). */
const STATS_INTERVAL_MS = 1000;
/** monitorEventLoopDelay's sampling period, which its figures include. */
const LOOP_RESOLUTION_MS = 10;

const directory = mkdtempSync(join(tmpdir(), 'checkers-load-'));
const dbPath = join(directory, 'load.db');
let server: ServerProcess | undefined;
const sims: SimPlayer[] = [];
const benchDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
let benchLoopTimer: NodeJS.Timeout | undefined;
let sampleTimer: NodeJS.Timeout | undefined;
// A long soak is often cut short: stop the server and remove its files (the sample lines are already out).
const interrupted = () => {
  for (const sim of sims) sim.stop();
  void (server?.stop() ?? Promise.resolve()).finally(() => {
    rmSync(directory, { recursive: true, force: true });
    process.exit(130);
  });
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  const attackAccounts = Array.from({ length: Math.max(2, attackers) }, (_, i) => `atk${i}`);
  // Attackers are rated far from everyone else, so they are paired among themselves, until one waits
  // alone long enough (26 s at the default matchmaking) for its rating window to reach the honest players.
  await seedAccounts(
    dbPath,
    [
      { prefix: 'p', count: humans },
      { prefix: 'atk', count: attackAccounts.length, rating: 3000 },
      // Rated far from everyone and from each other, so matchmaking pairs none of them and the bot takes them all.
      ...Array.from({ length: botSeekers }, (_, i) => ({ prefix: `b${i}-`, count: 1, rating: 5000 + 1000 * i })),
      // Idle players for the memory figures, rated so far apart that none is paired while they are measured.
      ...Array.from({ length: idleMemoryPlayers }, (_, i) => ({
        prefix: `idle${i}-`,
        count: 1,
        rating: 5000 + 10_000 * i,
      })),
    ],
    !values['real-hash'],
  );
  // The HTTP attacks ask for game pages and profiles: a database that has seen play makes them cost what they would.
  if (attacks.some((name) => name.startsWith('http-'))) {
    await seedFinishedGames(dbPath, attackAccounts, HTTP_ATTACK_GAMES);
  }
  server = await ServerProcess.start(
    dbPath,
    [
      '--max-connections',
      String(players + attackers * 64 + 100),
      // Otherwise every first login would redo the cheap hash at the full cost.
      ...(values['real-hash'] ? [] : ['--no-rehash-passwords']),
      ...(botSeekers > 0 ? ['--bot-after', '1', '--max-bot-games', String(botSeekers)] : []),
      ...values['server-arg'],
    ],
    { [STATS_INTERVAL_ENV]: String(STATS_INTERVAL_MS) },
  );
  const port = server.port;

  // Evidence for explaining the worst waits, bounded however long the soak.
  const evidence = {
    serverEvents: new Timeline<ServerEvent>(200_000),
    serverLoop: new Timeline<LoopSample>(20_000),
    benchLoop: new Timeline<LoopSample>(20_000),
  };
  const serverStats = new Timeline<ServerStats>(20_000);
  const reader = new ServerLogReader();
  server.onLogEntry = (entry) => {
    const { events, stats } = reader.read(entry);
    for (const event of events) evidence.serverEvents.add(event);
    if (!stats) return;
    serverStats.add(stats);
    evidence.serverLoop.add({
      at: stats.at,
      intervalMs: stats.intervalMs,
      loopDelayMaxMs: stats.loopDelayMaxMs,
      gcMaxMs: stats.gcMaxMs,
      ...(stats.mainThreadCpuMs === undefined ? {} : { cpuMs: stats.mainThreadCpuMs }),
      ...(stats.mainThreadCpuWaitMs === undefined ? {} : { cpuWaitMs: stats.mainThreadCpuWaitMs }),
    });
  };
  benchDelay.enable();
  let benchSchedule = threadSchedule();
  let benchSampledAt = Date.now();
  benchLoopTimer = setInterval(() => {
    const schedule = threadSchedule();
    const at = Date.now();
    evidence.benchLoop.add({
      at,
      // A blocked loop fires the timer late: the interval is what really passed.
      intervalMs: at - benchSampledAt,
      loopDelayMaxMs: Math.max(0, benchDelay.max / 1e6 - LOOP_RESOLUTION_MS),
      ...(schedule && benchSchedule
        ? {
            cpuMs: Math.round((schedule.cpuNs - benchSchedule.cpuNs) / 1e6),
            cpuWaitMs: Math.round((schedule.waitNs - benchSchedule.waitNs) / 1e6),
          }
        : {}),
    });
    benchSchedule = schedule;
    benchSampledAt = at;
    benchDelay.reset();
  }, STATS_INTERVAL_MS);
  const worst = new WorstWaits(worstCount);

  await sleep(500);
  const empty = server.sample();

  const sink: StatsSink = { current: new PhaseStats() };
  const registry = new Map<string, SimPlayer>();
  const random = seededRandom(1);
  for (let i = 0; i < players; i++) {
    sims.push(
      new SimPlayer({
        port,
        localAddress: loopbackAddress(1, i, perAddress),
        name: i < humans ? `p${i}` : `b${i - humans}-0`,
        password: BENCH_PASSWORD,
        thinkMs: [thinkMin, thinkMax],
        random,
        stats: sink,
        registry,
        transport: transportOf(i),
        version: i < humans ? versionOf(i, v2Share) : 1,
      }),
    );
  }

  progress(`logging in ${humans} players...`);
  const batch = 250;
  let retries = 0;
  // A login refused by a limit (too many TLS handshakes at once, say) is retried, as a real client would.
  const startWithRetries = async (sim: SimPlayer) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await sim.start();
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        retries++;
        await sleep(100 * attempt);
      }
    }
  };
  const loginAll = async (group: SimPlayer[]) => {
    for (let i = 0; i < group.length; i += batch) {
      await Promise.all(group.slice(i, i + batch).map(startWithRetries));
    }
  };
  const rampStarted = performance.now();
  await loginAll(sims.slice(0, humans));
  const rampSeconds = (performance.now() - rampStarted) / 1000;
  const loginsPerSecond = humans / rampSeconds;
  // Let the matchmaking tick pair everyone and the first moves go.
  await sleep(3000 + thinkMax);
  const loaded = server.sample();
  const rssPerPlayerBytes = (loaded.rssBytes - empty.rssBytes) / humans;
  server.takeLogCounts();

  const results: PhaseResult[] = [];
  const runPhase = async (phase: string, attack?: { name: AttackName; options: AttackOptions }) => {
    progress(`phase: ${phase} (${durationMs / 1000} s)`);
    sink.current = new PhaseStats(phase);
    const thread = attack && new AttackThread(attack.name, attack.options);
    const from = server?.sample() ?? empty;
    await sleep(durationMs);
    const to = server?.sample() ?? empty;
    const report = await thread?.stop();
    const held = sims.filter((sim) => sim.connected).length;
    results.push(summarize(phase, sink.current, from, to, held, server?.takeLogCounts() ?? {}, report));
  };

  // A soak samples the server's memory and the honest latency every sampleMs, across phases.
  const samples: SoakSample[] = [];
  // Waits during the ramp-up are not part of any phase.
  if (worstCount > 0) sink.onWait = (wait: HonestWait) => worst.offer(wait);
  const firstPhaseAt = performance.now();
  const firstPhaseEpoch = Date.now();
  if (soakMs !== undefined) {
    let sampledAt = firstPhaseAt;
    sink.window = new PhaseStats();
    if (!values.json)
      console.log(
        `every ${sampleMs / 1000} s (memory in MiB, the server's worst loop delay and GC pause in ms):\n${sampleHeader()}`,
      );
    sampleTimer = setInterval(() => {
      // The phase under way reports a server that died; the sampler just stops.
      if (!server?.running) {
        clearInterval(sampleTimer);
        return;
      }
      const now = performance.now();
      const seconds = (now - sampledAt) / 1000;
      const to = Date.now();
      const sample = soakSample({
        elapsedSeconds: (now - firstPhaseAt) / 1000,
        seconds,
        phase: sink.current.phase,
        rssBytes: server?.sample().rssBytes ?? Number.NaN,
        window: sink.window ?? new PhaseStats(),
        serverStats: serverStats.between(to - seconds * 1000, to),
        benchLoop: evidence.benchLoop.between(to - seconds * 1000, to),
      });
      samples.push(sample);
      sink.window = new PhaseStats();
      sampledAt = now;
      worst.explain(evidence, to - 3 * STATS_INTERVAL_MS);
      if (!values.json) console.log(sampleLine(sample));
    }, sampleMs);
  }

  // Each attack is compared with a no-attack phase just before it: the load of
  // games starting and ending changes over a run, and a baseline next to the
  // House-bot games likewise: the same players without them, with them, and without them again.
  if (botSeekers > 0) {
    await runPhase('no bot games');
    progress(`${botSeekers} players join to play the house bot...`);
    await loginAll(sims.slice(humans));
    await sleep(3000 + thinkMax);
    server.takeLogCounts();
    await runPhase(`${botSeekers} bot games`);
    // And without them again, since the games between players change over a run too (the first ones end).
    for (const sim of sims.slice(humans)) sim.stop();
    await sleep(2000);
    await runPhase('no bot games (after)');
  }
  // attack sees the same load. A soak repeats the whole cycle.
  const cycle: Array<{ phase: string; attack?: AttackName }> =
    attacks.length === 0
      ? botSeekers > 0
        ? []
        : [{ phase: 'no attack' }]
      : attacks.flatMap((name) => [{ phase: `no attack (before ${name})` }, { phase: `attack ${name}`, attack: name }]);
  const elapsedMs = () => performance.now() - firstPhaseAt;
  for (let round = 1; cycle.length > 0 && startsRound(round, elapsedMs(), soakMs); round++) {
    for (const step of cycle) {
      // An attack always follows its baseline, so a soak ends only before a baseline.
      if (!step.attack && !startsRound(round, elapsedMs(), soakMs)) break;
      const phase = soakMs === undefined ? step.phase : `${step.phase} #${round}`;
      if (!step.attack) {
        await runPhase(phase);
        continue;
      }
      await runPhase(phase, {
        name: step.attack,
        options: {
          port,
          addresses: Array.from({ length: attackAddresses }, (_, i) => loopbackAddress(66, i, 1)),
          connections: attackers,
          accounts: attackAccounts,
          password: BENCH_PASSWORD,
        },
      });
      // Let the server drop what the attackers left behind before the next phase.
      await sleep(2000);
    }
  }
  clearInterval(sampleTimer);
  // The server's stats line covering the last waits comes up to a second later.
  await sleep(2 * STATS_INTERVAL_MS);
  worst.explain(evidence, Number.POSITIVE_INFINITY);
  const worstWaits = worst.list().map((wait) => ({ ...wait, secondsIntoRun: (wait.at - firstPhaseEpoch) / 1000 }));
  for (const sim of sims) sim.stop();
  await server.stop();
  const versionMemory =
    v2Share > 0
      ? await measureVersionMemory(
          dbPath,
          Math.min(humans, VERSION_MEMORY_PLAYERS),
          perAddress,
          [thinkMin, thinkMax],
          progress,
        )
      : undefined;
  const idleMemory =
    idleMemoryPlayers > 0
      ? await measureIdleMemory(dbPath, runTransports, idleMemoryPlayers, perAddress, progress)
      : [];

  const summary = {
    command: `npm run bench:load -- ${process.argv.slice(2).join(' ')}`.trim(),
    players,
    houseBotPlayers: botSeekers,
    tls: values.tls,
    wsShare,
    playersByTransport: Object.fromEntries(
      runTransports.map((transport) => [transport, sims.filter((sim) => sim.transport === transport).length]),
    ),
    thinkMs: [thinkMin, thinkMax],
    hashCost: values['real-hash']
      ? `real hash cost: ${describeCost(DEFAULT_HASH_COST)}`
      : `CHEAP hashes (${describeCost(CHEAP_BENCH_HASH)}), not the real cost: --real-hash for real login figures`,
    loginsPerSecond,
    loginRetries: retries,
    serverRssEmptyMiB: empty.rssBytes / 2 ** 20,
    serverRssPerPlayerKiB: rssPerPlayerBytes / 1024,
    v2Share,
    ...(versionMemory ? { versionMemory } : {}),
    phases: results.map((phase, i) =>
      phase.attackers || phase.houseBot
        ? { ...phase, p99VersusBaseline: phase.latencyMs.p99 / (results[i - 1]?.latencyMs.p99 ?? Number.NaN) }
        : phase,
    ),
    ...(soakMs === undefined
      ? {}
      : { soak: { minutes: soakMs / 60_000, sampleSeconds: sampleMs / 1000, samples, trend: memoryTrend(samples) } }),
    worstWaits,
    idleMemory,
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else printTable(summary);
} catch (error) {
  console.error(`bench:load: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  clearInterval(sampleTimer);
  clearInterval(benchLoopTimer);
  benchDelay.disable();
  for (const sim of sims) sim.stop();
  await server?.stop();
  rmSync(directory, { recursive: true, force: true });
}

function printTable(summary: {
  command: string;
  players: number;
  houseBotPlayers: number;
  tls: boolean;
  wsShare: number;
  playersByTransport: Record<string, number>;
  thinkMs: number[];
  hashCost: string;
  loginsPerSecond: number;
  loginRetries: number;
  serverRssEmptyMiB: number;
  serverRssPerPlayerKiB: number;
  versionMemory?: VersionMemory;
  phases: PhaseResult[];
  soak?: { samples: SoakSample[]; trend: ReturnType<typeof memoryTrend> };
  worstWaits: Array<HonestWait & { othersAtOnce: number; cause: string; secondsIntoRun: number }>;
  idleMemory: IdleMemory[];
}): void {
  console.log(`command: ${summary.command}`);
  console.log(
    `players: ${summary.players}${summary.houseBotPlayers ? ` (${summary.houseBotPlayers} of them against the house bot)` : ''}, think ${summary.thinkMs.join('-')} ms; logins: ${summary.loginsPerSecond.toFixed(0)}/s (${summary.hashCost}; ${summary.loginRetries} retried after a refusal)`,
  );
  console.log(
    `server RSS: ${summary.serverRssEmptyMiB.toFixed(1)} MiB empty, +${summary.serverRssPerPlayerKiB.toFixed(1)} KiB per connected player`,
  );
  const header = [
    'phase',
    'held',
    'moves/s',
    'games',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'errors',
    'dropped',
    'RSS MiB',
    'CPU',
  ];
  const widths = [32, 6, 8, 6, 7, 7, 7, 8, 6, 7, 8, 5];
  const line = (cells: string[]) =>
    console.log(
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 8) : cell.padStart(widths[i] ?? 8))).join(' '),
    );
  line(header);
  for (const phase of summary.phases) {
    line([
      phase.phase,
      String(phase.connectionsHeld),
      phase.movesPerSecond.toFixed(0),
      String(phase.gamesFinished),
      phase.latencyMs.p50.toFixed(2),
      phase.latencyMs.p95.toFixed(2),
      phase.latencyMs.p99.toFixed(2),
      phase.latencyMs.max.toFixed(1),
      String(phase.errors),
      String(phase.honestDisconnects),
      phase.serverRssMiB.toFixed(0),
      `${(phase.serverCpu * 100).toFixed(0)}%`,
      ...(summary.tls ? [phase.p99ByTransportMs.plain.toFixed(2), phase.p99ByTransportMs.tls.toFixed(2)] : []),
    ]);
  }
  if (Object.keys(summary.playersByTransport).length > 1) {
    console.log(
      `move latency by the mover's transport (players: ${Object.entries(summary.playersByTransport)
        .map(([transport, count]) => `${count} ${transport}`)
        .join(', ')}), p50 / p95 / p99 ms:`,
    );
    for (const phase of summary.phases) {
      const cells = Object.entries(phase.latencyByMoverMs).map(
        ([transport, figures]) =>
          `${transport} ${figures.p50.toFixed(2)} / ${figures.p95.toFixed(2)} / ${figures.p99.toFixed(2)} (${figures.samples} moves)`,
      );
      console.log(`  ${phase.phase}: ${cells.join('; ')}`);
    }
  }
  for (const line of versionLines(summary.phases, summary.versionMemory)) console.log(line);
  if (summary.idleMemory.length > 0) {
    console.log('memory per idle logged-in player (a fresh server for each transport):');
    for (const figures of summary.idleMemory) {
      console.log(
        `  ${figures.transport.padEnd(4)} ${figures.players} players: RSS +${figures.rssPerPlayerKiB.toFixed(1)} KiB, V8 heap + external +${figures.heapAndExternalPerPlayerKiB.toFixed(1)} KiB`,
      );
    }
  }
  summary.phases.forEach((phase, i) => {
    const bot = phase.houseBot;
    if (!bot) return;
    const baseline = summary.phases[i - 1]?.latencyMs.p99 ?? Number.NaN;
    console.log(
      `${phase.phase}: player-player p99 ${(phase.latencyMs.p99 / baseline).toFixed(2)}x the p99 without them just before; the bot answered ${bot.movesPerSecond.toFixed(0)} moves/s and finished ${bot.gamesFinished} games, replying in ${bot.replyMs.p50.toFixed(0)} ms (p50), ${bot.replyMs.p99.toFixed(0)} ms (p99) after a move, its 0.4-1.2 s pause included; server log: ${JSON.stringify(phase.serverLog)}`,
    );
  });
  summary.phases.forEach((phase, i) => {
    const attack = phase.attackers;
    if (!attack) return;
    const baseline = summary.phases[i - 1]?.latencyMs.p99 ?? Number.NaN;
    console.log(
      `${phase.phase}: honest p99 ${(phase.latencyMs.p99 / baseline).toFixed(2)}x the no-attack p99 just before; attackers opened ${attack.connections} connections, the server closed ${attack.closedByServer} (median life ${attack.medianLifetimeMs.toFixed(0)} ms), they sent ${(attack.bytesSent / 2 ** 20).toFixed(1)} MiB, got ${attack.answers} answers and completed ${attack.handshakes} TLS handshakes (${(attack.handshakes / phase.seconds).toFixed(0)}/s); server log: ${JSON.stringify(phase.serverLog)}`,
    );
  });
  for (const phase of summary.phases) {
    if (phase.movesAgainstAttackers === 0) continue;
    console.log(
      `${phase.phase}: ${phase.movesAgainstAttackers} honest moves were against an attacker's account (paired once the attacker's rating window reached them); not in the latency figures, since the answer went to the attacker; the longest wait for what came next was ${phase.longestWaitOnAttackerMs.toFixed(0)} ms`,
    );
  }
  if (summary.soak) {
    const { rssMiB, heapAfterFullGcMiB, rssSlopeMiBPer10Min, heapAfterFullGcSlopeMiBPer10Min } = summary.soak.trend;
    console.log(
      `server memory over the soak: RSS ${rssMiB.first.toFixed(0)} MiB first, ${rssMiB.max.toFixed(0)} highest, ${rssMiB.last.toFixed(0)} last (${signed(rssSlopeMiBPer10Min)} MiB per 10 min over the second half); live heap after a full GC ${heapAfterFullGcMiB.first.toFixed(1)}, ${heapAfterFullGcMiB.max.toFixed(1)}, ${heapAfterFullGcMiB.last.toFixed(1)} MiB (${signed(heapAfterFullGcSlopeMiBPer10Min)} MiB per 10 min)`,
    );
  }
  if (summary.worstWaits.length > 0) {
    console.log('longest honest waits (MakeMove sent until the first message it caused):');
    for (const wait of summary.worstWaits) {
      console.log(
        `  ${wait.waitedMs.toFixed(0).padStart(6)} ms  ${wait.player} against ${wait.opponent}${wait.othersAtOnce > 0 ? ` (and ${wait.othersAtOnce} other moves answered within ${EPISODE_MS} ms of it)` : ''}, ${wait.phase}, ${wait.secondsIntoRun.toFixed(1)} s in, ended by ${wait.settledBy}: ${wait.cause}`,
      );
    }
  }
}

function signed(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(1)}` : '?';
}
