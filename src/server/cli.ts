#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseCount, parseIpAddress, parseIpv4Address, parsePort } from '../common/cli-options.js';
import { passwordProblem, usernameProblem } from './accounts.js';
import { defaultBotThreads } from './bot-pool.js';
import { firstLine, packageVersion, quoted, readStdin, UserError } from './cli-support.js';
import { ClusterStartError } from './cluster/index.js';
import type { Account } from './domain/players.js';
import { wireRating } from './domain/rating.js';
import { DEFAULT_BOT_NAME, DEFAULT_MAX_BOT_GAMES, isHouseBotAccount } from './house-bot.js';
import { Limiter } from './limits/limiter.js';
import { LIMIT_OPTIONS } from './limits/limits.js';
import { createLogger, type LogLevel } from './logger.js';
import { type MetricsAddress, parseMetricsAddress } from './metrics.js';
import { fromTable, tableOption } from './option-cli.js';
import { askNewPassword } from './password-prompt.js';
import { hashPassword } from './passwords.js';
import { STATS_INTERVAL_ENV, startProcessStats, statsIntervalFrom } from './process-stats.js';
import { parseTrustedProxies } from './proxy-protocol.js';
import { CheckersServer, ServerStartError } from './server.js';
import { announceStart } from './start-banner.js';
import { optionConflict, refuseUnsafeAccounts } from './start-checks.js';
import { migrateToPostgres } from './store/migrate-to-postgres.js';
import { isPostgresUrl, redactedPgUrl } from './store/pg-open.js';
import { openPgStore } from './store/pg-store.js';
import { openSqliteStore, SERVER_BUSY_TIMEOUT_MS, type SqliteOpenOptions } from './store/sqlite-store.js';
import { describeStorageFailure } from './store/storage-fault.js';
import { DEFAULT_DURABILITY, type Durability, type OperatorStore, type Store, StoreError } from './store/store.js';
import { TIMING_OPTIONS } from './timing.js';
import { CertificateError, loadServerCertificate, type ServerCertificate } from './tls/certificate.js';
import { parseImport } from './user-import.js';
import type { Registration } from './web/api/accounts.js';
import { SIGNUP_OPTIONS } from './web/api/community.js';
import { gameToPdn } from './web/api/game-json.js';
import { parseOriginList } from './web/origin.js';
import { allowedHostsOption, sourceMapsOption } from './web/web-cli.js';

const DEFAULT_DB = 'data/checkers.db';

function dbOption(
  description = 'the SQLite database, or postgres://USER:PASSWORD@HOST:PORT/DB; it must exist (here or before the subcommand)',
): Option {
  return new Option('--db <PATH|URL>', description).env('CHECKERS_DB').default(DEFAULT_DB);
}

/** Where the server keeps its files (the self-signed certificate): beside an SQLite database, else the default folder. */
function dataDirectoryOf(db: string): string {
  return isPostgresUrl(db) ? resolve(dirname(DEFAULT_DB)) : dirname(resolve(db));
}

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

/**
 * The database a subcommand works on: --db given on its own command line
 * (`user list --db X`) or before the subcommand (`--db X user list`), else
 * CHECKERS_DB or the default.
 */
function databaseOf(command: Command): string {
  for (let at: Command | null = command; at; at = at.parent) {
    if (at.getOptionValueSource('db') === 'cli') return at.getOptionValue('db') as string;
  }
  return command.getOptionValue('db') as string;
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
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 5000);
    deadline.unref();
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

/** The operator's certificate, or the server's self-signed one beside the database. */
async function certificateFor(options: { db: string; tlsCert?: string; tlsKey?: string }): Promise<ServerCertificate> {
  try {
    return await loadServerCertificate({
      certFile: options.tlsCert,
      keyFile: options.tlsKey,
      dataDirectory: dataDirectoryOf(options.db),
      hostname: hostname(),
    });
  } catch (error) {
    if (error instanceof CertificateError) throw new UserError(error.message);
    throw error;
  }
}

