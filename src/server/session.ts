import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import {
  encodeMessage,
  type Message,
  type MessageOfType,
  type Outcome,
  ProtocolMachine,
  StreamDecoder,
} from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { TurnBatch } from './turn-batch.js';

/** What a session reports to the game service; the service answers through `session.deliver`. */
export interface SessionHandler {
  /** Must end with QueuePosition, InvalidLogin or InvalidVersion delivered (unless the session closed). */
  connect(session: Session, message: MessageOfType<'Connect'>): Promise<void>;
  logout(session: Session): void;
  requeue(session: Session): void;
  move(session: Session, move: number): void;
  closed(session: Session, reason: CloseReason): void;
}

export type CloseReason = 'disconnect' | 'protocol-error' | 'slow-reader' | 'shutdown' | 'takeover';

export interface SessionLimits {
  /** Messages handled per connection before yielding to the event loop. */
  readonly messagesPerTurn: number;
  /** Unsent output beyond which a client that does not read is dropped. */
  readonly maxPendingOutputBytes: number;
  /** How long the start of a message may wait for its rest (PROTOCOL.md: 1 second). */
  readonly incompleteMessageMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  messagesPerTurn: 32,
  maxPendingOutputBytes: 64 * 1024,
  incompleteMessageMs: 1000,
};

/**
 * One connection: bytes in, decoded messages checked against the protocol
 * state machine, and messages out through the same machine. It knows nothing
 * of the transport (TCP, TLS, ...) beyond the Duplex it is given.
 *
 * Fairness: at most `messagesPerTurn` messages are handled per turn of the
 * event loop, and the stream is paused meanwhile, so one client's flood waits
 * in its own socket buffer instead of delaying everyone else.
 */
export class Session {
  readonly machine = new ProtocolMachine('server');
  readonly #decoder = new StreamDecoder();
  #busy = false;
  #scheduled = false;
  #closed = false;
  #cancelIncompleteTimer: (() => void) | undefined;
  #corked = false;

  constructor(
    readonly id: number,
    readonly remoteAddress: string,
    private readonly stream: Duplex,
    private readonly handler: SessionHandler,
    private readonly output: TurnBatch,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('error', (error) => this.log.debug({ session: id, err: error.message }, 'connection error'));
    stream.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one message; a message the state machine refuses is a server bug and closes the connection. */
  deliver(message: Message): void {
    if (this.#closed) return;
    const step = this.machine.send(message.type);
    if (!step.ok) {
      this.log.error(
        { session: this.id, message: message.type, state: this.machine.state },
        `server tried to send: ${step.reason}`,
      );
      this.close('protocol-error');
      return;
    }
    if (this.stream.writableLength > this.limits.maxPendingOutputBytes) {
      this.log.info(
        { session: this.id, pending: this.stream.writableLength },
        'client does not read its messages; closing',
      );
      this.close('slow-reader');
      return;
    }
    if (!this.#corked) {
      // Held until the turn's commit (TurnBatch), then sent in one write.
      this.#corked = true;
      this.stream.cork();
      this.output.hold(this);
    }
    this.stream.write(encodeMessage(message));
  }

  /** Sends what was held this turn. */
  flushOutput(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.stream.uncork();
  }

  /** Settles a Connect or MakeMove whose outcome the service decided without a reply. */
  resolve(outcome: Outcome): void {
    const step = this.machine.resolve(outcome);
    if (!step.ok) this.log.error({ session: this.id }, step.reason);
  }

  /** Cleans up through the handler first, then closes the stream. */
  close(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelIncompleteTimer?.();
    this.handler.closed(this, reason);
    // What was held for this turn (say, an InvalidLogin) still goes out first.
    this.flushOutput();
    this.stream.end();
    this.stream.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    this.stream.pause();
    this.#schedule();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelIncompleteTimer?.();
    this.handler.closed(this, 'disconnect');
  }

  #schedule(): void {
    if (this.#scheduled || this.#busy || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#process();
    });
  }

  #process(): void {
    for (let handled = 0; handled < this.limits.messagesPerTurn; handled++) {
      if (this.#busy || this.#closed) return;
      const result = this.#decoder.next();
      if (result.kind === 'error') {
        this.#protocolError(result.error.text);
        return;
      }
      if (result.kind === 'incomplete') {
        this.#watchIncomplete(result.buffered);
        this.stream.resume();
        return;
      }
      this.#stopWatchingIncomplete();
      this.#handle(result.message);
    }
    this.#schedule();
  }

  #handle(message: Message): void {
    const step = this.machine.receive(message.type);
    if (!step.ok) {
      this.#protocolError(step.reason);
      return;
    }
    if (step.ignored) return;
    switch (message.type) {
      case 'Connect':
        this.#busy = true;
        this.handler
          .connect(this, message)
          .catch((error: unknown) => {
            this.log.error({ session: this.id, err: error }, 'login failed unexpectedly');
            this.close('protocol-error');
          })
          .finally(() => {
            this.#busy = false;
            this.#schedule();
          });
        return;
      case 'LogOut':
        this.handler.logout(this);
        return;
      case 'ReQueue':
        this.handler.requeue(this);
        return;
      case 'MakeMove':
        this.handler.move(this, message.move);
        return;
      default:
        this.#protocolError(`unexpected ${message.type}`);
    }
  }

  #protocolError(reason: string): void {
    this.log.info(
      { session: this.id, address: this.remoteAddress, state: this.machine.state },
      `protocol error: ${reason}`,
    );
    this.close('protocol-error');
  }

  #watchIncomplete(buffered: number): void {
    if (buffered === 0) {
      this.#stopWatchingIncomplete();
      return;
    }
    if (this.#cancelIncompleteTimer) return;
    this.#cancelIncompleteTimer = this.clock.after(this.limits.incompleteMessageMs, () => {
      this.#cancelIncompleteTimer = undefined;
      this.#protocolError(`incomplete message for ${this.limits.incompleteMessageMs} ms`);
    });
  }

  #stopWatchingIncomplete(): void {
    this.#cancelIncompleteTimer?.();
    this.#cancelIncompleteTimer = undefined;
  }
}
