import type { Logger } from 'pino';
import {
  encodeMessage,
  type Message,
  type MessageName,
  type MessageOfType,
  ProtocolMachine,
  type ProtocolState,
  StreamDecoder,
  type WireBoard,
} from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { ServerLimits } from './limits/limits.js';
import type { Transport } from './transport.js';
import type { TurnBatch } from './turn-batch.js';

/** What a session reports to the game service; the service answers through `session.deliver`. */
export interface SessionHandler {
  /** Must end with QueuePosition, InvalidLogin or InvalidVersion delivered (unless the session closed). */
  connect(session: Session, message: MessageOfType<'Connect'>): Promise<void>;
  logout(session: Session): void;
  requeue(session: Session): void;
  /** Plays the move if it is legal; the session then drives its state machine from the outcome. */
  move(session: Session, move: number): MoveOutcome;
  closed(session: Session, reason: CloseReason): void;
}

/** What the game service made of a MakeMove. */
export type MoveOutcome =
  | { readonly kind: 'legal' }
  | { readonly kind: 'illegal'; readonly board: WireBoard }
  /** No game to play it in: a server-side inconsistency, treated as a protocol error. */
  | { readonly kind: 'no-game' };

export type CloseReason =
  | 'disconnect'
  | 'protocol-error'
  | 'rate-limit'
  | 'slow-reader'
  | 'login-timeout'
  | 'shutdown'
  | 'takeover'
  | 'storage-outage'
  | 'account-removed';

/** The limits a session enforces by itself; rate limits come through its guard. */
export type SessionLimits = Pick<
  ServerLimits,
  'messagesPerTurn' | 'maxPendingOutputBytes' | 'incompleteMessageMs' | 'throttleLimitMs' | 'loginTimeoutMs'
>;

/** The rate limits of a connection (see ConnectionGuard). */
export interface SessionGuard {
  /** 0 to go ahead, or how many ms the message must wait. */
  admit(type: MessageName, state: ProtocolState, now: number): number;
  moveRefused(now: number): void;
  release(): void;
}

/**
 * One connection: bytes in, decoded messages checked against the protocol
 * state machine, and messages out through the same machine. It knows nothing
 * of the transport (TCP, TLS, WebSocket) beyond the Transport interface.
 *
 * Fairness: at most `messagesPerTurn` messages are handled per turn of the
 * event loop, and the transport is paused meanwhile, so one client's flood waits
 * in its own socket buffer instead of delaying everyone else. A message over
 * the rate limits waits (the transport stays paused); a connection held back for
 * `throttleLimitMs` in all is closed.
 */
export class Session {
  readonly machine = new ProtocolMachine('server');
  readonly #decoder = new StreamDecoder();
  #busy = false;
  #scheduled = false;
  #closed = false;
  #cancelIncompleteTimer: (() => void) | undefined;
  #cancelLoginTimer: (() => void) | undefined;
  #corked = false;
  /** A message held back by a rate limit, handled once the wait is over. */
  #throttled: Message | undefined;
  #waiting = false;
  /** Input waits while this session's replies wait for storage. */
  #heldByStorage = false;
  #throttledMs = 0;

  constructor(
    readonly id: number,
    private readonly transport: Transport,
    private readonly handler: SessionHandler,
    private readonly output: TurnBatch,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly limits: SessionLimits,
    private readonly guard: SessionGuard,
  ) {
    transport.listen({
      data: (chunk) => this.#onData(chunk),
      error: (error) => this.log.debug({ session: id, err: error.message }, 'connection error'),
      close: () => this.#onClose(),
    });
    this.#watchLogin();
  }

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  /** How long this connection's own rate limits have held it back, in ms. */
  get throttledMs(): number {
    return this.#throttledMs;
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
    if (this.transport.pendingBytes > this.limits.maxPendingOutputBytes) {
      this.log.info(
        { session: this.id, pending: this.transport.pendingBytes },
        'client does not read its messages; closing',
      );
      this.close('slow-reader');
      return;
    }
    if (!this.#corked) {
      // Held until the turn's commit (TurnBatch), then sent in one write.
      this.#corked = true;
      this.transport.hold();
      this.output.hold(this);
    }
    this.transport.write(encodeMessage(message));
  }

  /** True unless the session is logged out or in the queue: its messages may speak of a game. */
  get concernsGame(): boolean {
    const state = this.machine.state;
    return state !== 'Unauthenticated' && state !== 'InQueue';
  }

