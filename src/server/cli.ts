#!/usr/bin/env node
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  formatRate,
  parseCount,
  parseIpAddress,
  parseIpv4Address,
  parsePort,
  parseRate,
  parseSeconds,
} from '../common/cli-options.js';
import { writePdn } from '../game/pdn.js';
import { passwordProblem, usernameProblem } from './accounts.js';
import { firstLine, readStdin, UserError } from './cli-support.js';
import { DEFAULT_BOT_NAME, DEFAULT_MAX_BOT_GAMES } from './house-bot.js';
import { Limiter } from './limits/limiter.js';
import { DEFAULT_LIMITS, type ServerLimits } from './limits/limits.js';
import type { RateLimit } from './limits/token-bucket.js';
import { createLogger, type LogLevel } from './logger.js';
import { hashPassword } from './passwords.js';
import { STATS_INTERVAL_ENV, startProcessStats, statsIntervalFrom } from './process-stats.js';
import { wireRating } from './rating.js';
import { CheckersServer, DEFAULT_RECONNECT_GRACE_SECONDS, ServerStartError } from './server.js';
import { openSqliteStore, type SqliteStore, StoreError } from './store/sqlite-store.js';
import type { StoredGame } from './store/store.js';
import { CertificateError, loadServerCertificate, type ServerCertificate } from './tls/certificate.js';
import { parseImport } from './user-import.js';

const DEFAULT_DB = 'data/checkers.db';

function dbOption(): Option {
  return new Option('--db <PATH>', 'SQLite database file (created with the demo accounts if missing)')
    .env('CHECKERS_DB')
    .default(DEFAULT_DB);
}

interface RunOptions {
  listenAddr?: string;
  listenPort: number;
  broadcastAddr: string;
  udpPort: number;
  discovery: boolean;
  name: string;
  db: string;
  moveTimeout: number;
  reconnectGrace: number;
  persistMoves: boolean;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  connectionRate: RateLimit;
  messageRate: RateLimit;
  addressMessageRate: RateLimit;
  loginRate: RateLimit;
  addressLoginRate: RateLimit;
  throttleLimit: number;
  loginTimeout: number;
  messagesPerTurn: number;
  maxOutputKib: number;
  hashConcurrency: number;
  tls: boolean;
  tlsCert?: string;
  tlsKey?: string;
  plain: 'allow' | 'refuse';
  tlsHandshakeTimeout: number;
  maxTlsHandshakes: number;
  tlsHandshakeRate: RateLimit;
  botAfter: number;
  botName: string;
  maxBotGames: number;
  verbose?: boolean;
  quiet?: boolean;
}

