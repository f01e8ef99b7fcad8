import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { WebSocket } from 'ws';
import { fromWireBoard, moveByteOf } from '../../src/common/wire.js';
import { BLACK, type Color, WHITE } from '../../src/game/position.js';
import { squareNumber } from '../../src/game/squares.js';
import { legalMoves } from '../../src/game/standard.js';
import { legalSteps, newV1Game } from '../../src/game/v1.js';
import {
  type AnyMessage,
  encodeMessage,
  loginRefusalText,
  NO_MOVE,
  StreamDecoder,
  type WireBoard,
} from '../../src/protocol/index.js';
import { DEFAULT_BOT_NAME } from '../../src/server/house-bot.js';
import type { MoveRecorder } from './move-join.js';
import type { HonestWait, SettledBy } from './waits.js';

/** What honest players saw during one phase of a run (or one sampling interval of a soak). */
export class PhaseStats {
  constructor(readonly phase = '') {}

  logins = 0;
  moves = 0;
  gamesFinished = 0;
  /** Protocol answers an honest player should never get (InvalidLogin, InvalidMove...). */
  errors = 0;
  /** Honest players whose connection the server closed. */
  disconnects = 0;
  /** MakeMove sent -> the first message it causes (opponent's YourTurn, or CompulsoryMove / GameOver), in ms. */
  readonly latencies: number[] = [];
  /** The same, split by how the two players of the game were connected (games with a WebSocket player are not here). */
  readonly byTransport = { plain: [] as number[], tls: [] as number[], mixed: [] as number[] };
  /** The same, split by whether the two players were on one node of a cluster or on two (bench:load --nodes). */
  readonly byNode = { same: [] as number[], cross: [] as number[] };
  /** The same, by how the player who moved is connected. */
  readonly byMover: Record<BenchTransport, number[]> = { tcp: [], tls: [], ws: [] };
  /** The same, by the protocol version of the game (bench:load --v2-share). */
  readonly byVersion: Record<BenchVersion, number[]> = { 1: [], 2: [] };
  /**
   * Moves against an attacker's account: the server's answer went to the
   * attacker, which nobody here reads, so the wait (until the attacker is
   * closed, say) is the attacker's doing and is kept out of `latencies`.
   */
  movesAgainstAttackers = 0;
  longestWaitOnAttackerMs = 0;
  /** Games against the house bot are counted apart: their moves are not in `moves` or `latencies`. */
  botMoves = 0;
  botGamesFinished = 0;
  /** MakeMove sent -> the house bot's answer (YourTurn), in ms: its pause and its thinking. */
  readonly botReplies: number[] = [];
}

/** How a simulated player connects: plain TCP, TLS, or a WebSocket on /play. */
export type BenchTransport = 'tcp' | 'tls' | 'ws';

/** The protocol version a simulated player speaks. */
export type BenchVersion = 1 | 2;

/** A version-2 player's clock: 15+10, so that no player with a few seconds' think time ever flags. */
export const BENCH_TIME_CONTROL = { initialSeconds: 900, incrementSeconds: 10 } as const;

/** A player's connection, whatever it runs over. */
interface Wire {
  write(bytes: Uint8Array): void;
  destroy(): void;
  readonly open: boolean;
  /** Bytes written and not yet handed to the kernel. */
  readonly queuedBytes: number;
}

/** Where players record their figures; `current` is swapped at each phase of a run, `window` at each soak sample. */
export interface StatsSink {
  current: PhaseStats;
  window?: PhaseStats;
  /** Every honest wait, with what the bench knows about it (for the worst waits and their causes). */
  onWait?: (wait: HonestWait) => void;
}

