import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from './test-server.js';

export const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));

export interface ClientProcess {
  readonly child: ReturnType<typeof spawn>;
  readonly exited: Promise<number | null>;
  /** Waits until standard output matches; returns it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): { stdout: string; stderr: string };
  /** The output byte for byte (as Latin-1), to check that no control byte got through. */
  rawOutput(): { stdout: string; stderr: string };
  /** Writes lines to standard input. */
  type(...lines: string[]): void;
  /** Ends standard input. */
  end(): void;
}

/** The client with pipes instead of a terminal, as a script runs it, with its own empty configuration directory. */
export function runPiped(args: readonly string[]): ClientProcess {
  return run(process.execPath, [CLIENT, ...args]);
}

/** A shell command line, run as a user would type it. */
export function runShell(commandLine: string): ClientProcess {
  return run('sh', ['-c', commandLine]);
}

const running = new Set<ReturnType<typeof spawn>>();
// A failed test must not leave a client running after the test process.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function run(program: string, args: readonly string[]): ClientProcess {
  const configDirectory = temporaryDirectory();
  const child = spawn(program, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C.UTF-8', CHECKERS_CONFIG_DIR: configDirectory },
  });
  running.add(child);
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
  const text = (chunks: Buffer[], encoding: BufferEncoding) => Buffer.concat(chunks).toString(encoding);
  // A failed test must not leave the client running.
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      clearTimeout(killer);
      rmSync(configDirectory, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stdout = text(stdoutChunks, 'utf8');
        if (pattern.test(stdout)) return stdout;
        if (Date.now() > deadline) {
          throw new Error(`never printed ${pattern}:\n${stdout}\n${text(stderrChunks, 'utf8')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    },
    output: () => ({ stdout: text(stdoutChunks, 'utf8'), stderr: text(stderrChunks, 'utf8') }),
    rawOutput: () => ({ stdout: text(stdoutChunks, 'latin1'), stderr: text(stderrChunks, 'latin1') }),
    type: (...lines) => child.stdin.write(lines.map((line) => `${line}\n`).join('')),
    end: () => child.stdin.end(),
  };
}
