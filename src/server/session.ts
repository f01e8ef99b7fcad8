import type { Logger } from 'pino';
import {
  type AnyMessage,
  type AnyMessageName,
  type AnyProtocolState,
  encodeMessage,
  InvalidLoginReason,
  type MessageOfType,
  ProtocolMachine,
  type ProtocolVersion,
  playComputerProblem,
  StreamDecoder,
  type WireBoard,
} from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { ServerLimits } from './limits/limits.js';
import type { Transport, TransportKind } from './transport.js';
import type { TurnBatch } from './turn-batch.js';

/** What a session reports to the game service; the service answers through `session.deliver`. */
export interface SessionHandler {
  /**
   * Must end with InvalidLogin or InvalidVersion delivered, or the login
   * accepted: QueuePosition (version 1) or LoggedIn (version 2) (unless the session closed).
   */
  connect(session: Session, message: MessageOfType<'Connect'>): Promise<void>;
  /** Version 2: a login with a resume token instead of a password; answered as `connect` is. */
  resume(session: Session, message: MessageOfType<'Resume'>): Promise<void>;
  /** Version 2: a guest's login (no account); answered GuestLoggedIn, InvalidLogin 4 or InvalidVersion. */
  guest?(session: Session, message: MessageOfType<'Guest'>): Promise<void>;
  /** Version 2's messages after login; a MovePath is answered (TheirMove or IllegalMove) unless the outcome says otherwise. */
  play(session: Session, message: StandardPlayMessage): PlayOutcome;
  /**
   * Version 2: a game against the computer (already checked: level 1-10, an
   * offered time control). Must end with GameStart2 or ComputerBusy delivered
   * (unless the session closed or a rematch started meanwhile); the session
   * reads nothing more meanwhile. A handler without it: every PlayComputer is ComputerBusy.
   */
  playComputer?(session: Session, message: MessageOfType<'PlayComputer'>): Promise<void>;
  logout(session: Session): void;
  /** Reads the player's rating from storage, then queues them; the session reads nothing more meanwhile. */
  requeue(session: Session): Promise<void>;
  /** Plays the move if it is legal; the session then drives its state machine from the outcome. */
  move(session: Session, move: number): MoveOutcome;
  closed(session: Session, reason: CloseReason): void;
}

/** What the game service made of a MakeMove. */
export type MoveOutcome =
  /** `replies`: what the move caused for the mover (CompulsoryMove, YourTurn, GameOver...), sent once it is settled. */
  | { readonly kind: 'legal'; readonly replies: readonly AnyMessage[] }
  | { readonly kind: 'illegal'; readonly board: WireBoard }
  /** No game to play it in: a server-side inconsistency, treated as a protocol error. */
  | { readonly kind: 'no-game' }
  /** Sent to the node that referees the game (cluster): its reply settles the outcome. */
  | { readonly kind: 'relayed' };

/** The version-2 messages a logged-in client sends, besides LogOut. */
export type StandardPlayMessage = MessageOfType<
  | 'Seek'
  | 'LeaveQueue'
  | 'MovePath'
  | 'Resign'
  | 'OfferDraw'
  | 'AnswerDraw'
  | 'Rematch'
  | 'Challenge'
  | 'AnswerChallenge'
  | 'WithdrawOffer'
  | 'CreateInvite'
  | 'JoinInvite'
  | 'Hint'
>;

/** What the game service made of a version-2 message. */
export type PlayOutcome =
  | { readonly kind: 'done' }
  /** A MovePath refused: IllegalMove was sent; it costs as an illegal version-1 move does. */
  | { readonly kind: 'illegal' }
  /** Not allowed here although the state machine let it through (a Seek for a time control not offered...). */
  | { readonly kind: 'protocol-error'; readonly reason: string };

export type CloseReason =
  | 'disconnect'
  | 'protocol-error'
  | 'rate-limit'
  | 'slow-reader'
  | 'login-timeout'
  | 'shutdown'
  | 'takeover'
  /** Cluster: the node refereeing the player's game is gone; the client reconnects and rejoins. */
  | 'node-lost'
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
  admit(type: AnyMessageName, state: AnyProtocolState, now: number): number;
  moveRefused(now: number): void;
  release(): void;
}

