import {
  encodeMessage,
  type Message,
  type MessageName,
  ProtocolMachine,
  type ProtocolState,
} from '../protocol/index.js';

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

/** What to do with a message from the server. */
export type Receipt =
  | { readonly kind: 'deliver' }
  /** Sent before our LogOut reached the server: neither shown nor a protocol error. */
  | { readonly kind: 'drop' }
  | { readonly kind: 'violation'; readonly reason: string };

/**
 * The client role of version 1 without I/O, shared by the terminal's
 * ProtocolConnection (a stream) and the browser's SocketConnection (a
 * WebSocket): the client-role state machine, and leniency for what the
 * server had already sent when our LogOut reached it.
 */
export class ClientProtocol {
  readonly #machine = new ProtocolMachine('client');
  #loggedOut = false;

  get state(): ProtocolState {
    return this.#machine.state;
  }

  canSend(message: MessageName): boolean {
    return this.#machine.canSend(message);
  }

  /** The bytes of `message` if the client may send it now, or why not. */
  send(message: Message): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
    const step = this.#machine.send(message.type);
    if (!step.ok) return step;
    if (message.type === 'Connect') this.#loggedOut = false;
    if (message.type === 'LogOut') this.#loggedOut = true;
    return { ok: true, bytes: encodeMessage(message) };
  }

  receive(message: Message): Receipt {
    if (this.#loggedOut && this.#machine.state === 'Unauthenticated' && IN_FLIGHT_AFTER_LOGOUT.has(message.type)) {
      return { kind: 'drop' };
    }
    const step = this.#machine.receive(message.type);
    return step.ok ? { kind: 'deliver' } : { kind: 'violation', reason: step.reason };
  }
}