function tlsFileOptions(): Option[] {
  return [
    new Option(
      '--tls-cert <FILE>',
      'PEM certificate (chain) to offer (default: a self-signed one beside the database)',
    ).env('CHECKERS_TLS_CERT'),
    new Option('--tls-key <FILE>', 'PEM private key of --tls-cert').env('CHECKERS_TLS_KEY'),
  ];
}

/**
 * Runs `work` on the existing database of `command` (never creating one), read-only
 * for the commands that only read. A database error becomes one line.
 */
async function withStore<T>(
  command: Command,
  mode: 'read' | 'write',
  work: (store: OperatorStore, path: string) => Promise<T> | T,
): Promise<T> {
  const path = databaseOf(command);
  if (isPostgresUrl(path)) return withPgStore(path, work);
  const options: SqliteOpenOptions = mode === 'read' ? { readOnly: true } : { mustExist: true };
  const store = await openSqliteStore(path, options);
  try {
    return await work(store, path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      const damaged = code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
      throw new StoreError(
        `the database ${path} ${damaged ? 'is damaged' : 'failed'}: ${(error as Error).message}` +
          (damaged ? '; restore a backup' : ''),
      );
    }
    throw error;
  } finally {
    store.close();
  }
}

/** As withStore, on PostgreSQL: a database without the checkers tables is refused, and a failed query is one line. */
async function withPgStore<T>(url: string, work: (store: OperatorStore, path: string) => Promise<T> | T): Promise<T> {
  const store = await openPgStore(url, { mustExist: true, poolSize: 2 });
  try {
    return await work(store, redactedPgUrl(url));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof UserError || error instanceof StoreError) && typeof code === 'string') {
      throw new StoreError(`the database ${redactedPgUrl(url)} failed: ${describeStorageFailure(error).text}`);
    }
    throw error;
  } finally {
    await store.end();
  }
}

/** Why an operator cannot create `name` or give it a password: it is the house bot's. */
function houseBotRefusal(name: string): string {
  return `${quoted(name)} is the house bot's account: it is reserved, and nobody logs in as it or gives it a password`;
}

/** A new password: from the first line of stdin, or asked twice on the terminal without echo. */
async function newPassword(name: string, fromStdin: boolean | undefined): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = firstLine(await readStdin());
  } else {
    if (!process.stdin.isTTY) throw new UserError('no terminal to ask for the password on; pass --password-stdin');
    const { password: ask } = await import('@inquirer/prompts');
    const asked = await askNewPassword(
      name,
      (message) => ask({ message, mask: '*' }),
      (text) => console.log(text),
    );
    if (!asked.ok) throw new UserError(`${asked.reason}; nothing was changed`);
    password = asked.password;
  }
  const problem = passwordProblem(password);
  if (problem) throw new UserError(`${problem}; nothing was changed`);
  return password;
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

const HASH_POOL = new Limiter(Math.max(1, availableParallelism()));

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
    new Option('--max-bot-games <N>', 'house-bot games at once; more lonely players keep waiting')
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

const user = program.command('user').description('manage accounts');

user
  .command('add')
  .description('create an account (asks for the password twice)')
  .argument('<NAME>', '1 to 16 printable ASCII characters')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .addOption(dbOption())
  .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
    const problem = usernameProblem(name);
    if (problem) throw new UserError(problem);
    if (isHouseBotAccount(name)) throw new UserError(houseBotRefusal(name));
    await withStore(command, 'write', async (store) => {
      const existing = await store.findAccount(name);
      if (existing) throw new UserError(`${existingAccount(name, existing.name)}; use "user passwd ${existing.name}"`);
      const hash = await hashPassword(await newPassword(name, options.passwordStdin));
      await store.createAccount(name, hash);
      console.log(`created ${name} (rating ${wireRating((await store.findAccount(name))?.rating.rating ?? 0)})`);
    });
  });

/** Names ignore case: the existing account is named as it is stored. */
/** Looks names up as `findAccount` does (any case, the exact spelling first) in accounts read once. */
function accountFinder(accounts: readonly Account[]): (name: string) => Account | undefined {
  // SQLite's NOCASE folds ASCII letters only.
  const fold = (name: string) => name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const exact = new Map<string, Account>();
  const anyCase = new Map<string, Account>();
  for (const account of accounts) {
    exact.set(account.name, account);
    if (!anyCase.has(fold(account.name))) anyCase.set(fold(account.name), account);
  }
  return (name) => exact.get(name) ?? anyCase.get(fold(name));
}

