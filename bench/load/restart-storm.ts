import { connect, type Socket } from 'node:net';
import { BLACK, type Color, WHITE } from '../../src/game/position.js';
import { encodeMessage, type Message, NO_MOVE, StreamDecoder } from '../../src/protocol/index.js';
import { DEFAULT_HASH_COST, describeCost } from '../../src/server/passwords.js';
import { legalMoveByte } from '../../test/support/player.js';
import { BENCH_PASSWORD, loopbackAddress, seedAccounts } from './accounts.js';
import { cpuShare, ServerProcess, type ServerSample } from './server-process.js';
import { percentile } from './sim-player.js';

/** Every wait of the storm is bounded: past this, the players still waiting are reported as such. */
const STORM_LIMIT_MS = 600_000;
/** Playing before the kill: every game has a move committed (the reply to it is held until then). */
const SETUP_LIMIT_MS = 900_000;

/** One player's connection: connects, logs in, answers YourTurn with a legal move after its think time. */
class StormPlayer {
  #socket: Socket | undefined;
  readonly #decoder = new StreamDecoder();
  #color: Color | undefined;
  #timers = new Set<NodeJS.Timeout>();
  /** ms (performance.now()) of the login's answer and of the game's GameStart, this connection. */
  loggedInAt: number | undefined;
  gameAt: number | undefined;
  refused: string | undefined;
  /** The opponent of the game before the restart (its first GameStart). */
  opponent: string | undefined;
  /** This connection got a game with someone else: the old one was over. */
  newGame = false;
  /** This connection was told OpponentDisconnect. */
  opponentGone = false;
  /** Moves answered by the opponent on this connection (YourTurn with their move). */
  turns = 0;
  /**
   * Moves this player may still make: one before the kill, so that no game
   * ends before it (a game played out meanwhile would send its players to
   * new games after the restart, which is not what is measured); any after.
   */
  movesLeft = 1;
  closed = false;
  onMessage: ((message: Message) => void) | undefined;

  constructor(
    readonly name: string,
    readonly localAddress: string,
    readonly thinkMs: readonly [number, number],
  ) {}

