import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ClientProtocol } from '../client-core/client-protocol.js';
import {
  type AnyMessage,
  type AnyMessageName,
  type AnyProtocolState,
  type MessageOfType,
  type ProtocolVersion,
  SERVER_MESSAGE_NAMES,
  SERVER_MESSAGE_NAMES_V2,
  type ServerMessageName,
  type ServerMessageNameV2,
  StreamDecoder,
} from '../protocol/index.js';
import { openPlain } from './transport.js';

/** What the server said: each message it may send (either version) is an event named after it (QueuePosition: `queuePosition`). */
export type ServerMessageEvents = {
  [N in ServerMessageName | ServerMessageNameV2 as Uncapitalize<N>]: [MessageOfType<N>];
};

export type ConnectionEvents = ServerMessageEvents & {
  /** Emitted once when the connection ends, for whatever reason. */
  disconnected: [Disconnection];
};

/** The event each server message is told as, derived from the message table. */
const EVENT_OF: ReadonlyMap<AnyMessageName, keyof ServerMessageEvents> = new Map(
  [...SERVER_MESSAGE_NAMES, ...SERVER_MESSAGE_NAMES_V2].map((name) => [
    name,
    `${name.charAt(0).toLowerCase()}${name.slice(1)}` as keyof ServerMessageEvents,
  ]),
);

export interface Disconnection {
  readonly reason: string;
  readonly byServer: boolean;
  readonly protocolError: boolean;
  /** The server closed the connection in order (no error, no protocol violation) while logged in. */
  readonly cleanCloseWhileLoggedIn: boolean;
}

export interface ConnectionOptions {
  /** How long a Connect may stay unanswered before the connection is given up (0: forever). */
  readonly loginAnswerMs?: number;
}

export const LOGIN_ANSWER_MS = 10_000;

export const INCOMPLETE_MESSAGE_MS = 1000;

/** How long a connection the client closes may take to send what is still queued (a LogOut) before it is cut. */
export const CLOSE_FLUSH_MS = 2000;

/** A command the protocol does not allow in the current state. */
export class ProtocolUsageError extends Error {}

/**
 * A protocol client with no user interface (version 1 unless a login names
 * another version): it owns the stream,
 * the decoder and the client-role state machine, turns what the server sends
 * into typed events and accepts commands. What the server sends is checked
 * against the state machine; a violation, an unknown message type or a
 * message left incomplete for a second closes the connection with a reason.
 */
export class ProtocolConnection extends EventEmitter<ConnectionEvents> {
  #protocol: ClientProtocol<1> | ClientProtocol<2> = ClientProtocol.forVersion(1);
  #version: ProtocolVersion = 1;
  readonly #decoder = new StreamDecoder<AnyMessage>(1);
  #incompleteTimer: NodeJS.Timeout | undefined;
  #ended = false;
  #paused = false;
  #endWhilePaused: { reason: string; clean: boolean } | undefined;
  #loginTimer: NodeJS.Timeout | undefined;
  #awaitingLoginAnswer = false;
  readonly #loginAnswerMs: number;
  readonly #closed: Promise<void>;
  /** Sees every message sent and received (for --verbose). */
  trace: ((direction: 'sent' | 'received', message: AnyMessage) => void) | undefined;

  constructor(
    private readonly stream: Duplex,
    options: ConnectionOptions = {},
  ) {
    super();
    this.#loginAnswerMs = options.loginAnswerMs ?? LOGIN_ANSWER_MS;
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('error', (error: Error) => this.#serverEnded(`connection error: ${error.message}`, false));
    stream.on('close', () => this.#serverEnded('the server closed the connection', true));
    this.#closed = new Promise((resolve) => {
      if (stream.closed) resolve();
      else stream.once('close', () => resolve());
    });
  }

  /**
   * Settles once the stream is closed: after `close`, what was sent before it
   * (a LogOut) has left, or CLOSE_FLUSH_MS passed. Wait for it before the process exits.
   */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Connects by plain TCP; rejects with a readable message. */
  static async connect(
    host: string,
    port: number,
    timeoutMs = 10_000,
    options: ConnectionOptions = {},
  ): Promise<ProtocolConnection> {
    return new ProtocolConnection(await openPlain(host, port, timeoutMs), options);
  }