/**
 * What a session's input is doing; every change goes through `#enter`.
 *
 * - `reading`: free to handle input; the transport flows unless a message
 *   waits in the decoder for the next turn.
 * - `scheduled`: data arrived (the transport is paused) and a turn of
 *   handling is queued for the next loop iteration.
 * - `handling`: a Connect or ReQueue is with the game service, which reads
 *   storage and hashes passwords; nothing more is read until it is done.
 * - `throttled`: a message over the rate limits waits for its moment.
 * - `awaiting-commit`: this session's replies wait for a commit (in flight,
 *   or failing and retried); its next message waits for them, so it is never
 *   handled before its previous move is stored and answered.
 * - `closed`: for good.
 *
 * Output is independent: `#outputHeld` says this turn's replies are held for the
 * turn's commit, whatever the input is doing.
 */
export type SessionInput = 'reading' | 'scheduled' | 'handling' | 'throttled' | 'awaiting-commit' | 'closed';

/** The version a message before login speaks: 2 for a Resume, a Guest or a version-2 Connect, else 1 (refusals included). */
function versionOfLogin(message: AnyMessage): ProtocolVersion {
  return message.type === 'Resume' || message.type === 'Guest' || (message.type === 'Connect' && message.version === 2)
    ? 2
    : 1;
}

