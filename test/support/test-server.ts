import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { JumpChooser } from '../../src/game/v1.js';
import type { ServerLimits } from '../../src/server/limits/limits.js';
import { CheckersServer } from '../../src/server/server.js';
import { openSqliteStore, type SqliteStore } from '../../src/server/store/sqlite-store.js';

export interface TestServer {
  readonly server: CheckersServer;
  readonly store: SqliteStore;
  readonly port: number;
  readonly dbPath: string;
  /** Stops the server and closes the store; removes the directory unless `keepFiles`. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

export function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'checkers-test-'));
}

/** A real server on a free loopback port with discovery off and its own database file. */
export async function startTestServer(
  options: {
    dbPath?: string;
    moveTimeoutSeconds?: number;
    reconnectGraceSeconds?: number;
    chooser?: JumpChooser;
    limits?: Partial<ServerLimits>;
  } = {},
): Promise<TestServer> {
  const directory = options.dbPath ? undefined : temporaryDirectory();
  const dbPath = options.dbPath ?? join(directory ?? '.', 'checkers.db');
  const store = await openSqliteStore(dbPath);
  const log = pino({ level: process.env.CHECKERS_TEST_LOG ?? 'silent' });
  const server = new CheckersServer({
    listenAddress: '127.0.0.1',
    listenPort: 0,
    discovery: undefined,
    moveTimeoutSeconds: options.moveTimeoutSeconds ?? 300,
    reconnectGraceSeconds: options.reconnectGraceSeconds ?? 60,
    store,
    log,
    ...(options.chooser ? { chooser: options.chooser } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await server.start();
  return {
    server,
    store,
    port: server.port,
    dbPath,
    async stop({ keepFiles = false } = {}) {
      await server.stop();
      store.close();
      if (directory && !keepFiles) rmSync(directory, { recursive: true, force: true });
    },
  };
}
