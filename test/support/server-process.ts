import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER_CLI = fileURLToPath(new URL('../../src/server/cli.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the server logged so far. */
  log(): string;
  /** Resolves with the exit code (or signal name). */
  exited(): Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves once it has exited. */
  stop(): Promise<number | string>;
}

const STOP_GRACE_MS = 10_000;
/** The longest a CLI command may run in a test before it is killed (a hang fails, it does not stall the run). */
const CLI_LIMIT_MS = 60_000;

const children = new Set<ChildProcess>();
// A failed test must not leave a server running that keeps the test process alive.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts `checkers-server` as a child process on a free loopback port with
 * discovery off, and without rehashing the tests' cheap password hashes.
 */
export function spawnServer(
  dbPath: string,
  extraArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      SERVER_CLI,
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      '0',
      '--no-discovery',
      '--no-rehash-passwords',
      // No endgame databases unless a test asks (generating them costs seconds of a core).
      '--egdb-pieces',
      '0',
      '--db',
      dbPath,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  children.add(child);
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited.finally(() => clearTimeout(killer));
    }
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*checkers server listening/.exec(output);
      if (match) {
        clearTimeout(timer);
        // Later lines are still collected for log(), without holding the test process open.
        child.stdout?.removeListener('data', onData);
        child.stderr?.removeListener('data', onData);
        const collect = (later: Buffer) => {
          output += later.toString();
        };
        child.stdout?.on('data', collect);
        child.stderr?.on('data', collect);
        for (const stream of [child.stdout, child.stderr])
          (stream as unknown as { unref?: () => void } | null)?.unref?.();
        resolve({ child, port: Number(match[1]), log: () => output, exited: () => exited, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${output}`));
    });
  });
}

/** Runs the server CLI to completion (killed, with code null, if it runs for a minute). */
export function runCli(
  args: readonly string[],
  input?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_LIMIT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killed after `timeoutMs`; output read as Latin-1 so no byte is lost. */
export function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('latin1');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('latin1');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The server CLI run as the unprivileged user nobody (tests run as root, who ignores file permissions). */
export function runCliAsNobody(args: readonly string[], timeoutMs: number): Promise<CommandRun> {
  return runCommand(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, SERVER_CLI, ...args],
    timeoutMs,
  );
}
