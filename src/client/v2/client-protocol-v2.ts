import {
  type AnyMessage,
  type AnyMessageName,
  type AnyProtocolState,
  encodeMessage,
  ProtocolMachine,
} from '../../protocol/index.js';

/** Messages that may still be on their way after our LogOut; they are dropped, not protocol errors. */
const IN_FLIGHT_AFTER_LOGOUT: ReadonlySet<AnyMessageName> = new Set<AnyMessageName>([
  'QueuePosition',
  'GameStart2',
  'YourMove',
  'TheirMove',
  'IllegalMove',
  'DrawOffered',
  'DrawDeclined',
  'GameOver2',
  'RematchOffered',
  'RematchGone',
  'OpponentAway',
  'OpponentBack',
]);

export type Receipt2 =
  | { readonly kind: 'deliver' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'violation'; readonly reason: string };

/**
 * The client role of version 2 without I/O, as ClientProtocol is for
 * version 1: the version-2 state machine, and leniency for what the server
 * had already sent when our LogOut reached it.
 */
export class ClientProtocolV2 {
  readonly #machine = new ProtocolMachine<2>('client', 'Unauthenticated', 2);
  #loggedOut = false;

  get state(): AnyProtocolState {
    return this.#machine.state;
  }

  canSend(message: AnyMessageName): boolean {
    return this.#machine.canSend(message as never);
  }

  send(message: AnyMessage): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
    const step = this.#machine.send(message.type as never);
    if (!step.ok) return step;
    if (message.type === 'Connect' || message.type === 'Resume') this.#loggedOut = false;
    if (message.type === 'LogOut') this.#loggedOut = true;
    return { ok: true, bytes: encodeMessage(message) };
  }

  receive(message: AnyMessage): Receipt2 {
    if (this.#loggedOut && this.#machine.state === 'Unauthenticated' && IN_FLIGHT_AFTER_LOGOUT.has(message.type)) {
      return { kind: 'drop' };
    }
    const step = this.#machine.receive(message.type as never);
    return step.ok ? { kind: 'deliver' } : { kind: 'violation', reason: step.reason };
  }
}