async function runServer(options: RunOptions): Promise<void> {
  const level: LogLevel = options.verbose ? 'debug' : options.quiet ? 'warn' : 'info';
  const statsIntervalMs = statsIntervalFrom(process.env[STATS_INTERVAL_ENV]);
  const log = createLogger(level);
  const certificate = options.tls ? await certificateFor(options) : undefined;
  if (certificate) {
    log.info(
      { fingerprint: certificate.fingerprint, file: certificate.certFile, created: certificate.created },
      'TLS certificate (SHA-256 fingerprint; `checkers-server tls fingerprint` prints it)',
    );
  }
  if (!certificate && options.plain === 'refuse') {
    throw new UserError('--plain refuse with --no-tls would refuse every connection; drop one of them');
  }
  if (certificate && options.plain === 'allow') {
    log.warn(
      'plain connections are allowed: old clients send passwords in clear; pass --plain refuse on a public server',
    );
  }
  const store = await openSqliteStore(options.db);
  const server = new CheckersServer({
    listenAddress: options.listenAddr,
    listenPort: options.listenPort,
    discovery: options.discovery
      ? { broadcastAddress: options.broadcastAddr, sourcePort: options.udpPort, name: options.name }
      : undefined,
    moveTimeoutSeconds: options.moveTimeout,
    reconnectGraceSeconds: options.reconnectGrace,
    persistMoves: options.persistMoves,
    limits: limitsFrom(options),
    tls: certificate && { cert: certificate.cert, key: certificate.key, fingerprint: certificate.fingerprintBytes },
    plain: options.plain,
    houseBot:
      options.botAfter > 0
        ? { afterSeconds: options.botAfter, name: options.botName, maxGames: options.maxBotGames }
        : undefined,
    store,
    log,
  });
  try {
    await server.start();
  } catch (error) {
    store.close();
    throw error;
  }
  log.info({ db: options.db }, 'database open');
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

function limitsFrom(options: RunOptions): ServerLimits {
  return {
    ...DEFAULT_LIMITS,
    maxConnections: options.maxConnections,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress,
    connectionRatePerAddress: options.connectionRate,
    messageRate: options.messageRate,
    messageRatePerAddress: options.addressMessageRate,
    loginRate: options.loginRate,
    loginRatePerAddress: options.addressLoginRate,
    throttleLimitMs: options.throttleLimit * 1000,
    loginTimeoutMs: options.loginTimeout * 1000,
    messagesPerTurn: options.messagesPerTurn,
    maxPendingOutputBytes: options.maxOutputKib * 1024,
    hashConcurrency: options.hashConcurrency,
    tlsHandshakeTimeoutMs: options.tlsHandshakeTimeout * 1000,
    maxTlsHandshakes: options.maxTlsHandshakes,
    tlsHandshakeRatePerAddress: options.tlsHandshakeRate,
  };
}

/** The operator's certificate, or the server's self-signed one beside the database. */
async function certificateFor(options: { db: string; tlsCert?: string; tlsKey?: string }): Promise<ServerCertificate> {
  try {
    return await loadServerCertificate({
      certFile: options.tlsCert,
      keyFile: options.tlsKey,
      dataDirectory: dirname(resolve(options.db)),
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

/** The options for every limit, with their defaults from DEFAULT_LIMITS. */
function limitOptions(): Option[] {
  const rate = (flag: string, env: string, description: string, value: RateLimit) =>
    new Option(`${flag} <RATE[:BURST]>`, `${description}, per second (0 = no limit)`)
      .env(env)
      .argParser(parseRate)
      .default(value, formatRate(value));
  const count = (flag: string, env: string, description: string, value: number, lowest = 1) =>
    new Option(`${flag} <N>`, description)
      .env(env)
      .argParser((text) => parseCount(text, lowest))
      .default(value);
  const seconds = (flag: string, env: string, description: string, ms: number) =>
    new Option(`${flag} <SECONDS>`, description)
      .env(env)
      .argParser((text) => parseSeconds(text))
      .default(ms / 1000);
  const d = DEFAULT_LIMITS;
  return [
    count('--max-connections', 'CHECKERS_MAX_CONNECTIONS', 'connections held at once', d.maxConnections),
    count(
      '--max-connections-per-address',
      'CHECKERS_MAX_CONNECTIONS_PER_ADDRESS',
      'connections held at once from one IPv4 address or IPv6 /64',
      d.maxConnectionsPerAddress,
    ),
    rate(
      '--connection-rate',
      'CHECKERS_CONNECTION_RATE',
      'new connections from one address',
      d.connectionRatePerAddress,
    ),
    rate(
      '--message-rate',
      'CHECKERS_MESSAGE_RATE',
      'messages from one connection (a legal move is free)',
      d.messageRate,
    ),
    rate(
      '--address-message-rate',
      'CHECKERS_ADDRESS_MESSAGE_RATE',
      'messages from one address',
      d.messageRatePerAddress,
    ),
    rate('--login-rate', 'CHECKERS_LOGIN_RATE', 'login attempts on one connection', d.loginRate),
    rate(
      '--address-login-rate',
      'CHECKERS_ADDRESS_LOGIN_RATE',
      'login attempts from one address',
      d.loginRatePerAddress,
    ),
    seconds(
      '--throttle-limit',
      'CHECKERS_THROTTLE_LIMIT',
      'a connection held back this long in all by the rate limits is closed',
      d.throttleLimitMs,
    ),
    seconds(
      '--login-timeout',
      'CHECKERS_LOGIN_TIMEOUT',
      'a connection not logged in this long is closed (0 = never)',
      d.loginTimeoutMs,
    ),
    count(
      '--messages-per-turn',
      'CHECKERS_MESSAGES_PER_TURN',
      'messages handled per connection before the server turns to others',
      d.messagesPerTurn,
    ),
    count(
      '--max-output-kib',
      'CHECKERS_MAX_OUTPUT_KIB',
      'unsent output (KiB) at which a client that does not read is dropped',
      d.maxPendingOutputBytes / 1024,
    ),
    count('--hash-concurrency', 'CHECKERS_HASH_CONCURRENCY', 'password checks computed at once', d.hashConcurrency),
    seconds(
      '--tls-handshake-timeout',
      'CHECKERS_TLS_HANDSHAKE_TIMEOUT',
      'a TLS handshake not done in this time is dropped',
      d.tlsHandshakeTimeoutMs,
    ),
    count(
      '--max-tls-handshakes',
      'CHECKERS_MAX_TLS_HANDSHAKES',
      'TLS handshakes in progress at once; more are closed',
      d.maxTlsHandshakes,
    ),
    rate(
      '--tls-handshake-rate',
      'CHECKERS_TLS_HANDSHAKE_RATE',
      'TLS handshakes from one address',
      d.tlsHandshakeRatePerAddress,
    ),
  ];
}

async function withStore<T>(path: string, work: (store: SqliteStore) => Promise<T> | T): Promise<T> {
  const store = await openSqliteStore(path);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** A new password: from the first line of stdin, or asked twice on the terminal without echo. */
async function newPassword(name: string, fromStdin: boolean | undefined): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = firstLine(await readStdin());
  } else {
    if (!process.stdin.isTTY) throw new UserError('no terminal to ask for the password on; pass --password-stdin');
    const { password: ask } = await import('@inquirer/prompts');
    password = await ask({ message: `Password for ${name}:`, mask: '*' });
    const again = await ask({ message: 'Again, to be sure:', mask: '*' });
    if (again !== password) throw new UserError('the two passwords differ; nothing was changed');
  }
  const problem = passwordProblem(password);
  if (problem) throw new UserError(`${problem}; nothing was changed`);
  return password;
}

const HASH_POOL = new Limiter(Math.max(1, availableParallelism()));

const program = new Command('checkers-server')
  .description('Checkers (English draughts) server speaking protocol version 1.')
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
  .addOption(dbOption())
  .addOption(
    new Option('--move-timeout <SECONDS>', 'a player who does not move in time loses (0 = no limit)')
      .env('CHECKERS_MOVE_TIMEOUT')
      .argParser((value) => parseSeconds(value))
      .default(300),
  )
  .addOption(
    new Option(
      '--reconnect-grace <SECONDS>',
      'how long a game waits for a player whose connection dropped (0 = they forfeit at once)',
    )
      .env('CHECKERS_RECONNECT_GRACE')
      .argParser((value) => parseSeconds(value))
      .default(DEFAULT_RECONNECT_GRACE_SECONDS),
  )
  .addOption(
    new Option(
      '--no-persist-moves',
      'do not store games in progress (only to measure what that costs: a restart then loses them)',
    ).env('CHECKERS_NO_PERSIST_MOVES'),
  )
  .addOption(
    new Option('--plain <allow|refuse>', 'plain (unencrypted) version-1 connections; refuse on a public server')
      .env('CHECKERS_PLAIN')
      .choices(['allow', 'refuse'])
      .default('allow'),
  )
  .addOption(
    new Option('--bot-after <SECONDS>', 'a player alone in the queue this long plays the house bot (0 = never)')
      .env('CHECKERS_BOT_AFTER')
      .argParser((value) => parseSeconds(value))
      .default(0),
  )
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
  .addOption(new Option('--no-tls', 'no TLS: plain connections only, as a version-1 server').env('CHECKERS_NO_TLS'))
  .addOption(new Option('--verbose', 'log debug detail').env('CHECKERS_VERBOSE').conflicts('quiet'))
  .addOption(new Option('--quiet', 'log warnings and errors only').env('CHECKERS_QUIET'))
  .showHelpAfterError('(run with --help for usage)')
  // Options after a subcommand belong to it, so that `user list --db X` reads X.
  .enablePositionalOptions()
  .action((options: RunOptions) => runServer(options));

for (const option of tlsFileOptions()) program.addOption(option);
for (const option of limitOptions()) program.addOption(option.helpGroup('Limits against abuse:'));

const user = program.command('user').description('manage accounts');

user
  .command('add')
  .description('create an account (asks for the password twice)')
  .argument('<NAME>', '1 to 16 printable ASCII characters')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .addOption(dbOption())
  .action(async (name: string, options: { db: string; passwordStdin?: boolean }) => {
    const problem = usernameProblem(name);
    if (problem) throw new UserError(problem);
    await withStore(options.db, async (store) => {
      if (store.findAccount(name))
        throw new UserError(`an account named "${name}" already exists; use "user passwd ${name}"`);
      const hash = await hashPassword(await newPassword(name, options.passwordStdin));
      store.createAccount(name, hash);
      console.log(`created ${name} (rating ${wireRating(store.findAccount(name)?.rating.rating ?? 0)})`);
    });
  });

user
  .command('import')
  .description('create accounts from NAME:PASSWORD lines, all or none')
  .argument('<FILE>', 'file to read, or - for standard input')
  .addOption(dbOption())
  .action(async (file: string, options: { db: string }) => {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
    }
    await withStore(options.db, async (store) => {
      const reading = parseImport(text, (name) => store.findAccount(name) !== undefined);
      if (!reading.ok) throw new UserError(`${file} line ${reading.line}: ${reading.reason}; nothing was imported`);
      const accounts = await Promise.all(
        reading.accounts.map(async ({ name, password }) => ({
          name,
          passwordHash: await HASH_POOL.run(() => hashPassword(password)),
        })),
      );
      store.createAccounts(accounts);
      console.log(`imported ${accounts.length} account${accounts.length === 1 ? '' : 's'}`);
    });
  });

user
  .command('passwd')
  .description('change the password of an account')
  .argument('<NAME>')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .addOption(dbOption())
  .action(async (name: string, options: { db: string; passwordStdin?: boolean }) => {
    await withStore(options.db, async (store) => {
      if (!store.findAccount(name)) throw new UserError(`no account named "${name}"; see "user list"`);
      store.setPassword(name, await hashPassword(await newPassword(name, options.passwordStdin)));
      console.log(`password of ${name} changed`);
    });
  });

user
  .command('remove')
  .description('delete an account (its finished games stay, under its name)')
  .argument('<NAME>')
  .addOption(dbOption())
  .action(async (name: string, options: { db: string }) => {
    await withStore(options.db, (store) => {
      if (!store.removeAccount(name)) throw new UserError(`no account named "${name}"; see "user list"`);
      console.log(`removed ${name}`);
    });
  });

user
  .command('list')
  .description('every account with its rating and results')
  .addOption(dbOption())
  .action(async (options: { db: string }) => {
    await withStore(options.db, (store) => {
      const rows = store
        .listAccounts()
        .map((account) => [
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
  .action(async (options: { db: string; user?: string; out?: string }) => {
    await withStore(options.db, (store) => {
      const text = store
        .listGames(options.user === undefined ? {} : { user: options.user })
        .map(gameToPdn)
        .join('\n');
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
  });

const tls = program.command('tls').description('the TLS certificate');

const fingerprint = tls.command('fingerprint');
for (const option of tlsFileOptions()) fingerprint.addOption(option);
fingerprint
  .description("print the SHA-256 fingerprint of the server's certificate (creating the self-signed one if missing)")
  .addOption(dbOption())
  .action(async (options: { db: string; tlsCert?: string; tlsKey?: string }) => {
    const certificate = await certificateFor(options);
    console.log(certificate.fingerprint);
  });

program
  .command('backup')
  .description('copy the database to FILE, safely, even while the server runs')
  .argument('<FILE>', 'where the copy goes (a SQLite database)')
  .addOption(dbOption())
  .action(async (file: string, options: { db: string }) => {
    if (existsSync(file)) throw new UserError(`${file} already exists; choose a new file name`);
    await withStore(options.db, (store) => store.backup(file));
    console.log(`backed up ${options.db} to ${file}`);
  });

function gameToPdn(game: StoredGame): string {
  const result = { black: '1-0', white: '0-1', draw: '1/2-1/2', abandoned: '*' } as const;
  return writePdn({
    event: `checkers-server game ${game.id}`,
    date: game.startedAt,
    black: game.black.name,
    white: game.white.name,
    result: result[game.winner],
    moves: game.moves,
    tags: {
      BlackRating: String(wireRating(game.black.ratingBefore)),
      WhiteRating: String(wireRating(game.white.ratingBefore)),
      Termination: game.termination,
    },
  });
}

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

program.parseAsync().catch((error: unknown) => {
  if (error instanceof UserError || error instanceof StoreError || error instanceof ServerStartError) {
    console.error(`checkers-server: ${error.message}`);
  } else if (error instanceof Error && error.name === 'ExitPromptError') {
    console.error('checkers-server: cancelled; nothing was changed');
  } else {
    console.error('checkers-server: unexpected error', error);
  }
  process.exit(1);
});
