import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { skipUnless } from './capability.js';
import { temporaryDirectory } from './test-server.js';
import { waitUntil } from './wait.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** Why Redis tests cannot run here (skipped locally, a failure under CI), or false. */
export function redisMissing(): string | false {
  return skipUnless(existsSync(REDIS_SERVER) ? undefined : `${REDIS_SERVER} is missing`);
}

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** SIGSTOP: connections stay open and nothing is answered until `resume`. */
  pause(): void;
  resume(): void;
  /** SIGKILL (Redis is unreachable until `up`). */
  down(): Promise<void>;
  /** Starts again on the same port, with nothing kept from before (no persistence). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback TCP port (free when asked; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A private Redis on a free loopback port, keeping nothing on disk; stop it in `finally`. */
export async function startTestRedis(): Promise<TestRedis> {
  const directory = temporaryDirectory();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(started);
    started.once('exit', () => children.delete(started));
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child = started;
    await waitUntil(() => output.includes('Ready to accept connections'), 'redis-server ready', 10_000);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    down: kill,
    up: launch,
    async stop() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
