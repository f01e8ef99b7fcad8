#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseCount, parseIpv4Address, parsePort, parseSeconds } from '../common/option-parsers.js';
import { type FoundGroup, type FoundServer, findServers, groupByCluster } from '../discovery/finder.js';
import type { AnyMessage } from '../protocol/index.js';
import { parseCredentials, runBot } from './bot.js';
import { ProtocolConnection } from './connection.js';
import { KnownServers, serverKey } from './known-servers.js';
import { LineInput } from './line-input.js';
import { printable } from './printable.js';
import type { RenderStyle } from './render.js';
import { expandServers, parseHostOption, ServerRotation } from './server-list.js';
import { type CredentialSource, IN_GAME_COMMANDS, TerminalClient } from './terminal-client.js';
import { openTransport } from './transport.js';
import { DEFAULT_MOVE_TIMEOUT_SECONDS } from './turn-clock.js';
import { GAME_COMMANDS_V2 } from './v2/commands.js';
import type { ColourChoice, OpeningChoice, ServerPlace } from './v2/friends.js';
import { logInAsGuest, logInVersion2 } from './v2/login.js';
import { addPlayOptions, readPlayOptions } from './v2/play-options.js';
import { TerminalGame } from './v2/terminal-game.js';
import { DEFAULT_TIME_CONTROL, parseTimeControl, TIME_CONTROLS, type TimeControl } from './v2/time-control.js';
import { packageVersion } from './version.js';

interface ClientOptions {
  host?: string[];
  serverIp?: string;
  port: number;
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  discoveryTimeout: number;
  broadcastAddr: string;
  listServers?: boolean;
  ascii?: boolean;
  color: boolean;
  verbose?: boolean;
  tls?: boolean;
  plain?: boolean;
  ca?: string;
  trustNew?: boolean;
  forgetServer?: string;
  bot?: boolean;
  bots?: number;
  credentials?: string;
  level: number;
  games: number;
  moveTime?: number;
  moveTimeout: number;
  timeout: number;
  timeControl?: TimeControl;
  protocol: 1 | 2;
  computer?: number;
  rated?: boolean;
  colour?: ColourChoice;
  opening?: OpeningChoice;
  challenge?: string;
  join?: Uint8Array;
  guest?: boolean;
}

/** Computer players over the real protocol (`--bot`, or `--bots N` with `--credentials FILE`), one line per game. */
/** The first line of a stream (for --password-stdin without a terminal). */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline).replace(/\r$/, '');
  }
  return text === '' ? undefined : text;
}

async function runBots(servers: ServerRotation, options: ClientOptions, announcedTls: boolean): Promise<number> {
  let accounts: Array<{ username: string; password: string }>;
  if (options.bots !== undefined) {
    if (!options.credentials) throw new Error('--bots N needs --credentials FILE with NAME:PASSWORD lines');
    accounts = parseCredentials(readFileSync(options.credentials, 'utf8')).slice(0, options.bots);
    if (accounts.length < options.bots) {
      throw new Error(
        `--bots ${options.bots} needs ${options.bots} accounts; ${options.credentials} has ${accounts.length}`,
      );
    }
  } else {
    if (!options.username || options.password === undefined) {
      throw new Error('--bot needs --username and --password (or --password-stdin)');
    }
    accounts = [{ username: options.username, password: options.password }];
  }
  const summaries = await Promise.all(
    accounts.map(async ({ username, password }) => {
      const connection = await connectTo(servers, options, announcedTls);
      return runBot(connection, {
        username,
        password,
        level: options.level,
        games: options.games,
        ...(options.moveTime === undefined ? {} : { timeMs: options.moveTime }),
        report: (line) => process.stdout.write(`${username}: ${line}\n`),
      });
    }),
  );
  const total = summaries.reduce(
    (sum, summary) => ({
      played: sum.played + summary.played,
      won: sum.won + summary.won,
      lost: sum.lost + summary.lost,
      drawn: sum.drawn + summary.drawn,
    }),
    { played: 0, won: 0, lost: 0, drawn: 0 },
  );
  if (accounts.length > 1) {
    process.stdout.write(`${total.played} games: ${total.won} won, ${total.lost} lost, ${total.drawn} drawn\n`);
  }
  return Math.max(...summaries.map((summary) => summary.code));
}