export interface SimPlayerOptions {
  readonly port: number;
  readonly localAddress: string;
  readonly name: string;
  readonly password: string;
  /** Think time before each move, drawn uniformly from [min, max] ms. */
  readonly thinkMs: readonly [number, number];
  readonly random: () => number;
  readonly stats: StatsSink;
  /** Every player of the run by name, to find the opponent named in GameStart. */
  readonly registry?: Map<string, SimPlayer>;
  /**
   * Instead of timing moves here (which needs the opponent's object in
   * `registry`), report them to this recorder: the opponent may be in another
   * process (bench:load --nodes). Counters still go to `stats`.
   */
  readonly recorder?: MoveRecorder;
  /** TLS: the server's certificate is not checked (this is a load test on loopback); default tcp. */
  readonly transport?: BenchTransport;
  /** The cluster node this player is connected to (bench:load --nodes). */
  readonly node?: number;
  /**
   * Protocol version 2: the standard rules (a random legal path, captures
   * included), seeking BENCH_TIME_CONTROL; default version 1.
   */
  readonly version?: BenchVersion;
}

/**
 * A simulated honest player speaking the real protocol over TCP: logs in,
 * queues, plays random legal steps after its think time, requeues after each
 * game, until stopped. A move's latency ends at the first message the server
 * sends because of it, to either player: that is the server's work (decode,
 * referee, commit, reply) plus loopback, without the opponent's think time.
 */
export class SimPlayer {
  readonly #decoder: StreamDecoder<AnyMessage>;
  #wire: Wire | undefined;
  #color: Color | undefined;
  #opponent: SimPlayer | undefined;
  /** The opponent is no simulated player: the house bot. */
  #againstBot = false;
  #botAskedAt: number | undefined;
  /** When this player's last MakeMove went out, until its first consequence arrives. */
  sentAt: number | undefined;
  /** Bytes still queued on the socket when that MakeMove went out. */
  queuedAtSend = 0;
  #opponentName = '';
  #stopping = false;
  #thinking: NodeJS.Timeout | undefined;
  #loggedIn: (() => void) | undefined;
  #loginRefused: ((error: Error) => void) | undefined;

  constructor(private readonly options: SimPlayerOptions) {
    options.registry?.set(options.name, this);
    this.#decoder = StreamDecoder.forVersion(options.version ?? 1);
  }

  get version(): BenchVersion {
    return this.options.version ?? 1;
  }

  get name(): string {
    return this.options.name;
  }

  get node(): number | undefined {
    return this.options.node;
  }

  get transport(): BenchTransport {
    return this.options.transport ?? 'tcp';
  }

  get tls(): boolean {
    return this.transport === 'tls';
  }

  get connected(): boolean {
    return this.#wire?.open === true;
  }

