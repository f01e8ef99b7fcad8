#!/usr/bin/env node
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseCount, parseIpAddress, parseIpv4Address, parsePort } from '../common/option-parsers.js';
import { OPENING_DECKS } from '../game/openings.js';
import { defaultBotThreads } from './bot-pool.js';
import { packageVersion, quoted, UserError } from './cli-support.js';
import { systemClock } from './clock.js';
import { ClusterStartError } from './cluster/index.js';
import { DEFAULT_EGDB_PIECES, MAX_EGDB_PIECES } from './endgame/endgame-databases.js';
import { parseTrustedProxies } from './front-door/proxy-protocol.js';
import { DEFAULT_BOT_NAME, DEFAULT_MAX_BOT_GAMES } from './house-bot.js';
import { LIMIT_OPTIONS } from './limits/limits.js';
import { createLogger, type LogLevel } from './logger.js';
import { type MetricsAddress, parseMetricsAddress } from './metrics.js';
import { certificateFor, tlsFileOptions } from './operator/certificate-options.js';
import { addDataCommands } from './operator/data-commands.js';
import { dataDirectoryOf, dbOption } from './operator/store-access.js';
import { addUserCommands } from './operator/user-commands.js';
import { fromTable, tableOption } from './option-cli.js';
import { STATS_INTERVAL_ENV, startProcessStats, statsIntervalFrom } from './process-stats.js';
import { CheckersServer, ServerStartError } from './server.js';
import { announceStart } from './start-banner.js';
import { optionConflict, refuseUnsafeAccounts } from './start-checks.js';
import { isPostgresUrl, redactedPgUrl } from './store/pg-open.js';
import { openPgStore } from './store/pg-store.js';
import { openSqliteStore, SERVER_BUSY_TIMEOUT_MS } from './store/sqlite-store.js';
import { DEFAULT_DURABILITY, type Durability, type Store, StoreError } from './store/store.js';
import { TIMING_OPTIONS } from './timing.js';
import type { Registration } from './web/api/accounts.js';
import { SIGNUP_OPTIONS } from './web/api/community.js';
import { parseOriginList } from './web/origin.js';
import { allowedHostsOption, sourceMapsOption } from './web/web-cli.js';

/** The database named for logs and messages: a PostgreSQL URL without its password. */
function databaseName(db: string): string {
  return isPostgresUrl(db) ? redactedPgUrl(db) : db;
}

/** Opens the server's store: PostgreSQL for a postgres:// URL, else the SQLite file (created if missing). */
function openServerStore(options: RunOptions): Promise<Store> {
  if (isPostgresUrl(options.db)) {
    return openPgStore(options.db, { durability: options.durability, demoAccounts: true });
  }
  return openSqliteStore(options.db, {
    durability: options.durability,
    checkIntegrity: true,
    busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS,
  });
}

/** The options commander parsed; those generated from an option table are read with `fromTable` (option-cli.ts). */
interface RunOptions {
  listenAddr?: string;
  listenPort: number;
  broadcastAddr: string;
  udpPort: number;
  discovery: boolean;
  name: string;
  db: string;
  persistMoves: boolean;
  durability: Durability;
  rehashPasswords: boolean;
  tls: boolean;
  tlsCert?: string;
  tlsKey?: string;
  plain: 'allow' | 'refuse';
  trustProxy?: string[];
  botName: string;
  maxBotGames: number;
  botThreads: number;
  openings: string;
  guests: 'on' | 'off';
  egdbPieces: number;
  cluster?: string;
  nodeName?: string;
  web: boolean;
  webOrigin?: string[];
  allowedHosts?: string[];
  webSourceMaps?: boolean;
  registration: Registration;
  metricsListen?: MetricsAddress;
  verbose?: boolean;
  quiet?: boolean;
}

/** --egdb-pieces: 0 (none) or 2 to MAX_EGDB_PIECES. */
function parseEgdbPieces(value: string): number {
  const pieces = Number(value);
  if (!/^\d+$/.test(value.trim()) || pieces === 1 || pieces > MAX_EGDB_PIECES)
    throw new InvalidArgumentError(`expected 0 (no endgame databases) or 2 to ${MAX_EGDB_PIECES} pieces.`);
  return pieces;
}

/** A Redis URL for --cluster, checked here so that a typo is one line at startup. */
function parseRedisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`${value} is not a URL; give redis://HOST:PORT`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new InvalidArgumentError(`${value} is not a Redis URL; give redis://HOST:PORT`);
  return value;
}