/** The moves of the input state; anything else is a server bug (it is ignored, and `#enter` says so). */
const INPUT_MOVES: Readonly<Record<SessionInput, readonly SessionInput[]>> = {
  reading: ['scheduled', 'handling', 'throttled', 'awaiting-commit', 'closed'],
  scheduled: ['reading', 'closed'],
  handling: ['reading', 'closed'],
  throttled: ['reading', 'closed'],
  'awaiting-commit': ['reading', 'closed'],
  closed: [],
};

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
  #machine: ProtocolMachine<ProtocolVersion> = new ProtocolMachine('server');
  /** Before login version 1's types and Resume; after it, the types of the session's version. */
  readonly #decoder = StreamDecoder.beforeLogin();
  #input: SessionInput = 'reading';
  #cancelIncompleteTimer: (() => void) | undefined;
  #cancelLoginTimer: (() => void) | undefined;
  /** This turn's replies are held until the turn's commit (TurnBatch), then sent in one write. */
  #outputHeld = false;
  /** Some of what is held is a reply (a legal move holds the session with nothing to send). */
  #repliesHeld = false;
  /** A message held back by a rate limit, handled first once the wait is over. */
  #heldBack: AnyMessage | undefined;
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
      violation: (detail) => this.#protocolError(detail),
    });
    this.#watchLogin();
  }

  /** The protocol state machine, of the version the last login attempt named (1 until then). */
  get machine(): ProtocolMachine<ProtocolVersion> {
    return this.#machine;
  }

  /** The protocol version of the session: fixed by its accepted Connect or Resume (1 before any). */
  get version(): ProtocolVersion {
    return this.#machine.version;
  }

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  /** How the client is connected (for metrics and logs; the session itself never depends on it). */
  get transportKind(): TransportKind {
    return this.transport.kind;
  }

  /** How long this connection's own rate limits have held it back, in ms. */
  get throttledMs(): number {
    return this.#throttledMs;
  }

  get closed(): boolean {
    return this.#input === 'closed';
  }

  get input(): SessionInput {
    return this.#input;
  }

  /** The one place the input state changes. */
  #enter(next: SessionInput): void {
    if (next === this.#input) return;
    if (!INPUT_MOVES[this.#input].includes(next)) {
      this.log.error({ session: this.id, from: this.#input, to: next }, 'session input state: no such move');
      return;
    }
    this.#input = next;
  }

  /** Cluster: the node refereeing this player's game refused its move (relayed InvalidMove): it costs as here. */
  moveRefusedElsewhere(): void {
    this.guard.moveRefused(this.clock.now());
  }

  /** Sends one message; a message the state machine refuses is a server bug and closes the connection. */
  deliver(message: AnyMessage): void {
    if (this.closed) return;
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
    this.#hold();
    this.#repliesHeld = true;
    this.transport.write(encodeMessage(message));
  }

  /** Holds this turn's output (and so the next message) until the turn's commit (TurnBatch), then sends it in one write. */
  #hold(): void {
    if (this.#outputHeld) return;
    this.#outputHeld = true;
    this.transport.hold();
    this.output.hold(this);
  }

  /** True unless the session is logged out, in the lobby or in the queue: its messages may speak of a game. */
  get concernsGame(): boolean {
    const state = this.machine.state;
    return state !== 'Unauthenticated' && state !== 'InQueue' && state !== 'Lobby';
  }

  /** Sends what was held; input held back meanwhile is handled again. */
  flushOutput(): void {
    if (this.closed) return;
    this.#releaseHeld();
    if (this.#input === 'awaiting-commit') {
      this.#enter('reading');
      this.#schedule();
    }
  }

  /** Storage stayed down: what was held speaks of a state never stored, so it is dropped unsent. */
  abandonOutput(): void {
    this.close('storage-outage');
  }

  /** Cleans up through the handler first, then closes the transport (`detail` says why, on a WebSocket). */
  close(reason: CloseReason, detail?: string): void {
    if (this.closed) return;
    this.#enter('closed');
    this.#release();
    this.handler.closed(this, reason);
    if (this.#repliesHeld && this.concernsGame && (this.output.holdsBack || reason === 'node-lost')) {
      // Held replies wait for a commit not yet done: they must never go out before it (end() would send them).
      // After node-lost, the commit to come may be refused (fenced off): they must never go out at all.
      this.transport.destroy();
      return;
    }
    // What was held for this turn (say, an InvalidLogin) still goes out first.
    this.#releaseHeld();
    this.transport.end(detail === undefined ? { reason } : { reason, detail });
  }

  #releaseHeld(): void {
    if (!this.#outputHeld) return;
    this.#outputHeld = false;
    this.#repliesHeld = false;
    this.transport.release();
  }

  #onData(chunk: Uint8Array): void {
    this.#decoder.push(chunk);
    this.transport.pause();
    this.#schedule();
  }

  #onClose(): void {
    if (this.closed) return;
    this.#enter('closed');
    this.#release();
    this.handler.closed(this, 'disconnect');
  }

  #release(): void {
    this.#cancelIncompleteTimer?.();
    this.#cancelLoginTimer?.();
    this.guard.release();
  }

  /** Queues a turn of handling, if the input is free (any other state resumes by itself). */
  #schedule(): void {
    if (this.#input !== 'reading') return;
    this.#enter('scheduled');
    setImmediate(() => {
      if (this.#input !== 'scheduled') return;
      this.#enter('reading');
      this.#process();
    });
  }

  #process(): void {
    for (let handled = 0; handled < this.limits.messagesPerTurn; handled++) {
      if (this.#input !== 'reading') return;
      if (this.#outputHeld && this.output.holdsBack) {
        // This session's last replies wait for a commit: its next message waits for them (flushOutput resumes).
        this.#enter('awaiting-commit');
        return;
      }
      let message = this.#heldBack;
      this.#heldBack = undefined;
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
        this.#heldBack = message;
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
    this.#enter('throttled');
    this.clock.after(waitMs, () => {
      if (this.#input !== 'throttled') return;
      this.#enter('reading');
      this.#schedule();
    });
  }

  #handle(message: AnyMessage): void {
    if (this.#machine.state === 'Unauthenticated') this.#speak(versionOfLogin(message));
    const step = this.machine.receive(message.type);
    if (!step.ok) {
      this.#protocolError(step.reason);
      return;
    }
    if (step.ignored) return;
    switch (message.type) {
      case 'Connect':
        this.#await(this.handler.connect(this, message), 'login failed unexpectedly');
        return;
      case 'LogOut':
        this.handler.logout(this);
        this.#decoder.useCodes('login');
        this.#watchLogin();
        return;
      case 'ReQueue':
        this.#await(this.handler.requeue(this), 'requeue failed unexpectedly');
        return;
      case 'MakeMove':
        this.#settleMove(message.move, this.handler.move(this, message.move));
        return;
      case 'Resume':
        this.#await(this.handler.resume(this, message), 'login failed unexpectedly');
        return;
      case 'Guest':
        if (this.handler.guest) this.#await(this.handler.guest(this, message), 'login failed unexpectedly');
        else this.deliver({ type: 'InvalidLogin', reason: InvalidLoginReason.GuestsOff });
        return;
      case 'PlayComputer': {
        const problem = playComputerProblem(message);
        if (problem) this.#protocolError(problem);
        else if (this.handler.playComputer)
          this.#await(this.handler.playComputer(this, message), 'play the computer failed unexpectedly');
        else this.deliver({ type: 'ComputerBusy' });
        return;
      }
      case 'Seek':
      case 'LeaveQueue':
      case 'MovePath':
      case 'Resign':
      case 'OfferDraw':
      case 'AnswerDraw':
      case 'Rematch':
      case 'Hint':
      case 'Challenge':
      case 'AnswerChallenge':
      case 'WithdrawOffer':
      case 'CreateInvite':
      case 'JoinInvite':
        this.#settlePlay(this.handler.play(this, message));
        return;
      default:
        this.#protocolError(`unexpected ${message.type}`);
    }
  }

  /** Reads nothing more until the handler is done with this message. */
  #await(handling: Promise<void>, failure: string): void {
    this.#enter('handling');
    handling
      .catch((error: unknown) => {
        this.log.error({ session: this.id, err: error }, failure);
        this.close('protocol-error');
      })
      .finally(() => {
        if (this.#input === 'handling') this.#enter('reading');
        // A login fixes the version of the messages read from now on; a refused one leaves the door open.
        this.#decoder.useCodes(this.machine.state === 'Unauthenticated' ? 'login' : this.version);
        this.#watchLogin();
        this.#schedule();
      });
  }

  #settleMove(move: number, outcome: MoveOutcome): void {
    switch (outcome.kind) {
      case 'legal':
        // Even with no reply to the mover, its next message waits for the move's commit.
        this.#hold();
        this.#resolveMove();
        for (const reply of outcome.replies) this.deliver(reply);
        return;
      case 'illegal':
        this.deliver({ type: 'InvalidMove', move, board: outcome.board });
        this.guard.moveRefused(this.clock.now());
        return;
      case 'no-game':
        this.close('protocol-error');
        return;
      case 'relayed':
        return;
    }
  }

  #resolveMove(): void {
    const step = this.machine.resolve('legal');
    if (!step.ok) this.log.error({ session: this.id }, step.reason);
  }

  /** Before login, the message names the version to check it (and the login's replies) by. */
  #speak(version: ProtocolVersion): void {
    if (this.#machine.version !== version) this.#machine = new ProtocolMachine('server', 'Unauthenticated', version);
  }

  #settlePlay(outcome: PlayOutcome): void {
    if (outcome.kind === 'illegal') this.guard.moveRefused(this.clock.now());
    else if (outcome.kind === 'protocol-error') this.#protocolError(outcome.reason);
  }

  #protocolError(reason: string): void {
    this.log.info(
      { session: this.id, address: this.remoteAddress, state: this.machine.state, reason },
      'protocol error',
    );
    this.close('protocol-error', reason);
  }

  /** While not logged in, the login timeout runs. */
  #watchLogin(): void {
    if (this.closed || this.limits.loginTimeoutMs <= 0) return;
    if (this.machine.state !== 'Unauthenticated') {
      this.#cancelLoginTimer?.();
      this.#cancelLoginTimer = undefined;
      return;
    }
    if (this.#cancelLoginTimer) return;
    this.#cancelLoginTimer = this.clock.after(this.limits.loginTimeoutMs, () => {
      this.#cancelLoginTimer = undefined;
      if (this.machine.state !== 'Unauthenticated' || this.#input === 'handling') return;
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