  /** Connects and logs in; resolves at the first QueuePosition. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const login = () =>
        this.#send({
          type: 'Connect',
          version: this.version,
          username: this.options.name,
          password: this.options.password,
        });
      const closed = () => {
        if (!this.#stopping) this.#tally('disconnects');
        reject(new Error(`${this.options.name}: connection closed before login`));
      };
      const failed = (error: Error) => reject(new Error(`${this.options.name}: ${error.message}`));
      this.#loggedIn = resolve;
      this.#loginRefused = failed;
      this.#wire =
        this.transport === 'ws'
          ? this.#openWebSocket(login, failed, closed)
          : this.#openSocket(this.transport === 'tls', login, failed, closed);
    });
  }

  #openSocket(tls: boolean, login: () => void, failed: (error: Error) => void, closed: () => void): Wire {
    const { port, localAddress } = this.options;
    const socket = tls
      ? connectTls(
          {
            socket: quiet(connect({ host: '127.0.0.1', port, localAddress, noDelay: true })),
            rejectUnauthorized: false,
          },
          login,
        )
      : connect({ host: '127.0.0.1', port, localAddress, noDelay: true }, login);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('error', failed);
    socket.on('close', closed);
    return {
      write: (bytes) => socket.write(bytes),
      destroy: () => socket.destroy(),
      get open() {
        return !socket.destroyed;
      },
      get queuedBytes() {
        return socket.writableLength;
      },
    };
  }

  /** A browser's way in: a WebSocket on /play carrying the same version-1 bytes in binary frames. */
  #openWebSocket(login: () => void, failed: (error: Error) => void, closed: () => void): Wire {
    const { port, localAddress } = this.options;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/play`, { localAddress, perMessageDeflate: false });
    socket.binaryType = 'nodebuffer';
    socket.on('open', login);
    socket.on('message', (data: Buffer) => this.#onData(data));
    socket.on('error', failed);
    socket.on('close', closed);
    return {
      write: (bytes) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(bytes, { binary: true });
      },
      destroy: () => socket.terminate(),
      get open() {
        return socket.readyState === WebSocket.OPEN;
      },
      get queuedBytes() {
        return socket.bufferedAmount;
      },
    };
  }

  stop(): void {
    this.#stopping = true;
    clearTimeout(this.#thinking);
    this.#wire?.destroy();
  }

  #send(message: AnyMessage): void {
    this.#wire?.write(encodeMessage(message));
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
      this.#handle(result.message);
    }
  }

  #tally(counter: 'moves' | 'gamesFinished' | 'errors' | 'disconnects'): void {
    this.options.stats.current[counter]++;
    if (this.options.stats.window) this.options.stats.window[counter]++;
  }

  /** `player`'s move (this player's or its opponent's) got its first consequence: `settledBy`, heard by this player. */
  #settle(player: SimPlayer | undefined, settledBy: SettledBy): void {
    const recorder = this.options.recorder;
    if (recorder) {
      if (settledBy === 'YourTurn') recorder.turnHeard(this.#opponentName, this.name);
      else recorder.settledLocally(this.name);
      return;
    }
    if (player?.sentAt === undefined) return;
    const latency = performance.now() - player.sentAt;
    const other = player === this ? this.#opponent : this;
    const sink = this.options.stats;
    for (const stats of sink.window ? [sink.current, sink.window] : [sink.current]) {
      if (other === undefined) {
        stats.movesAgainstAttackers++;
        stats.longestWaitOnAttackerMs = Math.max(stats.longestWaitOnAttackerMs, latency);
        continue;
      }
      stats.latencies.push(latency);
      stats.byMover[player.transport].push(latency);
      stats.byVersion[player.version].push(latency);
      if (player.transport !== 'ws' && other.transport !== 'ws') {
        const kind = other.tls !== player.tls ? 'mixed' : player.tls ? 'tls' : 'plain';
        stats.byTransport[kind].push(latency);
      }
      if (player.node !== undefined) stats.byNode[other.node === player.node ? 'same' : 'cross'].push(latency);
    }
    sink.onWait?.({
      at: performance.timeOrigin + player.sentAt,
      waitedMs: latency,
      player: player.name,
      opponent: other?.name ?? player.#opponentName,
      opponentSimulated: other !== undefined,
      settledBy,
      phase: sink.current.phase,
      queuedBytes: player.queuedAtSend,
    });
    player.sentAt = undefined;
  }

  #handle(message: AnyMessage): void {
    const stats = this.options.stats.current;
    switch (message.type) {
      case 'QueuePosition':
        this.#loginAnswered();
        break;
      case 'LoggedIn':
        this.#loginAnswered();
        this.#seek();
        break;
      case 'GameStart2':
        this.#color = message.colour === 0 ? BLACK : WHITE;
        this.#opponent = this.options.registry?.get(message.opponent);
        this.#opponentName = message.opponent;
        break;
      case 'YourMove':
        // The opponent's move got its answer here (or in its own TheirMove, whichever came first).
        if (message.lastPath !== null) this.#settle(this.#opponent, 'YourTurn');
        this.#think(message.board);
        break;
      case 'TheirMove':
        this.#settle(this, 'TheirMove');
        break;
      case 'IllegalMove':
        this.#tally('errors');
        break;
      case 'GameOver2':
        this.#settle(this, 'GameOver');
        if (this.#color === BLACK) this.#tally('gamesFinished');
        this.#requeue();
        break;
      case 'InvalidLogin':
      case 'InvalidVersion':
        this.#tally('errors');
        // The server keeps the connection for another try; this player has no other password.
        if (this.#loginRefused) {
          const reason = message.type === 'InvalidLogin' ? loginRefusalText(message.reason) : 'InvalidVersion';
          this.#loginRefused(new Error(`login refused (${reason})`));
          this.#loggedIn = undefined;
          this.#loginRefused = undefined;
          this.stop();
        }
        break;
      case 'InvalidMove':
        this.#tally('errors');
        break;
      case 'GameStart':
        this.#color = undefined;
        this.#opponent = this.options.registry?.get(message.opponent);
        this.#opponentName = message.opponent;
        this.#againstBot = message.opponent === DEFAULT_BOT_NAME;
        this.#botAskedAt = undefined;
        break;
      case 'YourTurn':
        // The first YourTurn of a game (last move 0x00) answers no move.
        if (message.lastMove !== NO_MOVE) this.#settle(this.#opponent, 'YourTurn');
        if (this.#botAskedAt !== undefined) stats.botReplies.push(performance.now() - this.#botAskedAt);
        this.#botAskedAt = undefined;
        this.#color ??= message.lastMove === NO_MOVE ? BLACK : WHITE;
        this.#think(message.board);
        break;
      case 'CompulsoryMove':
        this.#settle(this, 'CompulsoryMove');
        this.#color ??= WHITE;
        break;
      case 'GameOver':
        this.#settle(this, 'GameOver');
        // Both players get GameOver; count the game once.
        if (this.#againstBot) stats.botGamesFinished++;
        else if (this.#color === BLACK) this.#tally('gamesFinished');
        this.#requeue();
        break;
      case 'OpponentDisconnect':
        this.#settle(this, 'OpponentDisconnect');
        this.#requeue();
        break;
      default:
        break;
    }
  }

  #loginAnswered(): void {
    if (!this.#loggedIn) return;
    this.options.stats.current.logins++;
    this.#loggedIn();
    this.#loggedIn = undefined;
    this.#loginRefused = undefined;
  }

  #seek(): void {
    if (!this.#stopping) this.#send({ type: 'Seek', ...BENCH_TIME_CONTROL });
  }

  #requeue(): void {
    this.#opponent = undefined;
    this.#againstBot = false;
    this.#botAskedAt = undefined;
    if (this.version === 2) this.#seek();
    else if (!this.#stopping) this.#send({ type: 'ReQueue' });
  }

  #think(board: WireBoard): void {
    const [min, max] = this.options.thinkMs;
    const delay = min + this.options.random() * (max - min);
    if (delay <= 0) {
      this.#play(board);
      return;
    }
    this.#thinking = setTimeout(() => this.#play(board), delay);
  }

  #play(board: WireBoard): void {
    if (this.#stopping) return;
    const color = this.#color ?? BLACK;
    const reading = fromWireBoard(board, color, color);
    if (!reading.ok) {
      this.#tally('errors');
      return;
    }
    if (this.version === 2) {
      const moves = legalMoves(reading.position);
      const move = moves[Math.floor(this.options.random() * moves.length)];
      if (!move) return;
      this.sentAt = performance.now();
      this.queuedAtSend = this.#wire?.queuedBytes ?? 0;
      this.#tally('moves');
      this.#send({ type: 'MovePath', path: [move.from, ...move.path].map(squareNumber) });
      return;
    }
    const steps = legalSteps(newV1Game(reading.position));
    const step = steps[Math.floor(this.options.random() * steps.length)];
    if (!step) return;
    if (this.#againstBot) {
      this.#botAskedAt = performance.now();
      this.options.stats.current.botMoves++;
    } else {
      this.sentAt = performance.now();
      this.queuedAtSend = this.#wire?.queuedBytes ?? 0;
      this.options.recorder?.moveSent(this.name, this.#opponentName);
      this.#tally('moves');
    }
    this.#send({ type: 'MakeMove', move: moveByteOf(step.from, step.direction) });
  }
}

/** The TLS socket reports the errors of the connection under it; this one must not crash the process. */
function quiet(socket: Socket): Socket {
  socket.on('error', () => {});
  return socket;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
