import { loopbackAddress } from './accounts.js';
import type { FromGenerator, GeneratorSlice, ToGenerator } from './generators.js';
import { MoveLog, monotonicMs } from './move-join.js';
import { PhaseStats, SimPlayer, type StatsSink } from './sim-player.js';

/**
 * One load generator process of bench:load --nodes (forked by
 * generators.ts): holds a slice of the players, logs them in, and on the
 * parent's word measures, ends, hands over its move log and stops.
 */
function tell(message: FromGenerator): void {
  process.send?.(message);
}

const log = new MoveLog();
const sink: StatsSink = { current: new PhaseStats('cluster') };
const players: SimPlayer[] = [];
let measuredFrom: { cpu: NodeJS.CpuUsage; at: number } | undefined;
let measured:
  | { cpuSeconds: number; seconds: number; gamesFinished: number; errors: number; disconnects: number }
  | undefined;

async function start(slice: GeneratorSlice): Promise<void> {
  const started = monotonicMs();
  const all: SimPlayer[] = [];
  for (let i = slice.first; i < slice.end; i++) {
    all.push(
      new SimPlayer({
        port: slice.ports[i % slice.ports.length] as number,
        localAddress: loopbackAddress(3, i, slice.perAddress),
        name: `c${i}`,
        password: slice.password,
        thinkMs: slice.thinkMs,
        random: Math.random,
        stats: sink,
        recorder: log,
        node: i % slice.ports.length,
      }),
    );
  }
  let failed = 0;
  let firstFailure: string | undefined;
  for (let at = 0; at < all.length; at += slice.loginBatch) {
    const batch = all.slice(at, at + slice.loginBatch);
    const outcomes = await Promise.allSettled(batch.map((player) => player.start()));
    for (const [i, outcome] of outcomes.entries()) {
      const player = batch[i] as SimPlayer;
      if (outcome.status === 'fulfilled') {
        players.push(player);
        continue;
      }
      // Left out of the run: it would only wait for nothing.
      player.stop();
      failed++;
      firstFailure ??= outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    }
  }
  tell({
    type: 'ready',
    loggedIn: players.length,
    failed,
    loginSeconds: (monotonicMs() - started) / 1000,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  });
}

function handle(message: ToGenerator): void {
  switch (message.type) {
    case 'start':
      start(message.slice).catch((error: unknown) =>
        tell({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'measure':
      sink.current = new PhaseStats('cluster');
      log.start();
      measuredFrom = { cpu: process.cpuUsage(), at: monotonicMs() };
      break;
    case 'end': {
      log.stopSending();
      if (!measuredFrom) break;
      const cpu = process.cpuUsage(measuredFrom.cpu);
      const { gamesFinished, errors, disconnects } = sink.current;
      measured = {
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        seconds: (monotonicMs() - measuredFrom.at) / 1000,
        gamesFinished,
        errors,
        disconnects,
      };
      break;
    }
    case 'collect':
      tell({
        type: 'results',
        sent: {
          mover: Int32Array.from(log.sent.mover),
          opponent: Int32Array.from(log.sent.opponent),
          at: Float64Array.from(log.sent.at),
          settledAt: Float64Array.from(log.sent.settledAt),
        },
        heard: { mover: Int32Array.from(log.heard.mover), at: Float64Array.from(log.heard.at) },
        gamesFinished: measured?.gamesFinished ?? 0,
        errors: measured?.errors ?? 0,
        disconnects: measured?.disconnects ?? 0,
        cpuSeconds: measured?.cpuSeconds ?? 0,
        seconds: measured?.seconds ?? 0,
      });
      break;
    case 'stop':
      // The sockets are destroyed; leave without waiting for their last events.
      for (const player of players) player.stop();
      process.exit(0);
  }
}

process.on('message', (message: ToGenerator) => handle(message));
// The parent gone (killed, crashed): nothing left to do here.
process.on('disconnect', () => {
  for (const player of players) player.stop();
  process.exit(0);
});
