import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { CheckersServer } from '../../src/server/server.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { openSqliteStore, SERVER_BUSY_TIMEOUT_MS } from '../../src/server/store/sqlite-store.js';
import type { Store } from '../../src/server/store/store.js';
import type { ServerTiming } from '../../src/server/timing.js';
import { postgresMissing, startPostgres } from './postgres.js';
import { redisMissing } from './redis.js';
import { temporaryDirectory } from './test-server.js';

/** The one database the nodes of a test cluster share. */
export interface SharedDatabase {
  /** What `--db` takes. */
  readonly db: string;
  openStore(): Promise<Store>;
  /** PostgreSQL only: `pg_ctl stop -m immediate` (a crash), then start again. */
  crash?(): Promise<void>;
  stop(): Promise<void>;
}

/** One SQLite file in WAL mode, shared by the nodes' connections on this host. */
export async function sharedSqlite(): Promise<SharedDatabase> {
  const directory = temporaryDirectory();
  const db = join(directory, 'checkers.db');
  return {
    db,
    openStore: () => openSqliteStore(db, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS }),
    async stop() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface ClusterNode {
  readonly server: CheckersServer;
  readonly port: number;
  /** The node's own connection to the shared database. */
  readonly store: Store;
  /** The node's last log lines (debug level, kept in memory), to print when a test fails. */
  log(): string;
  /** Stops the node (as Ctrl-C does) and closes its store; later calls do nothing. */
  stop(): Promise<void>;
}

/** Log lines a node keeps for `log()`: enough for the last seconds of a failing test. */
const KEPT_LOG_LINES = 2_000;

/**
 * The node's logger: every line at debug level into a ring of the last
 * lines (printed when a test fails), and to stdout too at CHECKERS_TEST_LOG's
 * level if it is set.
 */
function nodeLogger(name: string): { logger: Logger; lines: () => string } {
  const kept: string[] = [];
  const ring = new Writable({
    write(chunk: Buffer, _encoding, done) {
      kept.push(chunk.toString().trimEnd());
      if (kept.length > KEPT_LOG_LINES) kept.splice(0, kept.length - KEPT_LOG_LINES);
      done();
    },
  });
  const shown = process.env.CHECKERS_TEST_LOG;
  const streams: pino.StreamEntry[] = [{ level: 'debug', stream: ring }];
  if (shown && shown !== 'silent') streams.push({ level: shown as pino.Level, stream: process.stdout });
  const logger = pino({ level: 'debug', base: { node: name } }, pino.multistream(streams));
  return { logger, lines: () => kept.join('\n') };
}

/** Prints the nodes' kept logs to stderr (after a failure: who closed whom, and why). */
export function printNodeLogs(nodes: readonly ClusterNode[]): void {
  for (const node of nodes) process.stderr.write(`${node.log()}\n----\n`);
}

/** A node in this process on a free loopback port, with discovery off unless `discoveryPort` is given. */
export async function startNode(options: {
  readonly database: SharedDatabase;
  readonly redisUrl: string;
  readonly name: string;
  readonly timing?: Partial<ServerTiming>;
  /** Discovery on: probes answered on this UDP port, beacons to 127.255.255.255. */
  readonly discoveryPort?: number;
}): Promise<ClusterNode> {
  const store = await options.database.openStore();
  const { logger, lines } = nodeLogger(options.name);
  const server = new CheckersServer({
    listenAddress: '127.0.0.1',
    listenPort: 0,
    discovery:
      options.discoveryPort === undefined
        ? undefined
        : { broadcastAddress: '127.255.255.255', sourcePort: 0, name: 'test server', port: options.discoveryPort },
    rehashPasswords: false,
    store,
    log: logger,
    cluster: { url: options.redisUrl, node: options.name },
    ...(options.timing ? { timing: options.timing } : {}),
  });
  try {
    await server.start();
  } catch (error) {
    store.close();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    server,
    port: server.port,
    store,
    log: lines,
    stop() {
      stopped ??= server.stop().then(() => store.close());
      return stopped;
    },
  };
}

/** A private PostgreSQL server (test/support/postgres.ts) holding the cluster's database. */
export async function sharedPostgres(): Promise<SharedDatabase> {
  const server = await startPostgres();
  const stores: PgStore[] = [];
  return {
    db: server.url,
    async openStore() {
      const store = await PgStore.open(server.url);
      stores.push(store);
      return store;
    },
    crash: () => server.restart(),
    async stop() {
      for (const store of stores) await store.end().catch(() => undefined);
      await server.stop();
    },
  };
}

/** Why the cluster tests cannot run here (skipped locally, a failure under CI), or false. */
export function clusterMissing(): string | false {
  return redisMissing() || postgresMissing();
}

/** The database the cluster tests share between nodes: PostgreSQL, as on several machines. */
export function clusterDatabase(): Promise<SharedDatabase> {
  return sharedPostgres();
}