async function runServer(options: RunOptions): Promise<void> {
  const level: LogLevel = options.verbose ? 'debug' : options.quiet ? 'warn' : 'info';
  const statsIntervalMs = statsIntervalFrom(process.env[STATS_INTERVAL_ENV]);
  const log = createLogger(level);
  const timing = fromTable(TIMING_OPTIONS, options);
  // What needs no database is checked first: a start that fails leaves no new database behind.
  const conflict = optionConflict({ ...options, botAfterMs: timing.botAfterMs });
  if (conflict) throw new UserError(conflict);
  const operatorCertificate =
    options.tls && (options.tlsCert || options.tlsKey) ? await certificateFor(options) : undefined;
  // Then the database: a corrupt or unwritable one stops the start before anything else happens.
  const store = await openServerStore(options);
  try {
    await refuseUnsafeAccounts(store, { db: options.db, botName: options.botName, botAfterMs: timing.botAfterMs });
  } catch (error) {
    store.close();
    throw error;
  }
  // The self-signed certificate lives beside the database, so it comes after it.
  const certificate =
    operatorCertificate ??
    (options.tls
      ? await certificateFor(options).catch((error: unknown) => {
          store.close();
          throw error;
        })
      : undefined);
  if (certificate) {
    log.info(
      { fingerprint: certificate.fingerprint, file: certificate.certFile, created: certificate.created },
      'TLS certificate (SHA-256 fingerprint; `checkers-server tls fingerprint` prints it)',
    );
  }
  if (certificate && options.plain === 'allow') {
    log.warn(
      'plain connections are allowed: old clients send passwords in clear; pass --plain refuse on a public server',
    );
  }
  const server = new CheckersServer({
    ...(options.cluster
      ? { cluster: { url: options.cluster, node: options.nodeName ?? `${hostname()}:${options.listenPort}` } }
      : {}),
    listenAddress: options.listenAddr,
    listenPort: options.listenPort,
    discovery: options.discovery
      ? { broadcastAddress: options.broadcastAddr, sourcePort: options.udpPort, name: options.name }
      : undefined,
    timing,
    persistMoves: options.persistMoves,
    rehashPasswords: options.rehashPasswords,
    limits: fromTable(LIMIT_OPTIONS, options),
    tls: certificate && { cert: certificate.cert, key: certificate.key, fingerprint: certificate.fingerprintBytes },
    plain: options.plain,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    web: options.web && {
      ...(options.webOrigin ? { allowedOrigins: options.webOrigin } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.webSourceMaps ? { sourceMaps: true } : {}),
    },
    community: { registration: options.registration, signup: fromTable(SIGNUP_OPTIONS, options) },
    metricsListen: options.metricsListen,
    houseBot: { name: options.botName, maxGames: options.maxBotGames, threads: options.botThreads },
    openings: options.openings === 'none' ? undefined : { deck: OPENING_DECKS[options.openings] ?? [] },
    guests: options.guests === 'on',
    endgame:
      options.egdbPieces === 0
        ? undefined
        : { dir: join(dataDirectoryOf(options.db), 'egdb'), pieces: options.egdbPieces },
    store,
    log,
  });
  try {
    await server.start();
  } catch (error) {
    store.close();
    throw error;
  }
  log.info({ db: databaseName(options.db) }, 'database open');
  announceStart(log, {
    listenAddress: options.listenAddr,
    port: server.port,
    web: options.web,
    httpsOnly: certificate !== undefined && options.plain === 'refuse',
    metrics: options.metricsListen && { host: options.metricsListen.host, port: server.metricsPort },
  });
  if (statsIntervalMs !== undefined) startProcessStats(log, statsIntervalMs);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Both ends of the shutdown exit the process, so this timer need not be unreferenced.
    systemClock.after(5000, () => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    });
    server
      .stop()
      .then(() => {
        store.close();
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function parseWebOrigins(value: string): string[] {
  try {
    return parseOriginList(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseMetricsListen(value: string): MetricsAddress {
  const address = parseMetricsAddress(value);
  if (!address) throw new InvalidArgumentError('expected [ADDRESS:]PORT, such as 9464, 127.0.0.1:9464 or [::1]:9464.');
  return address;
}

const program = new Command('checkers-server')
  .description('Checkers (English draughts) server speaking protocol version 1.')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .addOption(
    new Option('--listen-addr <ADDRESS>', 'address to listen on (default: every interface, IPv4 and IPv6)')
      .env('CHECKERS_LISTEN_ADDR')
      .argParser(parseIpAddress),
  )
  .addOption(
    new Option('--listen-port <PORT>', 'TCP port for games')
      .env('CHECKERS_LISTEN_PORT')
      .argParser((value) => parsePort(value))
      .default(8864),
  )
  .addOption(
    new Option('--broadcast-addr <ADDRESS>', 'where discovery beacons go')
      .env('CHECKERS_BROADCAST_ADDR')
      .argParser(parseIpv4Address)
      .default('255.255.255.255'),
  )
  .addOption(
    new Option('--udp-port <PORT>', 'source port of discovery beacons (0 = any)')
      .env('CHECKERS_UDP_PORT')
      .argParser((value) => parsePort(value))
      .default(0),
  )
  .addOption(
    new Option('--no-discovery', 'no discovery: neither beacons nor answers to probes').env('CHECKERS_NO_DISCOVERY'),
  )
  .addOption(
    new Option('--name <NAME>', 'server name announced to clients on the local network')
      .env('CHECKERS_NAME')
      .default(hostname()),
  )
  .addOption(
    dbOption(
      'SQLite database file (created with the demo accounts if missing), or postgres://USER:PASSWORD@HOST:PORT/DB (tables created if missing)',
    ),
  )
  .addOption(tableOption(TIMING_OPTIONS.moveTimeoutMs))
  .addOption(tableOption(TIMING_OPTIONS.reconnectGraceMs))
  .addOption(
    new Option(
      '--durability <full|normal>',
      'full: each commit is on disk (fsync) before its replies go out, surviving a power loss; normal: survives a crash of the server, not a power loss',
    )
      .env('CHECKERS_DURABILITY')
      .choices(['full', 'normal'])
      .default(DEFAULT_DURABILITY),
  )
  .addOption(tableOption(TIMING_OPTIONS.storageOutageLimitMs))
  .addOption(
    new Option(
      '--no-persist-moves',
      'do not store games in progress (only to measure what that costs: a restart then loses them)',
    ).env('CHECKERS_NO_PERSIST_MOVES'),
  )
  .addOption(
    new Option(
      '--no-rehash-passwords',
      'keep password hashes made at a lower cost instead of rehashing them at login (only for benchmarks)',
    ).env('CHECKERS_NO_REHASH_PASSWORDS'),
  )
  .addOption(
    new Option('--plain <allow|refuse>', 'plain (unencrypted) version-1 connections; refuse on a public server')
      .env('CHECKERS_PLAIN')
      .choices(['allow', 'refuse'])
      .default('allow'),
  )
  .addOption(
    new Option(
      '--trust-proxy <ADDRESS[,ADDRESS]>',
      "load balancers whose connections start with a PROXY header (v1 or v2) giving the client's address, which the per-address limits then count",
    )
      .env('CHECKERS_TRUST_PROXY')
      .argParser((value) => {
        try {
          return parseTrustedProxies(value);
        } catch (error) {
          throw new InvalidArgumentError(`${(error as Error).message}; expected IP addresses separated by commas.`);
        }
      }),
  )
  .addOption(tableOption(TIMING_OPTIONS.botAfterMs))
  .addOption(
    new Option('--bot-name <NAME>', 'account name of the house bot (created if missing; nobody can log in as it)')
      .env('CHECKERS_BOT_NAME')
      .default(DEFAULT_BOT_NAME),
  )
  .addOption(
    new Option(
      '--max-bot-games <N>',
      'house-bot games at once (lonely players and Play the computer); beyond it lonely players keep waiting and Play the computer is told the computer is busy',
    )
      .env('CHECKERS_MAX_BOT_GAMES')
      .argParser((value) => parseCount(value, 1))
      .default(DEFAULT_MAX_BOT_GAMES),
  )
  .addOption(
    new Option(
      '--bot-threads <N>',
      "worker threads for the house bot's engine (0 = think on the event loop, 20,000 nodes a move)",
    )
      .env('CHECKERS_BOT_THREADS')
      .argParser((value) => parseCount(value, 0))
      .default(defaultBotThreads(), 'cores - 1, from 1 to 4'),
  )
  .addOption(
    new Option(
      '--openings <none|three-move>',
      'rated games paired from the version-2 queue start from a ballot of this deck (three-move: the 156 ACF ballots), its moves already played',
    )
      .env('CHECKERS_OPENINGS')
      .choices(['none', ...Object.keys(OPENING_DECKS)])
      .default('none'),
  )
  .addOption(
    new Option(
      '--guests <on|off>',
      'version-2 visitors may play casual games without an account, as a guest under a generated name (guest-NNNNN)',
    )
      .env('CHECKERS_GUESTS')
      .choices(['on', 'off'])
      .default('on'),
  )
  .addOption(
    new Option(
      '--egdb-pieces <N>',
      'endgame databases for the house bot and the analysis up to N pieces (2 to 5), in egdb/ beside the database, generated in the background on first start; 0 = none',
    )
      .env('CHECKERS_EGDB_PIECES')
      .argParser(parseEgdbPieces)
      .default(DEFAULT_EGDB_PIECES),
  )
  .addOption(
    new Option('--cluster <URL>', 'join a cluster of nodes over Redis (redis://HOST:PORT); off: this node alone')
      .env('CHECKERS_CLUSTER')
      .argParser(parseRedisUrl),
  )
  .addOption(
    new Option('--node-name <NAME>', "this node's name in the cluster, unique (default: host name:listen port)").env(
      'CHECKERS_NODE_NAME',
    ),
  )
  .addOption(new Option('--no-tls', 'no TLS: plain connections only, as a version-1 server').env('CHECKERS_NO_TLS'))
  .addOption(
    new Option('--no-web', 'no HTTP, HTTPS or WebSockets on the game port (no browser play)').env('CHECKERS_NO_WEB'),
  )
  .addOption(
    new Option(
      '--web-origin <ORIGIN[,ORIGIN]>',
      "other sites whose pages may open WebSockets here, such as https://play.example.org (default: the server's own origin only)",
    )
      .env('CHECKERS_WEB_ORIGIN')
      .argParser(parseWebOrigins),
  )
  .addOption(allowedHostsOption())
  .addOption(sourceMapsOption())
  .addOption(
    new Option(
      '--registration <open|closed>',
      'open: anyone may sign up from the web (POST /api/accounts); closed: accounts come from "user add" only',
    )
      .env('CHECKERS_REGISTRATION')
      .choices(['open', 'closed'])
      .default('closed'),
  )
  .addOption(
    new Option(
      '--metrics-listen <[ADDRESS:]PORT>',
      'serve Prometheus metrics at /metrics on this port, apart from the game port (loopback unless ADDRESS is given; default: off)',
    )
      .env('CHECKERS_METRICS_LISTEN')
      .argParser(parseMetricsListen),
  )
  .addOption(new Option('--verbose', 'log debug detail').env('CHECKERS_VERBOSE').conflicts('quiet'))
  .addOption(new Option('--quiet', 'log warnings and errors only').env('CHECKERS_QUIET'))
  .showHelpAfterError('(run with --help for usage)')
  // Options after a subcommand belong to it, so that `user list --db X` reads X.
  .enablePositionalOptions()
  .helpCommand(true)
  .action((options: RunOptions, command: Command) => {
    const [word] = command.args;
    if (word !== undefined) {
      const names = [...command.commands.map((sub) => sub.name()), 'help'];
      command.error(
        `error: unknown command ${quoted(word)}; the commands are ${names.join(', ')}, or none to run the server`,
        { code: 'commander.unknownCommand' },
      );
    }
    return runServer(options);
  });

for (const option of tlsFileOptions()) program.addOption(option);
for (const row of Object.values(LIMIT_OPTIONS)) program.addOption(tableOption(row).helpGroup('Limits against abuse:'));
for (const row of Object.values(SIGNUP_OPTIONS)) program.addOption(tableOption(row).helpGroup('Limits against abuse:'));

addUserCommands(program);
addDataCommands(program);

// After the subcommands, which would otherwise inherit it: the program itself reports stray words as unknown commands.
program.allowExcessArguments(true);

program.parseAsync().catch((error: unknown) => {
  if (
    error instanceof UserError ||
    error instanceof StoreError ||
    error instanceof ServerStartError ||
    error instanceof ClusterStartError
  ) {
    console.error(`checkers-server: ${error.message}`);
  } else if (error instanceof Error && error.name === 'ExitPromptError') {
    console.error('checkers-server: cancelled; nothing was changed');
  } else {
    console.error('checkers-server: unexpected error', error);
  }
  process.exit(1);
});
