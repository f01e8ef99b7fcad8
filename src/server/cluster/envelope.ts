/**
 * What nodes send each other through their inbox streams. `from` is the
 * sender's node; `g` a game id, `a` an account id. A game's relayed messages
 * carry a `sequence` (relay-order.ts), written `q: [epoch, position,
 * direction]` on the wire, so that a receiver drops what it already applied.
 */
import type { Rating } from '../domain/rating.js';
import type { RelayDirection, RelaySequence } from './relay-order.js';

export interface QueueEntry {
  readonly accountId: number;
  readonly name: string;
  readonly rating: number;
  /** The whole rating, for the game's seat. */
  readonly glicko: Rating;
  /** When the player joined the queue (ms since the epoch: nodes share wall-clock time). */
  readonly since: number;
  /** The node the player is logged in on. */
  readonly node: string;
  /** Unique per join, so that a stale entry never matches a newer one. */
  readonly key: number;
}

export type AwayReason = 'drop' | 'logout' | 'protocol-error' | 'account-removed';

export type Envelope =
  /** Close the account's session here: it logged in on another node. */
  | { readonly t: 'takeover'; readonly a: number }
  /** Sent by the matchmaker to black's node, which starts and owns game `g` with fencing token `f`. */
  | {
      readonly t: 'pair';
      readonly g: number;
      readonly f: number;
      readonly black: QueueEntry;
      readonly white: QueueEntry;
      readonly now: number;
    }
  /** A player logged in on `from` takes its seat in game `g`, owned by the receiver. */
  | (GameEnvelope & { readonly t: 'join' })
  /** A player on `from` plays a move in game `g`. */
  | (GameEnvelope & { readonly t: 'move'; readonly m: number })
  /** A player on `from` left game `g` (connection lost, logged out, broke the protocol...). */
  | (GameEnvelope & { readonly t: 'away'; readonly why: AwayReason })
  /** A protocol message of game `g` for player `a` on the receiver, base64 of its wire bytes. */
  | (GameEnvelope & { readonly t: 'msg'; readonly b: string })
  /** Game `g` is not refereed by the sender (finished, or owned by another node): ask again. */
  | (GameEnvelope & { readonly t: 'gone' })
  /** Redis lost its data: the player's node asks the referee to answer `synced` after all it sent the player. */
  | (GameEnvelope & { readonly t: 'sync' })
  /**
   * The referee's answer to `sync`: everything it sent the player before has arrived. `receivedUpTo`
   * (`r` on the wire): the last position of the player's node's session it had applied, NOTHING (-1) if none.
   */
  | (GameEnvelope & { readonly t: 'synced'; readonly receivedUpTo: number });

/** What every envelope about one player's seat in a game carries. */
interface GameEnvelope {
  readonly g: number;
  readonly a: number;
  readonly from: string;
  /** Its place in the game's relayed messages; absent where nothing numbers it (a node that does not referee the game). */
  readonly sequence?: RelaySequence;
}

const DIRECTIONS: readonly RelayDirection[] = ['to-player', 'to-referee'];

export function encodeEnvelope(envelope: Envelope): string {
  if (!('sequence' in envelope) || !envelope.sequence) return JSON.stringify(envelope);
  const { sequence, ...rest } = envelope;
  const wire: Record<string, unknown> = {
    ...rest,
    q: [sequence.epoch, sequence.position, DIRECTIONS.indexOf(sequence.direction)],
  };
  if ('receivedUpTo' in wire) {
    wire.r = wire.receivedUpTo;
    delete wire.receivedUpTo;
  }
  return JSON.stringify(wire);
}

/** Undefined for anything malformed (logged by the caller). */
export function decodeEnvelope(text: string): Envelope | undefined {
  let value: (Record<string, unknown> & { t?: unknown; q?: unknown }) | null;
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || typeof value.t !== 'string') return undefined;
  if (value.q === undefined) return value as unknown as Envelope;
  const { q, r, ...rest } = value;
  const sequence = decodeSequence(q);
  if (!sequence) return undefined;
  if (value.t !== 'synced') return { ...rest, sequence } as unknown as Envelope;
  if (!Number.isSafeInteger(r) || (r as number) < -1) return undefined;
  return { ...rest, sequence, receivedUpTo: r } as unknown as Envelope;
}

function decodeSequence(q: unknown): RelaySequence | undefined {
  if (!Array.isArray(q) || q.length !== 3) return undefined;
  const [epoch, position, direction] = q as unknown[];
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(position) || (position as number) < 0) return undefined;
  const named = typeof direction === 'number' ? DIRECTIONS[direction] : undefined;
  if (named === undefined) return undefined;
  return { epoch: epoch as number, position: position as number, direction: named };
}