/** Where the last connection went: the web client shares its port, so invite links name it. */
let lastPlace: ServerPlace | undefined;

/** Asks before trusting a certificate no authority vouches for, as SSH does for a new host key. */
async function confirmNewCertificate(fingerprint: string, key: string, options: ClientOptions): Promise<boolean> {
  const intro = `The server ${key} shows a certificate no trusted authority vouches for (self-signed).
Its SHA-256 fingerprint is
  ${fingerprint}
The operator can print theirs with: checkers-server tls fingerprint
`;
  if (options.trustNew) {
    process.stderr.write(`${intro}Trusting it from now on (--trust-new).
`);
    return true;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(intro);
    return false;
  }
  process.stdout.write(intro);
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: 'Trust this certificate for this server from now on?', default: false });
}

/**
 * Opens the connection with TLS when the server offers it (see transport.ts), and says how: to the
 * first of the known addresses that answers (several --host values, every address of a name, every
 * node of a cluster found on the local network), starting with the one that answered last.
 */
async function connectTo(servers: ServerRotation, options: ClientOptions, announcedTls = false) {
  const { value: transport, server } = await servers.connect((to) =>
    openTransport({
      host: to.host,
      address: to.address,
      port: to.port,
      mode: options.plain ? 'plain' : options.tls || announcedTls ? 'tls' : 'auto',
      ca: options.ca === undefined ? undefined : readCa(options.ca),
      knownServers: new KnownServers(),
      confirmNew: (fingerprint, key) => confirmNewCertificate(fingerprint, key, options),
      warn: (text) => process.stderr.write(`Warning: ${text}\n`),
      timeoutMs: options.timeout * 1000,
    }),
  );
  lastPlace = { host: server.host, port: server.port, tls: transport.tls };
  const via = server.address === server.host ? '' : ` (${server.address})`;
  process.stdout.write(`Connected to ${server.host}${via} port ${server.port} (${transport.description}).\n`);
  return new ProtocolConnection(transport.stream, { loginAnswerMs: options.timeout * 1000 });
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --ca ${file}: ${(error as Error).message}`);
  }
}

function isUtf8Locale(): boolean {
  const locale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '';
  return /utf-?8/i.test(locale);
}

function renderStyle(options: ClientOptions): RenderStyle {
  const colorAllowed = process.env.NO_COLOR === undefined || process.env.NO_COLOR === '';
  return {
    color: options.color && colorAllowed && process.stdout.isTTY === true && process.env.TERM !== 'dumb',
    unicode: !options.ascii && isUtf8Locale(),
  };
}

/** On a terminal, asks with hidden password entry; otherwise reads lines from standard input. */
function credentialSource(options: ClientOptions, lines: LineInput | undefined): CredentialSource {
  return async (previous, attempt) => {
    const first = attempt === 1;
    if (lines) {
      const username = first && options.username ? options.username : await lines.ask('Username: ');
      const password = first && options.password !== undefined ? options.password : await lines.ask('Password: ');
      return username === undefined || password === undefined ? undefined : { username, password };
    }
    const { input, password } = await import('@inquirer/prompts');
    const username =
      first && options.username ? options.username : await input({ message: 'Username', default: previous ?? '' });
    const secret = first && options.password !== undefined ? options.password : await password({ message: 'Password' });
    return { username, password: secret };
  };
}

function describeServer(server: FoundServer): string {
  const versions =
    server.lowest === server.highest ? `version ${server.lowest}` : `versions ${server.lowest}-${server.highest}`;
  const node = server.node === undefined ? '' : ` node "${printable(server.node)}"`;
  return `${server.address} port ${server.port}${server.name ? ` "${printable(server.name)}"` : ''}${node} (protocol ${versions}${server.tls ? ', TLS' : ''}${server.name ? '' : ', a version-1 server'})`;
}

/** Finds a server on the local network; with --list-servers, lists them all and exits. */
async function discover(options: ClientOptions): Promise<FoundGroup | number> {
  const seconds = options.discoveryTimeout;
  process.stdout.write(`Looking for servers on the local network (up to ${seconds} s)...\n`);
  const servers = await findServers({
    broadcastAddress: options.broadcastAddr,
    timeoutMs: seconds * 1000,
    all: options.listServers === true,
  });
  if (servers.length === 0) {
    process.stderr.write(
      `No server answered on the local network within ${seconds} s. Pass --host HOST (and --port PORT) to connect to one directly.\n`,
    );
    return 1;
  }
  if (options.listServers) {
    for (const server of servers) process.stdout.write(`${describeServer(server)}\n`);
    return 0;
  }
  // The nodes of one cluster are one server, with several addresses.
  const groups = groupByCluster(servers);
  const [first] = groups as [FoundGroup, ...FoundGroup[]];
  const describe = (group: FoundGroup) =>
    `${describeServer(group)}${group.sameCluster.length > 0 ? `, and ${group.sameCluster.length} more node(s) of it` : ''}`;
  if (groups.length > 1 && process.stdin.isTTY && process.stdout.isTTY) {
    const { select } = await import('@inquirer/prompts');
    return select({
      message: 'Several servers answered; which one?',
      choices: groups.map((group) => ({ name: describe(group), value: group })),
    });
  }
  process.stdout.write(
    `${groups.length > 1 ? `${groups.length} servers answered; taking the first: ` : 'Found '}${describe(first)}.\n`,
  );
  return first;
}

async function main(options: ClientOptions): Promise<number> {
  if (options.forgetServer !== undefined) {
    const key = /:\d+$/.test(options.forgetServer) ? options.forgetServer : serverKey(options.forgetServer, 8864);
    const known = new KnownServers();
    const forgotten = known.forget(key);
    process.stdout.write(forgotten ? `Forgot ${key}.\n` : `${key} was not in ${known.file}.\n`);
    return 0;
  }
  const play = readPlayOptions(options);
  if (!play.ok) {
    process.stderr.write(`${play.reason}.\n`);
    return 2;
  }
  const named = [...(options.host ?? []), ...(options.serverIp === undefined ? [] : [options.serverIp])];
  let servers: { host: string; port: number }[] = [];
  for (const value of named) {
    const server = parseHostOption(value, options.port);
    if (!server) throw new Error(`--host ${value}: give HOST, HOST:PORT or [IPV6]:PORT`);
    servers.push(server);
  }
  let announcedTls = false;
  if (servers.length === 0 || options.listServers) {
    const chosen = await discover(options);
    if (typeof chosen === 'number') return chosen;
    servers = [chosen, ...chosen.sameCluster].map((server) => ({ host: server.address, port: server.port }));
    // A server that announced TLS must not be talked to in plain: that would be a downgrade.
    announcedTls = chosen.tls;
  }
  const rotation = new ServerRotation(await expandServers(servers));
  if (options.bot || options.bots !== undefined) {
    if (options.passwordStdin && options.password === undefined) {
      options.password = (await readFirstLine(process.stdin)) ?? '';
    }
    return runBots(rotation, options, announcedTls);
  }
  const connection = await connectTo(rotation, options, announcedTls);
  // --verbose: every connection, the reconnects' too.
  const traced = (c: ProtocolConnection): ProtocolConnection => {
    if (options.verbose) c.trace = traceMessage;
    return c;
  };
  traced(connection);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const write = (text: string) => process.stdout.write(text);
  const reconnector = async () => traced(await connectTo(rotation, options, announcedTls));
  const client = new TerminalClient(connection, renderStyle(options), write, {
    reconnector,
    moveTimeoutSeconds: options.moveTimeout,
  });
  // Without a terminal, one line reader serves the password (--password-stdin) and then the moves.
  const lines = interactive ? undefined : new LineInput(process.stdin, process.stdout, false);
  const effective = options.passwordStdin && lines ? { ...options, password: await lines.ask('') } : options;
  if (options.passwordStdin && interactive) {
    process.stderr.write('--password-stdin needs the password piped in; asking instead.\n');
  }
  let playing: { client: { interrupt(input: LineInput): void }; input: LineInput } | undefined;
  process.on('SIGINT', () => {
    if (playing) playing.client.interrupt(playing.input);
    else {
      connection.close();
      process.exit(0);
    }
  });
  let ask = credentialSource(effective, lines);
  if (options.protocol === 2) {
    const outcome = play.value.guest
      ? await logInAsGuest(connection, write)
      : await logInVersion2(connection, ask, write);
    if (outcome.kind === 'exit') return outcome.code;
    if (outcome.kind === 'v2') {
      const input = lines ?? new LineInput(process.stdin, process.stdout, true);
      const inProgress = (outcome.loggedIn.flags & 1) !== 0;
      // A join takes the time control its maker chose; a guest's lobby asks for one only to invite.
      const asks = !inProgress && play.value.plan.kind !== 'join' && play.value.plan.kind !== 'lobby';
      const timeControl = options.timeControl ?? (asks ? await chooseTimeControl(input) : undefined);
      const game = new TerminalGame(
        connection,
        outcome.credentials.username,
        outcome.loggedIn,
        timeControl,
        renderStyle(options),
        write,
        {
          reconnector,
          moveTimeoutSeconds: options.moveTimeout,
          ...play.value,
          place: lastPlace,
        },
      );
      playing = { client: game, input };
      return game.play(input);
    }
    if (play.value.plan.kind !== 'seek') {
      process.stderr.write(
        'This server speaks only protocol version 1: it has no games against the computer on demand, challenges or invites.\n',
      );
      connection.close();
      return 1;
    }
    // Version 1 on the same connection, with the credentials already given.
    const known = outcome.credentials;
    const fallback = ask;
    ask = (previous, attempt) => (attempt === 1 ? Promise.resolve(known) : fallback(previous, attempt));
  }
  const first = await client.login(ask);
  if (typeof first === 'number') return first;
  const input = lines ?? new LineInput(process.stdin, process.stdout, true);
  playing = { client, input };
  return client.play(input, first);
}

/** --verbose's line for a message, with passwords, resume tokens and boards left out and names made printable. */
function traceMessage(direction: 'sent' | 'received', message: AnyMessage): void {
  const shown = {
    ...message,
    ...('opponent' in message ? { opponent: printable(message.opponent) } : {}),
    ...('password' in message ? { password: '***' } : {}),
    ...('token' in message ? { token: '***' } : {}),
    ...('board' in message ? { board: '[board]' } : {}),
  };
  process.stderr.write(`${direction === 'sent' ? '->' : '<-'} ${printable(JSON.stringify(shown))}\n`);
}

/**
 * The time control to seek: on a terminal the player is asked (Enter takes the
 * default); a script's lines are its moves, so without a terminal the default is taken.
 */
async function chooseTimeControl(input: LineInput): Promise<TimeControl | undefined> {
  const fallback = parseTimeControl(DEFAULT_TIME_CONTROL);
  if (!input.terminal) return fallback.ok ? fallback.timeControl : undefined;
  for (;;) {
    const answer = await input.ask(`Time control (${TIME_CONTROLS.join(', ')}) [${DEFAULT_TIME_CONTROL}]: `);
    if (answer === undefined) return undefined;
    const reading = parseTimeControl(answer.trim() === '' ? DEFAULT_TIME_CONTROL : answer);
    if (reading.ok) return reading.timeControl;
    input.say(`${reading.reason}.`);
  }
}

const program = new Command('checkers-client')
  .description(
    'Play checkers on a checkers-server from the terminal (protocol version 2, standard rules; version 1 with a server that speaks only that).',
  )
  .addOption(
    new Option(
      '--host <HOST>',
      'server IP address or host name, or HOST:PORT (alias --server-ip); repeat it for several nodes of a cluster, tried in turn; without it, look for a server on the local network',
    ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  )
  .addOption(new Option('--server-ip <HOST>').hideHelp())
  .addOption(new Option('--port <PORT>', 'server TCP port').argParser((value) => parsePort(value, 1)).default(8864))
  .option('--username <NAME>', 'account name (asked if not given)')
  .option('--password <PASSWORD>', 'password (discouraged: others can see it; prefer the prompt or --password-stdin)')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .addOption(
    new Option('--discovery-timeout <SECONDS>', 'how long to look for a server on the local network')
      .argParser((value) => parseSeconds(value, false))
      .default(3),
  )
  .option('--list-servers', 'list every server found on the local network, then exit')
  .addOption(
    new Option('--broadcast-addr <ADDRESS>', 'where to send the discovery probe')
      .argParser(parseIpv4Address)
      .default('255.255.255.255'),
  )
  .addOption(new Option('--tls', 'insist on TLS: never fall back to plain').conflicts('plain'))
  .option('--plain', 'connect without TLS (your password crosses the network unencrypted)')
  .option('--ca <FILE>', 'verify the server certificate with this PEM CA certificate instead of the system CAs')
  .option(
    '--trust-new',
    "trust a server's self-signed certificate the first time without asking (when not on a terminal)",
  )
  .option('--forget-server <HOST[:PORT]>', 'forget the certificate remembered for a server, then exit')
  .addOption(new Option('--bot', 'play as a computer player (needs --username and a password), one line per game'))
  .addOption(
    new Option('--bots <N>', 'run N computer players in this process, with accounts from --credentials')
      .argParser((value) => parseCount(value, 1))
      .conflicts('bot'),
  )
  .option('--credentials <FILE>', 'NAME:PASSWORD lines for --bots')
  .addOption(
    new Option('--level <N>', 'strength of --bot/--bots, 1 (makes mistakes on purpose) to 10 (full strength)')
      .argParser((value) => {
        const level = parseCount(value, 1);
        if (level > 10) throw new InvalidArgumentError('expected a level from 1 to 10.');
        return level;
      })
      .default(10),
  )
  .addOption(
    new Option('--games <K>', 'games each bot plays before logging out')
      .argParser((value) => parseCount(value, 1))
      .default(1),
  )
  .addOption(
    new Option('--move-time <MS>', "bots' thinking time per move (default: the level's)").argParser((value) =>
      parseCount(value, 1),
    ),
  )
  .option('--ascii', 'draw the board with plain ASCII letters instead of Unicode pieces')
  .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
  .addOption(
    new Option(
      '--move-timeout <SECONDS>',
      "the server's move clock, if not the default: the client warns 60 s and 10 s before it runs out",
    )
      .argParser((value) => parseSeconds(value, false))
      .default(DEFAULT_MOVE_TIMEOUT_SECONDS),
  )
  .addOption(
    new Option(
      '--time-control <T>',
      `the clock to play with: ${TIME_CONTROLS.join(', ')} (minutes + seconds added per move; none = no clock, the server's move clock); asked on a terminal, ${DEFAULT_TIME_CONTROL} without one`,
    ).argParser((value) => {
      const reading = parseTimeControl(value);
      if (!reading.ok) throw new InvalidArgumentError(`${reading.reason}.`);
      return reading.timeControl;
    }),
  )
  .addOption(
    new Option(
      '--protocol <VERSION>',
      'the protocol version to speak: 2 (standard rules; falls back to 1 when the server speaks only 1) or 1 (the server plays captures)',
    )
      .argParser((value) => {
        if (value !== '1' && value !== '2') throw new InvalidArgumentError('expected 1 or 2.');
        return Number(value) as 1 | 2;
      })
      .default(2),
  );
addPlayOptions(program)
  .addOption(
    new Option('--timeout <SECONDS>', 'how long to wait for the server to accept the connection and answer the login')
      .argParser((value) => parseSeconds(value, false))
      .default(10),
  )
  .option(
    '--verbose',
    'log every protocol message sent and received on standard error (passwords and resume tokens hidden)',
  )
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .addHelpText(
    'after',
    () =>
      `\nIn a game (protocol version 2), type:\n${GAME_COMMANDS_V2.join('\n')}\n\nWith a version-1 server (or --protocol 1):\n${IN_GAME_COMMANDS.join('\n')}\n\nThe certificates trusted for each server are kept in\n  ${new KnownServers().file}\n(checkers-client --forget-server HOST[:PORT] forgets one).`,
  )
  .showHelpAfterError('(run with --help for usage)')
  .action(async (options: ClientOptions) => {
    let code: number;
    try {
      code = await main(options);
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') code = 0;
      else {
        process.stderr.write(`checkers-client: ${error instanceof Error ? error.message : String(error)}\n`);
        code = 1;
      }
    }
    process.exit(code);
  });

program.parseAsync();