  /**
   * Holds back what the server sends (it stays buffered, in order, and so does
   * the end of the connection) until `resume`: lets a caller that learns of the
   * login from one event attach its listeners before the next message is read.
   */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#drain();
    const ending = this.#endWhilePaused;
    if (ending && !this.#paused) {
      this.#endWhilePaused = undefined;
      this.#serverEnded(ending.reason, ending.clean);
    }
  }

  get state(): AnyProtocolState {
    return this.#protocol.state;
  }

  /** The protocol version of this connection: the one of its last login. */
  get version(): ProtocolVersion {
    return this.#version;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether a command would be allowed now. */
  canSend(message: AnyMessageName): boolean {
    return !this.#ended && (this.#protocol.canSend as (name: AnyMessageName) => boolean)(message);
  }

  /** Logs in with `version` (1 or 2); after a refused login the next one may name another version. */
  login(username: string, password: string, version: ProtocolVersion = 1): void {
    this.#useVersion(version);
    this.#send({ type: 'Connect', version, username, password });
    this.#awaitLoginAnswer();
  }

  /** Version 2: logs in as a guest, without an account (answered GuestLoggedIn, or InvalidLogin when guests are off). */
  loginAsGuest(): void {
    this.#useVersion(2);
    this.#send({ type: 'Guest', version: 2 });
    this.#awaitLoginAnswer();
  }

  /** Version 2: logs in again with the resume token LoggedIn gave (no password). */
  resumeSession(username: string, token: Uint8Array): void {
    this.#useVersion(2);
    this.#send({ type: 'Resume', version: 2, username, token });
    this.#awaitLoginAnswer();
  }

  /** Sends any message the state machine allows now; throws ProtocolUsageError otherwise. */
  send(message: AnyMessage): void {
    this.#send(message);
  }

  /**
   * Speaks `version` from the next message on: a new client state machine
   * (only before login, where both versions start) and the decoder's type bytes.
   */
  #useVersion(version: ProtocolVersion): void {
    if (version === this.#version) return;
    if (this.#protocol.state !== 'Unauthenticated')
      throw new ProtocolUsageError('the version changes only before login');
    this.#version = version;
    this.#protocol = version === 2 ? ClientProtocol.forVersion(2) : ClientProtocol.forVersion(1);
    this.#decoder.useCodes(version);
  }

  #awaitLoginAnswer(): void {
    this.#awaitingLoginAnswer = true;
    if (this.#loginAnswerMs > 0) {
      this.#loginTimer ??= setTimeout(() => {
        const seconds = this.#loginAnswerMs / 1000;
        this.#end(
          `the server did not answer the login within ${seconds} s (it may be overloaded, or not a checkers server); try again later`,
          false,
          false,
        );
      }, this.#loginAnswerMs);
    }
  }

  move(move: number): void {
    this.#send({ type: 'MakeMove', move });
  }

  requeue(): void {
    this.#send({ type: 'ReQueue' });
  }

  logout(): void {
    this.#send({ type: 'LogOut' });
  }

  /** Closes the connection (log out first to leave cleanly). */
  close(reason = 'closed by the client'): void {
    this.#end(reason, false, false);
  }

  #send(message: AnyMessage): void {
    if (this.#ended) throw new ProtocolUsageError('the connection is closed');
    const sending = (this.#protocol.send as (message: AnyMessage) => ReturnType<ClientProtocol<2>['send']>)(message);
    if (!sending.ok) throw new ProtocolUsageError(sending.reason);
    this.trace?.('sent', message);
    this.stream.write(sending.bytes);
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    this.#drain();
  }

  #drain(): void {
    for (;;) {
      if (this.#ended || this.#paused) return;
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

  #receive(message: AnyMessage): void {
    this.trace?.('received', message);
    const receipt = (this.#protocol.receive as (message: AnyMessage) => ReturnType<ClientProtocol<2>['receive']>)(
      message,
    );
    if (receipt.kind === 'drop') return;
    if (
      message.type === 'QueuePosition' ||
      message.type === 'LoggedIn' ||
      message.type === 'GuestLoggedIn' ||
      message.type === 'InvalidLogin' ||
      message.type === 'InvalidVersion'
    ) {
      this.#loginAnswered();
    }
    if (receipt.kind === 'violation') {
      this.#end(`the server broke the protocol: ${receipt.reason}`, true, true);
      return;
    }
    // The state machine has already refused every client-to-server type.
    const event = EVENT_OF.get(message.type);
    if (event) (this.emit as (name: string, message: AnyMessage) => boolean)(event, message);
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

  #loginAnswered(): void {
    this.#awaitingLoginAnswer = false;
    if (this.#loginTimer) clearTimeout(this.#loginTimer);
    this.#loginTimer = undefined;
  }

  /** The stream ended from the server's side; `clean` when it closed in order rather than with an error. */
  #serverEnded(reason: string, clean: boolean): void {
    if (this.#ended) return;
    if (this.#paused) {
      // Messages still buffered come first; the end is told once they are read.
      this.#endWhilePaused ??= { reason, clean };
      return;
    }
    if (this.#awaitingLoginAnswer) {
      // A login held back by the server's rate limit ends this way, without an answer.
      this.#end(
        'the server closed the connection during login; it may be limiting login attempts from your address: wait a minute and try again',
        true,
        false,
      );
      return;
    }
    const loggedIn = this.#protocol.state !== 'Unauthenticated';
    this.#end(reason, true, false, clean && loggedIn);
  }

  #end(reason: string, byServer: boolean, protocolError: boolean, cleanCloseWhileLoggedIn = false): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#clearIncomplete();
    this.#loginAnswered();
    if (protocolError) this.stream.destroy();
    else if (!byServer) this.#closeAfterFlush();
    this.emit('disconnected', { reason, byServer, protocolError, cleanCloseWhileLoggedIn });
  }

  /**
   * Ends the stream in order, so that what is still queued (a LogOut, and under
   * TLS its encryption) reaches the server before the close; destroying at once
   * would drop it, and the server would see a lost connection instead.
   */
  #closeAfterFlush(): void {
    const cut = setTimeout(() => this.stream.destroy(), CLOSE_FLUSH_MS);
    cut.unref();
    this.stream.once('close', () => clearTimeout(cut));
    this.stream.end();
  }
}