  /** Sends what was held; input held back meanwhile is handled again. */
  flushOutput(): void {
    if (this.#closed) return;
    this.#uncork();
    if (this.#heldByStorage) {
      this.#heldByStorage = false;
      this.#schedule();
    }
  }

  /** Storage stayed down: what was held speaks of a state never stored, so it is dropped unsent. */
  abandonOutput(): void {
    this.close('storage-outage');
  }

  /** Cleans up through the handler first, then closes the transport. */
  close(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.handler.closed(this, reason);
    if (this.#corked && this.output.failing && this.concernsGame) {
      // Held replies wait for a commit that has not happened: they must never go out (end() would send them).
      this.transport.destroy();
      return;
    }
    // What was held for this turn (say, an InvalidLogin) still goes out first.
    this.#uncork();
    this.transport.end();
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.transport.release();
  }

  #onData(chunk: Uint8Array): void {
    this.#decoder.push(chunk);
    this.transport.pause();
    this.#schedule();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.handler.closed(this, 'disconnect');
  }

  #release(): void {
    this.#cancelIncompleteTimer?.();
    this.#cancelLoginTimer?.();
    this.guard.release();
  }

  #schedule(): void {
    if (this.#scheduled || this.#busy || this.#waiting || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#process();
    });
  }

  #process(): void {
    for (let handled = 0; handled < this.limits.messagesPerTurn; handled++) {
      if (this.#busy || this.#waiting || this.#closed) return;
      if (this.#corked && this.output.failing) {
        // Storage is down and this session's last replies are held: its next message waits for them.
        this.#heldByStorage = true;
        return;
      }
      let message = this.#throttled;
      this.#throttled = undefined;
      if (!message) {
        const result = this.#decoder.next();
        if (result.kind === 'error') {
          this.#protocolError(result.error.text);
          return;
        }
        if (result.kind === 'incomplete') {
          this.#watchIncomplete(result.buffered);
          this.transport.resume();
          return;
        }
        this.#stopWatchingIncomplete();
        message = result.message;
      }
      const waitMs = this.guard.admit(message.type, this.machine.state, this.clock.now());
      if (waitMs > 0) {
        this.#throttled = message;
        this.#wait(waitMs);
        return;
      }
      this.#handle(message);
    }
    this.#schedule();
  }

  #wait(waitMs: number): void {
    this.#throttledMs += waitMs;
    if (this.#throttledMs > this.limits.throttleLimitMs) {
      this.log.info(
        { session: this.id, address: this.remoteAddress, throttledMs: this.#throttledMs },
        'connection keeps exceeding its rate limits; closing',
      );
      this.close('rate-limit');
      return;
    }
    this.#waiting = true;
    this.clock.after(waitMs, () => {
      this.#waiting = false;
      this.#schedule();
    });
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
            this.#watchLogin();
            this.#schedule();
          });
        return;
      case 'LogOut':
        this.handler.logout(this);
        this.#watchLogin();
        return;
      case 'ReQueue':
        this.handler.requeue(this);
        return;
      case 'MakeMove':
        this.#settleMove(message.move, this.handler.move(this, message.move));
        return;
      default:
        this.#protocolError(`unexpected ${message.type}`);
    }
  }

  #settleMove(move: number, outcome: MoveOutcome): void {
    switch (outcome.kind) {
      case 'legal':
        // Messages the move caused (CompulsoryMove, YourTurn...) may already have settled it.
        if (this.machine.awaitingOutcomeOf === 'MakeMove') {
          const step = this.machine.resolve('legal');
          if (!step.ok) this.log.error({ session: this.id }, step.reason);
        }
        return;
      case 'illegal':
        this.deliver({ type: 'InvalidMove', move, board: outcome.board });
        this.guard.moveRefused(this.clock.now());
        return;
      case 'no-game':
        this.close('protocol-error');
        return;
    }
  }

  #protocolError(reason: string): void {
    this.log.info(
      { session: this.id, address: this.remoteAddress, state: this.machine.state, reason },
      'protocol error',
    );
    this.close('protocol-error');
  }

  /** While not logged in, the login timeout runs. */
  #watchLogin(): void {
    if (this.#closed || this.limits.loginTimeoutMs <= 0) return;
    if (this.machine.state !== 'Unauthenticated') {
      this.#cancelLoginTimer?.();
      this.#cancelLoginTimer = undefined;
      return;
    }
    if (this.#cancelLoginTimer) return;
    this.#cancelLoginTimer = this.clock.after(this.limits.loginTimeoutMs, () => {
      this.#cancelLoginTimer = undefined;
      if (this.machine.state !== 'Unauthenticated' || this.#busy) return;
      this.log.info({ session: this.id, address: this.remoteAddress }, 'not logged in in time; closing');
      this.close('login-timeout');
    });
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
