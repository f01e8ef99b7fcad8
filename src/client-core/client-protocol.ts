import {
  type AnyMessageName,
  encodeMessage,
  type Message,
  type MessageNameOf,
  type MessageV2,
  ProtocolMachine,
  type ProtocolVersion,
  type StateOf,
} from '../protocol/index.js';

/** Messages that may still be on their way after we logged out; they are dropped, not protocol errors. */
const IN_FLIGHT_AFTER_LOGOUT: Readonly<Record<ProtocolVersion, ReadonlySet<AnyMessageName>>> = {
  1: new Set([
    'QueuePosition',
    'GameStart',
    'YourTurn',
    'CompulsoryMove',
    'InvalidMove',
    'GameOver',
    'OpponentDisconnect',
  ]),
  2: new Set([
    'QueuePosition',
    'GameStart2',
    'YourMove',
    'TheirMove',
    'IllegalMove',
    'GameOver2',
    'DrawOffered',
    'DrawDeclined',
    'RematchOffered',
    'RematchGone',
    'OpponentAway',
    'OpponentBack',
    'ComputerBusy',
    'ChallengeOffered',
    'ChallengeGone',
    'ChallengeDeclined',
    'InviteCreated',
    'InviteRefused',
    'HintMove',
  ]),
};

/**
 * Version 2: after our Seek from GameEnd, a rematch notice the server sent
 * before it saw that Seek may still come; it is dropped while we are in the
 * queue or the lobby, until the next game starts. Likewise a QueuePosition
 * after our LeaveQueue, while we are in the lobby.
 */
const REMATCH_NOTICES: ReadonlySet<AnyMessageName> = new Set(['RematchOffered', 'RematchGone']);

/**
 * Version 2: answers to our own offers (and to a Hint) that the server sent
 * before it read our Seek, which ended them. The server never sends them to
 * a queued player, so in the queue they are always such leftovers; back in
 * the lobby (a LeaveQueue right after the Seek) they are, until the Seek's
 * QueuePosition (sent at once) or a game start. They are dropped.
 */
const ENDED_BY_SEEK: ReadonlySet<AnyMessageName> = new Set([
  'ChallengeDeclined',
  'InviteCreated',
  'InviteRefused',
  'HintMove',
]);

/** The messages a client logs in with. */
const LOGINS: ReadonlySet<AnyMessageName> = new Set(['Connect', 'Resume', 'Guest']);

/** In version 2, everything the server sent before our LogOut arrives before one of these answers our next login. */
const LOGIN_ANSWERS: ReadonlySet<AnyMessageName> = new Set([
  'LoggedIn',
  'GuestLoggedIn',
  'InvalidLogin',
  'InvalidVersion',
]);

/** What to do with a message from the server. */
export type Receipt =
  | { readonly kind: 'deliver' }
  /** Sent before our LogOut reached the server: neither shown nor a protocol error. */
  | { readonly kind: 'drop' }
  | { readonly kind: 'violation'; readonly reason: string };

type MessageOfVersion<V extends ProtocolVersion> = V extends 1 ? Message : MessageV2;

/**
 * The client role of one protocol version without I/O, shared by the
 * terminal's ProtocolConnection (a stream) and the browser's SocketConnection
 * (a WebSocket): the client-role state machine, and leniency for what the
 * server had already sent when our LogOut reached it. `new ClientProtocol()`
 * is version 1; `ClientProtocol.forVersion(2)` version 2. A version-2 client
 * that is answered InvalidVersion(1, 1) makes a version-1 one to fall back.
 */
export class ClientProtocol<V extends ProtocolVersion = 1> {
  static forVersion(version: 1): ClientProtocol<1>;
  static forVersion(version: 2): ClientProtocol<2>;
  static forVersion(version: ProtocolVersion): ClientProtocol<ProtocolVersion> {
    return new ClientProtocol(version);
  }

  readonly #machine: ProtocolMachine<V>;
  readonly #inFlightAfterLogout: ReadonlySet<AnyMessageName>;
  #loggedOut = false;
  #leftGameEnd = false;
  #leftQueue = false;
  /** We sent a Seek whose QueuePosition has not come: what it ended may still arrive (ENDED_BY_SEEK). */
  #seekUnanswered = false;

  constructor(readonly version: V = 1 as V) {
    this.#machine = new ProtocolMachine<V>('client', 'Unauthenticated' as StateOf<V>, version);
    this.#inFlightAfterLogout = IN_FLIGHT_AFTER_LOGOUT[version];
  }

  get state(): StateOf<V> {
    return this.#machine.state;
  }

  canSend(message: MessageNameOf<V>): boolean {
    return this.#machine.canSend(message);
  }

  /** The bytes of `message` if the client may send it now, or why not. */
  send(message: MessageOfVersion<V>): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
    const leavingGameEnd = message.type === 'Seek' && this.#machine.state === 'GameEnd';
    const step = this.#machine.send(message.type as MessageNameOf<V>);
    if (!step.ok) return step;
    if (leavingGameEnd) this.#leftGameEnd = true;
    if (message.type === 'LeaveQueue') this.#leftQueue = true;
    if (message.type === 'Seek') {
      this.#leftQueue = false;
      this.#seekUnanswered = true;
    }
    if (LOGINS.has(message.type)) {
      // Version 2 answers a login with LoggedIn, so what was in flight before it can still be told apart.
      if (this.version === 1) this.#loggedOut = false;
      this.#leftGameEnd = false;
      this.#leftQueue = false;
      this.#seekUnanswered = false;
    }
    if (message.type === 'LogOut') this.#loggedOut = true;
    return { ok: true, bytes: encodeMessage(message) };
  }

  receive(message: MessageOfVersion<V>): Receipt {
    if (this.#loggedOut && this.#machine.state === 'Unauthenticated' && this.#inFlightAfterLogout.has(message.type)) {
      return { kind: 'drop' };
    }
    const state: string = this.#machine.state;
    if (this.#leftGameEnd && REMATCH_NOTICES.has(message.type) && (state === 'InQueue' || state === 'Lobby')) {
      return { kind: 'drop' };
    }
    if (ENDED_BY_SEEK.has(message.type) && (state === 'InQueue' || (state === 'Lobby' && this.#seekUnanswered))) {
      return { kind: 'drop' };
    }
    // The Seek's answer (or a game instead) comes after everything the Seek ended, even when it is dropped.
    if (message.type === 'QueuePosition' || message.type === 'GameStart2') this.#seekUnanswered = false;
    if (this.#leftQueue && message.type === 'QueuePosition' && state === 'Lobby') return { kind: 'drop' };
    if (message.type === 'GameStart2') this.#leftGameEnd = false;
    if (LOGIN_ANSWERS.has(message.type)) this.#loggedOut = false;
    const step = this.#machine.receive(message.type as MessageNameOf<V>);
    return step.ok ? { kind: 'deliver' } : { kind: 'violation', reason: step.reason };
  }
}