function existingAccount(given: string, stored: string): string {
  return `an account named ${quoted(stored)} already exists${given === stored ? '' : ' (names ignore case)'}`;
}

user
  .command('import')
  .description('create accounts from NAME:PASSWORD lines, all or none')
  .argument('<FILE>', 'file to read, or - for standard input')
  .addOption(dbOption())
  .action(async (file: string, _options: unknown, command: Command) => {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
    }
    await withStore(command, 'write', async (store) => {
      const find = accountFinder(await store.listAccounts());
      const reading = parseImport(text, (name) => {
        const existing = find(name);
        if (existing && isHouseBotAccount(existing.name, existing.passwordHash)) return houseBotRefusal(name);
        if (existing) return existingAccount(name, existing.name);
        return isHouseBotAccount(name) ? houseBotRefusal(name) : undefined;
      });
      if (!reading.ok) throw new UserError(`${file} line ${reading.line}: ${reading.reason}; nothing was imported`);
      const accounts = await Promise.all(
        reading.accounts.map(async ({ name, password }) => ({
          name,
          passwordHash: await HASH_POOL.run(() => hashPassword(password)),
        })),
      );
      await store.createAccounts(accounts);
      console.log(`imported ${accounts.length} account${accounts.length === 1 ? '' : 's'}`);
    });
  });

user
  .command('passwd')
  .description('change the password of an account')
  .argument('<NAME>')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .addOption(dbOption())
  .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
    await withStore(command, 'write', async (store) => {
      const account = await store.findAccount(name);
      if (!account) throw new UserError(`no account named ${quoted(name)}; see "user list"`);
      if (isHouseBotAccount(account.name, account.passwordHash)) throw new UserError(houseBotRefusal(account.name));
      await store.setPassword(account.name, await hashPassword(await newPassword(account.name, options.passwordStdin)));
      console.log(`password of ${account.name} changed`);
    });
  });

user
  .command('remove')
  .description(
    'delete an account (its finished games stay, under its name; a running server ends its session within seconds, its game as a forfeit)',
  )
  .argument('<NAME>')
  .addOption(dbOption())
  .action(async (name: string, _options: unknown, command: Command) => {
    await withStore(command, 'write', async (store) => {
      const account = await store.findAccount(name);
      if (!account || !(await store.removeAccount(account.name)))
        throw new UserError(`no account named ${quoted(name)}; see "user list"`);
      console.log(`removed ${account.name}`);
    });
  });

user
  .command('rename')
  .description('rename an account, in its recorded games too (a player online keeps the old name until the next login)')
  .argument('<NAME>', 'the account, in any case (the exact spelling first)')
  .argument('<NEW>', 'its new name')
  .addOption(dbOption())
  .action(async (name: string, newName: string, _options: unknown, command: Command) => {
    const problem = usernameProblem(newName);
    if (problem) throw new UserError(problem);
    await withStore(command, 'write', async (store) => {
      const account = await store.findAccount(name);
      if (!account) throw new UserError(`no account named ${quoted(name)}; see "user list"`);
      if (isHouseBotAccount(account.name, account.passwordHash) || isHouseBotAccount(newName)) {
        throw new UserError(houseBotRefusal(isHouseBotAccount(newName) ? newName : account.name));
      }
      if (!(await store.renameAccount(account.id, newName))) {
        const holder = await store.findAccount(newName);
        throw new UserError(existingAccount(newName, holder?.name ?? newName));
      }
      console.log(`renamed ${account.name} to ${newName}`);
    });
  });

user
  .command('list')
  .description('every account with its rating and results')
  .addOption(dbOption())
  .action(async (_options: unknown, command: Command) => {
    await withStore(command, 'read', async (store) => {
      const rows = (await store.listAccounts()).map((account) => [
        account.name,
        wireRating(account.rating.rating),
        account.games,
        account.wins,
        account.losses,
        account.draws,
      ]);
      printTable(['name', 'rating', 'games', 'wins', 'losses', 'draws'], rows);
    });
  });

