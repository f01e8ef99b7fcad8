import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER_CLI = fileURLToPath(new URL('../../src/server/cli.js', import.meta.url));
/** Linux reports CPU time in clock ticks of 1/100 s on every platform we run on. */
const TICKS_PER_SECOND = 100;

export interface ServerSample {
  readonly rssBytes: number;
  /** User + system CPU seconds so far. */
  readonly cpuSeconds: number;
  readonly at: number;
}

/**
 * The real server as a child process on loopback, with discovery off. It logs
 * JSON lines; `logCounts` counts them by message, so a benchmark can say what
 * the server did (closed abusers, refused connections...).
 */
export class ServerProcess {
  readonly logCounts = new Map<string, number>();
  #exited = false;
  #exitedWith: string | number | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly port: number,
  ) {
    child.once('exit', (code, signal) => {
      this.#exited = true;
      this.#exitedWith = code ?? signal;
    });
  }

  /** Called with every JSON line the server logs after it started listening. */
  onLogEntry: ((entry: Record<string, unknown>) => void) | undefined;

  /** `env` is added to this process's environment (CHECKERS_STATS_INTERVAL_MS, say). */
  static async start(
    dbPath: string,
    extraArgs: readonly string[],
    env: Readonly<Record<string, string>> = {},
  ): Promise<ServerProcess> {
    const args = [
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      SERVER_CLI,
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      '0',
      '--no-discovery',
      '--db',
      dbPath,
      ...extraArgs,
    ];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    child.stdin.end();
    child.stdout.resume();
    let pending = '';
    let server: ServerProcess | undefined;
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${pending}`)), 20_000);
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${pending}`)));
      child.stderr.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const entry = parseLogLine(line);
          if (!entry) continue;
          if (server) {
            server.#count(entry);
            server.onLogEntry?.(entry);
          } else if (entry.msg === 'checkers server listening' && typeof entry.port === 'number') {
            clearTimeout(timer);
            resolve(entry.port);
          }
        }
      });
    });
    server = new ServerProcess(child, port);
    return server;
  }

  get running(): boolean {
    return !this.#exited;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Throws if the server has exited (a crash, or a debugger that killed it). */
  sample(): ServerSample {
    if (this.#exited) throw new Error(`the server exited (${this.#exitedWith}) during the run`);
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const rssKib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14th and 15th.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: rssKib * 1024, cpuSeconds: ticks / TICKS_PER_SECOND, at: performance.now() };
  }

  /** Log messages counted since the last call. */
  takeLogCounts(): Record<string, number> {
    const counts = Object.fromEntries(this.logCounts);
    this.logCounts.clear();
    return counts;
  }

  /** `kill -9`: no shutdown, no last commit; resolves once it is gone. */
  kill(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  stop(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }

  #count(entry: Record<string, unknown>): void {
    const message = entry.msg;
    // The periodic process stats are figures, not events.
    if (typeof message !== 'string' || message === 'process stats') return;
    const add = (key: string, amount: number) => this.logCounts.set(key, (this.logCounts.get(key) ?? 0) + amount);
    // The server sums handshakes and refusals every 10 s; add them up.
    if (message === 'TLS handshakes' && typeof entry.count === 'number') {
      add(message, entry.count);
      return;
    }
    if (message !== 'connections refused') {
      add(message, 1);
      return;
    }
    for (const reason of Object.keys(entry).filter(
      (key) => !['level', 'time', 'pid', 'hostname', 'msg', 'addresses'].includes(key),
    )) {
      const count = entry[reason];
      if (typeof count === 'number' && count > 0) add(`refused (${reason})`, count);
    }
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, as a share of one core (1.0 = one core busy). */
export function cpuShare(from: ServerSample, to: ServerSample): number {
  const seconds = (to.at - from.at) / 1000;
  return seconds > 0 ? (to.cpuSeconds - from.cpuSeconds) / seconds : 0;
}
