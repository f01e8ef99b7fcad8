import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  encodeMessage,
  type Message,
  type MessageName,
  type MessageOfType,
  ProtocolMachine,
  type ProtocolState,
  StreamDecoder,
} from '../protocol/index.js';
import { openPlain } from './transport.js';

/** What the server said, as typed events. */
export interface ConnectionEvents {
  queuePosition: [MessageOfType<'QueuePosition'>];
  gameStart: [MessageOfType<'GameStart'>];
  yourTurn: [MessageOfType<'YourTurn'>];
  forcedMove: [MessageOfType<'CompulsoryMove'>];
  invalidMove: [MessageOfType<'InvalidMove'>];
  gameOver: [MessageOfType<'GameOver'>];
  opponentLeft: [];
  invalidLogin: [MessageOfType<'InvalidLogin'>];
  invalidVersion: [MessageOfType<'InvalidVersion'>];
  /** Emitted once when the connection ends, for whatever reason. */
  disconnected: [{ reason: string; byServer: boolean; protocolError: boolean }];
}

/** Messages that may still be on their way after we logged out; they are dropped, not protocol errors. */
const IN_FLIGHT_AFTER_LOGOUT: ReadonlySet<MessageName> = new Set([
  'QueuePosition',
  'GameStart',
  'YourTurn',
  'CompulsoryMove',
  'InvalidMove',
  'GameOver',
  'OpponentDisconnect',
]);

export const INCOMPLETE_MESSAGE_MS = 1000;

/** A command the protocol does not allow in the current state. */
export class ProtocolUsageError extends Error {}

/**
 * A version-1 protocol client with no user interface: it owns the stream,
 * the decoder and the client-role state machine, turns what the server sends
 * into typed events and accepts commands. What the server sends is checked
 * against the state machine; a violation, an unknown message type or a
 * message left incomplete for a second closes the connection with a reason.
 */
export class ProtocolConnection extends EventEmitter<ConnectionEvents> {
  readonly #machine = new ProtocolMachine('client');
  readonly #decoder = new StreamDecoder();
  #incompleteTimer: NodeJS.Timeout | undefined;
  #loggedOut = false;
  #ended = false;
  /** Sees every message sent and received (for --verbose). */
  trace: ((direction: 'sent' | 'received', message: Message) => void) | undefined;

  constructor(private readonly stream: Duplex) {
    super();
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('error', (error: Error) => this.#end(`connection error: ${error.message}`, true, false));
    stream.on('close', () => this.#end('the server closed the connection', true, false));
  }

  /** Connects by plain TCP; rejects with a readable message. */
  static async connect(host: string, port: number, timeoutMs = 10_000): Promise<ProtocolConnection> {
    return new ProtocolConnection(await openPlain(host, port, timeoutMs));
  }

  get state(): ProtocolState {
    return this.#machine.state;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether a command would be allowed now. */
  canSend(message: MessageName): boolean {
    return !this.#ended && this.#machine.canSend(message);
  }

  login(username: string, password: string, version = 1): void {
    this.#loggedOut = false;
    this.#send({ type: 'Connect', version, username, password });
  }

  move(move: number): void {
    this.#send({ type: 'MakeMove', move });
  }

  requeue(): void {
    this.#send({ type: 'ReQueue' });
  }

  logout(): void {
    this.#send({ type: 'LogOut' });
    this.#loggedOut = true;
  }

  /** Closes the connection (log out first to leave cleanly). */
  close(reason = 'closed by the client'): void {
    this.#end(reason, false, false);
  }

  #send(message: Message): void {
    if (this.#ended) throw new ProtocolUsageError('the connection is closed');
    const step = this.#machine.send(message.type);
    if (!step.ok) throw new ProtocolUsageError(step.reason);
    this.trace?.('sent', message);
    this.stream.write(encodeMessage(message));
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    for (;;) {
      if (this.#ended) return;
      const result = this.#decoder.next();
      if (result.kind === 'error') {
        this.#end(`the server broke the protocol: ${result.error.text}`, true, true);
        return;
      }
      if (result.kind === 'incomplete') {
        this.#watchIncomplete(result.buffered);
        return;
      }
      this.#clearIncomplete();
      this.#receive(result.message);
    }
  }

  #receive(message: Message): void {
    this.trace?.('received', message);
    if (this.#loggedOut && this.#machine.state === 'Unauthenticated' && IN_FLIGHT_AFTER_LOGOUT.has(message.type))
      return;
    const step = this.#machine.receive(message.type);
    if (!step.ok) {
      this.#end(`the server broke the protocol: ${step.reason}`, true, true);
      return;
    }
    switch (message.type) {
      case 'QueuePosition':
        this.emit('queuePosition', message);
        break;
      case 'GameStart':
        this.emit('gameStart', message);
        break;
      case 'YourTurn':
        this.emit('yourTurn', message);
        break;
      case 'CompulsoryMove':
        this.emit('forcedMove', message);
        break;
      case 'InvalidMove':
        this.emit('invalidMove', message);
        break;
      case 'GameOver':
        this.emit('gameOver', message);
        break;
      case 'OpponentDisconnect':
        this.emit('opponentLeft');
        break;
      case 'InvalidLogin':
        this.emit('invalidLogin', message);
        break;
      case 'InvalidVersion':
        this.emit('invalidVersion', message);
        break;
      default:
        // The state machine has already refused every client-to-server type.
        break;
    }
  }

  #watchIncomplete(buffered: number): void {
    if (buffered === 0) {
      this.#clearIncomplete();
      return;
    }
    this.#incompleteTimer ??= setTimeout(() => {
      this.#end('the server broke the protocol: it left a message incomplete for a second', true, true);
    }, INCOMPLETE_MESSAGE_MS);
  }

  #clearIncomplete(): void {
    if (this.#incompleteTimer) clearTimeout(this.#incompleteTimer);
    this.#incompleteTimer = undefined;
  }

  #end(reason: string, byServer: boolean, protocolError: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#clearIncomplete();
    if (protocolError || !byServer) {
      this.stream.end();
      this.stream.destroy();
    }
    this.emit('disconnected', { reason, byServer, protocolError });
  }
}