  start(port: number): void {
    this.loggedInAt = undefined;
    this.gameAt = undefined;
    this.refused = undefined;
    this.newGame = false;
    this.opponentGone = false;
    this.closed = false;
    const socket = connect({ port, host: '127.0.0.1', localAddress: this.localAddress, noDelay: true });
    this.#socket = socket;
    socket.on('connect', () => {
      socket.write(encodeMessage({ type: 'Connect', version: 1, username: this.name, password: BENCH_PASSWORD }));
    });
    socket.on('data', (chunk: Buffer) => {
      this.#decoder.push(chunk);
      for (;;) {
        const result = this.#decoder.next();
        if (result.kind !== 'message') break;
        this.#handle(result.message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
    });
  }

  #handle(message: Message): void {
    const now = performance.now();
    switch (message.type) {
      case 'QueuePosition':
        this.loggedInAt ??= now;
        break;
      case 'InvalidLogin':
      case 'InvalidVersion':
        this.refused = message.type;
        break;
      case 'GameStart':
        this.opponent ??= message.opponent;
        if (message.opponent === this.opponent) this.gameAt ??= now;
        else this.newGame = true;
        break;
      case 'OpponentDisconnect':
        this.opponentGone = true;
        break;
      case 'YourTurn': {
        // Black is told to move first with no last move; the color is kept across the restart.
        this.#color ??= message.lastMove === NO_MOVE ? BLACK : WHITE;
        if (message.lastMove !== NO_MOVE) this.turns++;
        if (this.movesLeft <= 0) break;
        this.movesLeft--;
        const [min, max] = this.thinkMs;
        const board = message.board;
        const timer = setTimeout(
          () => {
            this.#timers.delete(timer);
            if (this.closed) return;
            try {
              this.#socket?.write(
                encodeMessage({ type: 'MakeMove', move: legalMoveByte(board, this.#color ?? BLACK) }),
              );
            } catch {
              // No legal step read from the board: the server ends the game by its clock.
            }
          },
          min + Math.random() * (max - min),
        );
        this.#timers.add(timer);
        break;
      }
      default:
        break;
    }
    this.onMessage?.(message);
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#socket?.destroy();
  }
}

export interface RestartStormOptions {
  readonly players: number;
  readonly perAddress: number;
  readonly dbPath: string;
  readonly serverArgs: readonly string[];
  readonly thinkMs: readonly [number, number];
}

export interface StormFigures {
  /** ms from the first Connect to each player's GameStart (players whose game came back). */
  readonly back: number;
  readonly medianMs: number;
  readonly lastMs: number;
  readonly within10s: number;
  readonly within60s: number;
  readonly notBack: number;
  readonly refused: number;
  readonly loginsPerSecond: number;
  /** Server CPU in cores from the first Connect to the last player back. */
  readonly serverCores: number;
  /** The server's CPU seconds over how many seconds of the storm. */
  readonly serverCpuSeconds: number;
  readonly stormSeconds: number;
  /** Players whose game had ended (their grace ran out) and who were paired anew. */
  readonly newGame: number;
  /** Players back in their game whose opponent's grace had run out (OpponentDisconnect). */
  readonly opponentGone: number;
}

/** Waits until `done()` or `limitMs`, polling every 50 ms. */
async function until(done: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Every player logs in at once; the figures once all have their game (or the limit passed). */
async function storm(server: ServerProcess, players: readonly StormPlayer[]): Promise<StormFigures> {
  const first: ServerSample = server.sample();
  const startedAt = performance.now();
  for (const player of players) player.start(server.port);
  const settled = (player: StormPlayer) =>
    player.gameAt !== undefined || player.newGame || player.refused !== undefined || player.closed;
  let lastSample = first;
  const sampler = setInterval(() => {
    if (server.running) lastSample = server.sample();
  }, 500);
  await until(() => players.every(settled), STORM_LIMIT_MS);
  clearInterval(sampler);
  if (server.running) lastSample = server.sample();
  const backMs = players
    .flatMap((player) => (player.gameAt === undefined ? [] : [player.gameAt - startedAt]))
    .sort((a, b) => a - b);
  const loginMs = players.flatMap((player) => (player.loggedInAt === undefined ? [] : [player.loggedInAt - startedAt]));
  const lastLogin = Math.max(1, ...loginMs);
  return {
    back: backMs.length,
    medianMs: percentile(backMs, 50),
    lastMs: backMs.at(-1) ?? Number.NaN,
    within10s: backMs.filter((ms) => ms <= 10_000).length,
    within60s: backMs.filter((ms) => ms <= 60_000).length,
    notBack: players.length - backMs.length,
    refused: players.filter((player) => player.refused !== undefined).length,
    loginsPerSecond: (loginMs.length / lastLogin) * 1000,
    serverCores: cpuShare(first, lastSample),
    serverCpuSeconds: lastSample.cpuSeconds - first.cpuSeconds,
    stormSeconds: (lastSample.at - first.at) / 1000,
    newGame: players.filter((player) => player.newGame).length,
    opponentGone: players.filter((player) => player.opponentGone).length,
  };
}

/** What the server's hash pool did during a storm, from its log: how often it went to its share and back. */
function poolChanges(server: ServerProcess, terminations: Map<string, number>): string {
  const counts = server.takeLogCounts();
  const how = [...terminations].map(([termination, count]) => `${termination} ${count}`).join(', ');
  terminations.clear();
  const share = counts['password hashing on its share: games need the CPU'] ?? 0;
  const every = counts['password hashing on every slot'] ?? 0;
  const finished = counts['game finished'] ?? 0;
  return `  hash pool: to its share ${share} times, back to every slot ${every} times; games finished meanwhile: ${finished}${how ? ` (${how})` : ''}`;
}

function describe(label: string, players: number, figures: StormFigures): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `${label}: ${figures.back} of ${players} players had their game within ${seconds(STORM_LIMIT_MS)}`,
    `  median ${seconds(figures.medianMs)}, last ${seconds(figures.lastMs)}; within 10 s: ${figures.within10s}, within 60 s: ${figures.within60s}; not back: ${figures.notBack} (${figures.refused} refused)`,
    `  back to find their opponent's grace over: ${figures.opponentGone}; their own game over, paired anew: ${figures.newGame}`,
    `  logins (hashes) ${figures.loginsPerSecond.toFixed(1)}/s; server CPU ${figures.serverCores.toFixed(2)} cores (${figures.serverCpuSeconds.toFixed(1)} s in ${figures.stormSeconds.toFixed(1)} s)`,
  ].join('\n');
}

/**
 * `bench:load --restart`: N players in games at the real hash cost, the
 * server killed with SIGKILL, restarted on the same database, and every
 * player logging in again at once, as a version-1 client must (it has no
 * token: it presents its password). All on loopback, every wait bounded.
 */
export async function runRestartStorm(options: RestartStormOptions): Promise<void> {
  const { players: count, perAddress, dbPath, serverArgs } = options;
  const pairs = Math.floor(count / 2);
  await seedAccounts(dbPath, [{ prefix: 'r', count: pairs * 2 }], false);
  const args = ['--max-connections', String(pairs * 2 + 100), ...serverArgs];
  const players = Array.from(
    { length: pairs * 2 },
    (_, i) => new StormPlayer(`r${i}`, loopbackAddress(30, i, perAddress), options.thinkMs),
  );
  console.log(
    `restart storm: ${pairs * 2} players (${perAddress} per loopback address), real hash cost (${describeCost(DEFAULT_HASH_COST)})`,
  );
  const terminations = new Map<string, number>();
  const countTermination = (entry: Record<string, unknown>) => {
    if (entry.msg !== 'game finished') return;
    const termination = String(entry.termination);
    terminations.set(termination, (terminations.get(termination) ?? 0) + 1);
  };
  let server = await ServerProcess.start(dbPath, args);
  server.onLogEntry = countTermination;
  try {
    console.log(describe('first logins, all at once', players.length, await storm(server, players)));
    console.log(poolChanges(server, terminations));
    // A move in every game, committed (the opponent's YourTurn is held until it is): each is a game in progress.
    await until(() => players.filter((player) => player.turns > 0).length >= pairs, SETUP_LIMIT_MS);
    const inProgress = Math.min(pairs, players.filter((player) => player.turns > 0).length);
    console.log(`games with a committed move before the kill: ${inProgress} of ${pairs}`);
    await server.kill();
    for (const player of players) {
      player.stop();
      player.movesLeft = Number.POSITIVE_INFINITY;
    }
    server = await ServerProcess.start(dbPath, args);
    server.onLogEntry = countTermination;
    terminations.clear();
    const figures = await storm(server, players);
    console.log(describe('after kill -9 and restart, everyone again at once', players.length, figures));
    console.log(poolChanges(server, terminations));
  } finally {
    for (const player of players) player.stop();
    await server.stop();
  }
}
