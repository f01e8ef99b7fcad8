import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipUnless } from './capability.js';
import { runCommand } from './server-process.js';

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** A private PostgreSQL server for one test file. */
export interface TestPostgres {
  /** postgres://checkers:PASSWORD@127.0.0.1:PORT/checkers, a database owned by that user. */
  readonly url: string;
  readonly port: number;
  /** A connection string for another, new, empty database on the same server. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m immediate` (a crash: no checkpoint), then start again on the same port. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m immediate` only; `start` brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. Later calls do nothing. */
  stop(): Promise<void>;
}

/** The skip reason for a test needing PostgreSQL (fails under CI), or false. */
export function postgresMissing(): string | false {
  const missing = ['initdb', 'pg_ctl', 'postgres'].find((name) => !existsSync(join(POSTGRES_BIN, name)));
  return skipUnless(missing && `PostgreSQL 15 is not installed (${join(POSTGRES_BIN, missing)} is missing)`);
}

const USER = 'checkers';
const PASSWORD = 'test-password';
const COMMAND_LIMIT_MS = 60_000;
/** Data directories of servers not stopped yet: a failed test must not leave PostgreSQL running. */
const running = new Map<string, string>();
process.on('exit', () => {
  for (const [directory, data] of running) {
    spawnSync('setpriv', [
      '--reuid=nobody',
      '--regid=nogroup',
      '--clear-groups',
      join(POSTGRES_BIN, 'pg_ctl'),
      '-D',
      data,
      '-m',
      'immediate',
      'stop',
    ]);
    rmSync(directory, { recursive: true, force: true });
  }
});

/** A free TCP port on 127.0.0.1 (free now; the caller binds it at once). */
export function freeLoopbackPort(): Promise<number> {
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

/** Runs a PostgreSQL binary as nobody (PostgreSQL refuses root); rejects with its output if it fails. */
async function asNobody(binary: string, args: readonly string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, fullArgs] = asRoot
    ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', join(POSTGRES_BIN, binary), ...args]]
    : [join(POSTGRES_BIN, binary), args];
  const run = await runCommand(command, fullArgs, COMMAND_LIMIT_MS, { ...process.env, LC_ALL: 'C' });
  if (run.code !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${run.code}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/**
 * initdb + pg_ctl in a new temporary directory owned by nobody, listening
 * only on 127.0.0.1 at a free port (its unix socket in that directory), fsync
 * off; a user `checkers` with a password owns a database `checkers`.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-pg-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) chownSync(directory, 65534, 65534);
  const passwordFile = join(directory, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  if (process.getuid?.() === 0) chownSync(passwordFile, 65534, 65534);
  await asNobody('initdb', [
    '-D',
    data,
    '-U',
    USER,
    '--pwfile',
    passwordFile,
    '--auth',
    'scram-sha-256',
    '--encoding',
    'UTF8',
    '--no-sync',
  ]);
  running.set(directory, data);
  const port = await freeLoopbackPort();
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${directory}'`,
    // A stop -m immediate is a crash of PostgreSQL, not of the machine: the files it wrote are kept without fsync.
    '-c fsync=off',
    '-c max_connections=100',
    '-c shared_buffers=16MB',
  ].join(' ');
  const start = () =>
    asNobody('pg_ctl', ['-D', data, '-l', join(directory, 'log'), '-o', serverOptions, '-w', '-t', '30', 'start']);
  const kill = () => asNobody('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).then(() => undefined);
  await start();
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await psql(port, 'postgres', `CREATE DATABASE checkers OWNER ${USER}`);
  let stopped: Promise<void> | undefined;
  const server: TestPostgres = {
    url: `${base}/checkers`,
    port,
    async createDatabase(name) {
      await psql(port, 'postgres', `CREATE DATABASE ${name} OWNER ${USER}`);
      return `${base}/${name}`;
    },
    async restart() {
      await kill();
      await start();
    },
    kill,
    async start() {
      await start();
    },
    stop() {
      stopped ??= (async () => {
        running.delete(directory);
        await kill().catch(() => undefined);
        rmSync(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  return server;
}

/** One SQL statement through the pg driver (no psql binary needed). */
async function psql(port: number, database: string, sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
