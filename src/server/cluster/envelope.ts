/**
 * What nodes send each other through their inbox streams. `from` is the
 * sender's node. A game's relayed messages carry a `sequence`
 * (relay-order.ts), so that a receiver drops what it already applied. Fields
 * have their names in code; on the wire (encodeEnvelope) they are one letter
 * (`t g a m b f r`, the sequence `q: [epoch, position, direction]`).
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
  | { readonly type: 'takeover'; readonly accountId: number }
  /** Sent by the matchmaker to black's node, which starts and owns the game with fencing token `fence`. */
  | {
      readonly type: 'pair';
      readonly gameId: number;
      readonly fence: number;
      readonly black: QueueEntry;
      readonly white: QueueEntry;
      readonly now: number;
    }
  /** A player logged in on `from` takes its seat in the game, owned by the receiver. */
  | (GameEnvelope & { readonly type: 'join' })
  /** A player on `from` plays a move in the game. */
  | (GameEnvelope & { readonly type: 'move'; readonly move: number })
  /** A player on `from` left the game (connection lost, logged out, broke the protocol...). */
  | (GameEnvelope & { readonly type: 'away'; readonly why: AwayReason })
  /** A protocol message of the game for the player on the receiver: base64 of its wire bytes. */
  | (GameEnvelope & { readonly type: 'msg'; readonly bytes: string })
  /** The game is not refereed by the sender (finished, or owned by another node): ask again. */
  | (GameEnvelope & { readonly type: 'gone' })
  /** Redis lost its data: the player's node asks the referee to answer `synced` after all it sent the player. */
  | (GameEnvelope & { readonly type: 'sync' })
  /**
   * The referee's answer to `sync`: everything it sent the player before has arrived. `receivedUpTo`:
   * the last position of the player's node's session it had applied, NOTHING (-1) if none.
   */
  | (GameEnvelope & { readonly type: 'synced'; readonly receivedUpTo: number });

/** What every envelope about one player's seat in a game carries. */
interface GameEnvelope {
  readonly gameId: number;
  readonly accountId: number;
  readonly from: string;
  /** Its place in the game's relayed messages; absent where nothing numbers it (a node that does not referee the game). */
  readonly sequence?: RelaySequence;
}

const DIRECTIONS: readonly RelayDirection[] = ['to-player', 'to-referee'];

/**
 * The short names fields have on the wire (and in the PAIR script of
 * queue.ts, which writes a pair envelope itself); other fields keep their
 * names, and `sequence` is `q: [epoch, position, direction]`.
 */
const WIRE_NAMES: Readonly<Record<string, string>> = {
  type: 't',
  gameId: 'g',
  accountId: 'a',
  move: 'm',
  bytes: 'b',
  fence: 'f',
  receivedUpTo: 'r',
};
const CODE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(WIRE_NAMES).map(([code, wire]) => [wire, code]),
);

export function encodeEnvelope(envelope: Envelope): string {
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(envelope)) {
    if (name === 'sequence') {
      if (value === undefined) continue;
      const sequence = value as RelaySequence;
      wire.q = [sequence.epoch, sequence.position, DIRECTIONS.indexOf(sequence.direction)];
    } else {
      wire[WIRE_NAMES[name] ?? name] = value;
    }
  }
  return JSON.stringify(wire);
}

/** Undefined for anything malformed (logged by the caller). */
export function decodeEnvelope(text: string): Envelope | undefined {
  let value: Record<string, unknown> | null;
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || typeof value.t !== 'string') return undefined;
  const named: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (name === 'q') {
      const sequence = decodeSequence(field);
      if (!sequence) return undefined;
      named.sequence = sequence;
    } else {
      named[CODE_NAMES[name] ?? name] = field;
    }
  }
  if (named.type === 'synced' && (!Number.isSafeInteger(named.receivedUpTo) || (named.receivedUpTo as number) < -1))
    return undefined;
  return named as unknown as Envelope;
}

function decodeSequence(q: unknown): RelaySequence | undefined {
  if (!Array.isArray(q) || q.length !== 3) return undefined;
  const [epoch, position, direction] = q as unknown[];
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(position) || (position as number) < 0) return undefined;
  const named = typeof direction === 'number' ? DIRECTIONS[direction] : undefined;
  if (named === undefined) return undefined;
  return { epoch: epoch as number, position: position as number, direction: named };
}
