import { STATS_INTERVAL_ENV } from '../../src/server/process-stats.js';
import { BENCH_PASSWORD, loopbackAddress } from './accounts.js';
import { ServerProcess } from './server-process.js';
import { type BenchTransport, PhaseStats, SimPlayer } from './sim-player.js';

/** What N idle players of one kind cost a fresh server. */
export interface IdleMemory {
  readonly transport: BenchTransport;
  readonly players: number;
  readonly rssPerPlayerKiB: number;
  /** V8 heap in use plus memory outside it (Buffers, TLS state), per player. */
  readonly heapAndExternalPerPlayerKiB: number;
}

const STATS_INTERVAL_MS = 500;
/** Stats lines averaged for each reading (before and after the logins). */
const READINGS = 4;
const MAX_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The memory a logged-in, idle player costs, by transport: for each kind, a
 * fresh server (the same database), its memory read from its own stats lines
 * (RSS, and V8 heap + external) before and after `count` players of that kind
 * log in and wait in the queue. Their accounts (`idle0-0`...) are rated 10,000
 * apart, so matchmaking pairs none of them during the measurement: what is
 * measured is a connection and a session, not a game. Bounded: `count`
 * logins with at most 20 attempts each, a fixed settling time.
 */
export async function measureIdleMemory(
  dbPath: string,
  transports: readonly BenchTransport[],
  count: number,
  perAddress: number,
  progress: (text: string) => void,
): Promise<IdleMemory[]> {
  const results: IdleMemory[] = [];
  for (const transport of transports) {
    progress(`idle memory: ${count} players over ${transport} on a fresh server...`);
    const server = await ServerProcess.start(
      dbPath,
      ['--max-connections', String(count + 100), '--no-rehash-passwords'],
      { [STATS_INTERVAL_ENV]: String(STATS_INTERVAL_MS) },
    );
    const lines: Array<{ rss: number; heapUsed: number; external: number }> = [];
    server.onLogEntry = (entry) => {
      if (entry.msg === 'process stats') lines.push(entry as unknown as (typeof lines)[number]);
    };
    const sims: SimPlayer[] = [];
    try {
      await sleep(STATS_INTERVAL_MS * (READINGS + 2));
      const before = average(lines.slice(-READINGS));
      const registry = new Map<string, SimPlayer>();
      for (let i = 0; i < count; i++) {
        sims.push(
          new SimPlayer({
            port: server.port,
            localAddress: loopbackAddress(2, i, perAddress),
            name: `idle${i}-0`,
            password: BENCH_PASSWORD,
            thinkMs: [0, 0],
            random: Math.random,
            stats: { current: new PhaseStats() },
            registry,
            transport,
          }),
        );
      }
      for (let i = 0; i < sims.length; i += 100) await Promise.all(sims.slice(i, i + 100).map(startWithRetries));
      const linesAfterLogin = lines.length;
      await sleep(STATS_INTERVAL_MS * (READINGS + 2));
      const after = average(lines.slice(Math.max(linesAfterLogin, lines.length - READINGS)));
      results.push({
        transport,
        players: count,
        rssPerPlayerKiB: (after.rss - before.rss) / count / 1024,
        heapAndExternalPerPlayerKiB:
          (after.heapUsed + after.external - before.heapUsed - before.external) / count / 1024,
      });
    } finally {
      for (const sim of sims) sim.stop();
      await server.stop();
    }
  }
  return results;
}

/** A login refused by a limit (TLS handshakes at once, say) is retried, as a real client would. */
async function startWithRetries(sim: SimPlayer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sim.start();
      return;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await sleep(100 * attempt);
    }
  }
}

function average(lines: ReadonlyArray<{ rss: number; heapUsed: number; external: number }>): {
  rss: number;
  heapUsed: number;
  external: number;
} {
  if (lines.length === 0) throw new Error('the server logged no process stats');
  const sum = (pick: (line: (typeof lines)[number]) => number) =>
    lines.reduce((total, line) => total + pick(line), 0) / lines.length;
  return {
    rss: sum((line) => line.rss),
    heapUsed: sum((line) => line.heapUsed),
    external: sum((line) => line.external),
  };
}