program
  .command('games')
  .description('finished games')
  .command('export')
  .description('write finished games as PDN')
  .option('--user <NAME>', 'only the games of this account')
  .option('--out <FILE>', 'write to this file instead of standard output')
  .addOption(dbOption())
  .action(async (options: { user?: string; out?: string }, command: Command) => {
    await withStore(command, 'read', async (store) => {
      const games = await store.listGames(options.user === undefined ? {} : { user: options.user });
      // A removed account's games stay under its name, so only a name with no account and no game is unknown.
      if (options.user !== undefined && games.length === 0 && !(await store.findAccount(options.user))) {
        throw new UserError(`no account named ${quoted(options.user)}, and no game under that name; see "user list"`);
      }
      const text = games.map(gameToPdn).join('\n');
      if (options.out) writeOutput(options.out, text);
      else process.stdout.write(text);
    });
  });

function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EISDIR'
          ? 'it is a directory; name a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (error as Error).message;
    throw new UserError(`cannot write ${file}: ${why}`);
  }
}

const tls = program.command('tls').description('the TLS certificate');

const fingerprint = tls.command('fingerprint');
for (const option of tlsFileOptions()) fingerprint.addOption(option);
fingerprint
  .description("print the SHA-256 fingerprint of the server's certificate (creating the self-signed one if missing)")
  .addOption(
    dbOption('the SQLite database; the self-signed certificate is in its directory (data/ for a PostgreSQL database)'),
  )
  .action(async (options: { tlsCert?: string; tlsKey?: string }, command: Command) => {
    const db = databaseOf(command);
    // The self-signed certificate lives beside the server's database: a mistyped --db would make a stranger one.
    if (!options.tlsCert && !isPostgresUrl(db) && !existsSync(db)) {
      throw new UserError(
        `there is no database at ${db}; check --db (the server creates it, and its certificate, when it first starts)`,
      );
    }
    const certificate = await certificateFor({ ...options, db });
    console.log(certificate.fingerprint);
  });

program
  .command('backup')
  .description('copy the database to FILE, safely, even while the server runs')
  .argument('<FILE>', 'where the copy goes (a SQLite database)')
  .addOption(dbOption())
  .action(async (file: string, _options: unknown, command: Command) => {
    if (isPostgresUrl(databaseOf(command))) {
      throw new UserError(
        `backup copies an SQLite database; for PostgreSQL use pg_dump (pg_dump --format=custom --file=${file} "${redactedPgUrl(databaseOf(command))}", with the real password)`,
      );
    }
    await withStore(command, 'read', async (store, db) => {
      if (existsSync(file)) throw new UserError(`${file} already exists; choose a new file name`);
      if (!store.backup) throw new UserError('backup copies an SQLite database; for PostgreSQL use pg_dump');
      await store.backup(file);
      console.log(`backed up ${db} to ${file}`);
    });
  });

program
  .command('db')
  .description('the database')
  .command('migrate-to-postgres')
  .description(
    'copy an SQLite database (accounts with their passwords, ratings, finished games, games in progress) into an empty PostgreSQL database, in one transaction; stop the server first',
  )
  .requiredOption('--from <FILE>', 'the SQLite database to copy')
  .addOption(
    new Option('--db <URL>', 'the PostgreSQL database to fill: postgres://USER:PASSWORD@HOST:PORT/DB, empty')
      .env('CHECKERS_DB')
      .makeOptionMandatory(),
  )
  .action(async (options: { from: string }, command: Command) => {
    const url = databaseOf(command);
    const copied = await migrateToPostgres(options.from, url);
    console.log(
      `copied ${copied.accounts} accounts, ${copied.games} finished games and ${copied.live} games in progress ` +
        `from ${options.from} to ${redactedPgUrl(url)}`,
    );
  });

function printTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  for (const row of cells) {
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? String(cell).padEnd(widths[column] ?? 0) : String(cell).padStart(widths[column] ?? 0),
        )
        .join('  '),
    );
  }
}

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
