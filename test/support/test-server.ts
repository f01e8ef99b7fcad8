import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { Opening } from '../../src/game/openings.js';
import type { JumpChooser } from '../../src/game/v1.js';
import type { Clock } from '../../src/server/clock.js';
import type { EndgameSettings } from '../../src/server/endgame/endgame-databases.js';
import type { HouseBotSettings } from '../../src/server/house-bot.js';
import type { ServerLimits } from '../../src/server/limits/limits.js';
import type { MetricsAddress } from '../../src/server/metrics.js';
import { CheckersServer } from '../../src/server/server.js';
import { openSqliteStore, SERVER_BUSY_TIMEOUT_MS, type SqliteStore } from '../../src/server/store/sqlite-store.js';
import type { ServerTiming } from '../../src/server/timing.js';
import { loadServerCertificate } from '../../src/server/tls/certificate.js';
import type { CommunitySettings } from '../../src/server/web/api/community.js';
import type { WebOptions } from '../../src/server/web/web-server.js';

export interface TestServer {
  readonly server: CheckersServer;
  /** SHA-256 fingerprint of the certificate, when TLS is on. */
  readonly fingerprint: string | undefined;
  readonly store: SqliteStore;
  readonly port: number;
  readonly dbPath: string;
  /** Stops the server and closes the store; removes the directory unless `keepFiles`. Later calls do nothing. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

const directories = new Set<string>();
// Whatever a test did not remove itself (certificates and keys included) goes when its file's process exits,
// passed, failed or ended by --test-force-exit.
process.on('exit', () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A new directory under the system's temporary directory, removed at the latest when the test process exits. */
export function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-test-'));
  directories.add(directory);
  return directory;
}

/** A real server on a free loopback port with discovery off and its own database file. */
export async function startTestServer(
  options: {
    dbPath?: string;
    /** Timings that differ from DEFAULT_TIMING (in milliseconds). */
    timing?: Partial<ServerTiming>;
    chooser?: JumpChooser;
    limits?: Partial<ServerLimits>;
    /** Offer TLS with a self-signed certificate made in the test directory (or `directory`). */
    tls?: boolean | { directory: string };
    plain?: 'allow' | 'refuse';
    /** Rehash passwords below the current cost at login (off: test accounts use a cheap hash). */
    rehashPasswords?: boolean;
    /** The house bot: it plays lonely players only with `timing.botAfterMs` above 0, and anyone who asks (PlayComputer). */
    houseBot?: HouseBotSettings;
    /** Discovery on: probes answered on this UDP port, beacons to 127.255.255.255. */
    discoveryPort?: number;
    /** The server's logger (default: silent, or CHECKERS_TEST_LOG's level). */
    log?: Logger;
    storageRetryMs?: number;
    /** A fixed port (default: a free one), to restart a server where its clients expect it. */
    port?: number;
    /** The server's clock (a ManualClock moves timers only when the test says so). */
    clock?: Clock;
    /** Load balancers whose connections start with a PROXY header. */
    trustProxy?: readonly string[];
    /** HTTP and WebSockets on the port (routes, static files, origins), or false for --no-web. */
    web?: WebOptions | false;
    /** Sign-up, its limits, the watch limits (default: registration closed). */
    community?: CommunitySettings;
    /** Prometheus metrics on their own listener (port 0: a free one, see server.metricsPort). */
    metricsListen?: MetricsAddress;
    /** Rated version-2 queue games start from a ballot of this deck, drawn by `random`. */
    openings?: { readonly deck: readonly Opening[]; readonly random?: () => number };
    /** Guest logins (`--guests`); default on. */
    guests?: boolean;
    /** Endgame databases: loaded from `dir`, or generated there in the background. */
    endgame?: EndgameSettings;
  } = {},
): Promise<TestServer> {
  const directory = options.dbPath ? undefined : temporaryDirectory();
  const dbPath = options.dbPath ?? join(directory ?? '.', 'checkers.db');
  const store = await openSqliteStore(dbPath, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  const log = options.log ?? pino({ level: process.env.CHECKERS_TEST_LOG ?? 'silent' });
  const certificate = options.tls
    ? await loadServerCertificate({
        dataDirectory: typeof options.tls === 'object' ? options.tls.directory : dirname(dbPath),
        hostname: 'localhost',
      })
    : undefined;
  const server = new CheckersServer({
    listenAddress: '127.0.0.1',
    listenPort: options.port ?? 0,
    discovery:
      options.discoveryPort === undefined
        ? undefined
        : { broadcastAddress: '127.255.255.255', sourcePort: 0, name: 'test server', port: options.discoveryPort },
    ...(options.timing ? { timing: options.timing } : {}),
    rehashPasswords: options.rehashPasswords ?? false,
    store,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.chooser ? { chooser: options.chooser } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(certificate
      ? { tls: { cert: certificate.cert, key: certificate.key, fingerprint: certificate.fingerprintBytes } }
      : {}),
    ...(options.plain ? { plain: options.plain } : {}),
    ...(options.houseBot ? { houseBot: options.houseBot } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.web === undefined ? {} : { web: options.web }),
    ...(options.community === undefined ? {} : { community: options.community }),
    ...(options.metricsListen === undefined ? {} : { metricsListen: options.metricsListen }),
    ...(options.storageRetryMs === undefined ? {} : { storageRetryMs: options.storageRetryMs }),
    ...(options.openings ? { openings: options.openings } : {}),
    ...(options.guests === undefined ? {} : { guests: options.guests }),
    ...(options.endgame ? { endgame: options.endgame } : {}),
  });
  try {
    await server.start();
  } catch (error) {
    store.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    server,
    store,
    fingerprint: certificate?.fingerprint,
    port: server.port,
    dbPath,
    stop({ keepFiles = false } = {}) {
      stopped ??= (async () => {
        await server.stop();
        store.close();
        if (directory && !keepFiles) rmSync(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
