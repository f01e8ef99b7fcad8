import { connect, type Socket } from 'node:net';
import { BLACK, type Color, WHITE } from '../src/game/position.js';
import { legalSteps, newV1Game } from '../src/game/v1.js';
import { fromWireBoard, moveByteOf } from '../src/game/wire.js';
import { encodeMessage, type Message, NO_MOVE, StreamDecoder, type WireBoard } from '../src/protocol/index.js';

export interface PlayerStats {
  moves: number;
  errors: number;
  /** MakeMove sent -> next YourTurn / CompulsoryMove / GameOver received, in ms. */
  readonly latencies: number[];
}

/**
 * A simulated player speaking the real protocol over TCP: logs in, queues,
 * plays random legal steps at once, requeues after each game, until told to stop.
 */
export class SimPlayer {
  readonly #decoder = new StreamDecoder();
  #socket: Socket | undefined;
  #color: Color | undefined;
  #sentAt: number | undefined;
  #stopping = false;

  constructor(
    private readonly port: number,
    private readonly name: string,
    private readonly password: string,
    private readonly stats: PlayerStats,
    private readonly random: () => number = Math.random,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port, noDelay: true }, () => {
        this.#send({ type: 'Connect', version: 1, username: this.name, password: this.password });
        resolve();
      });
      this.#socket = socket;
      socket.on('data', (chunk) => this.#onData(chunk));
      socket.on('error', (error) => {
        if (!this.#stopping) this.stats.errors++;
        reject(error);
      });
    });
  }

  stop(): void {
    this.#stopping = true;
    this.#socket?.destroy();
  }

  #send(message: Message): void {
    this.#socket?.write(encodeMessage(message));
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
      this.#handle(result.message);
    }
  }

  #handle(message: Message): void {
    if (
      this.#sentAt !== undefined &&
      (message.type === 'YourTurn' || message.type === 'CompulsoryMove' || message.type === 'GameOver')
    ) {
      this.stats.latencies.push(performance.now() - this.#sentAt);
      this.#sentAt = undefined;
    }
    switch (message.type) {
      case 'InvalidLogin':
      case 'InvalidVersion':
      case 'InvalidMove':
        this.stats.errors++;
        break;
      case 'GameStart':
        this.#color = undefined;
        break;
      case 'YourTurn':
        this.#color ??= message.lastMove === NO_MOVE ? BLACK : WHITE;
        this.#play(message.board);
        break;
      case 'CompulsoryMove':
        this.#color ??= WHITE;
        break;
      case 'GameOver':
      case 'OpponentDisconnect':
        if (!this.#stopping) this.#send({ type: 'ReQueue' });
        break;
      default:
        break;
    }
  }

  #play(board: WireBoard): void {
    if (this.#stopping) return;
    const reading = fromWireBoard(board, this.#color ?? BLACK, this.#color ?? BLACK);
    if (!reading.ok) {
      this.stats.errors++;
      return;
    }
    const steps = legalSteps(newV1Game(reading.position));
    const step = steps[Math.floor(this.random() * steps.length)];
    if (!step) return;
    this.#sentAt = performance.now();
    this.stats.moves++;
    this.#send({ type: 'MakeMove', move: moveByteOf(step.from, step.direction) });
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
