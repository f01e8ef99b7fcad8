/**
 * What nodes send each other through their inbox streams. `from` is the
 * sender's node; `g` a game id, `a` an account id.
 */
import type { Rating } from '../rating.js';

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
  | { readonly t: 'join'; readonly g: number; readonly a: number; readonly from: string }
  /** A player on `from` plays a move in game `g`. */
  | { readonly t: 'move'; readonly g: number; readonly a: number; readonly from: string; readonly m: number }
  /** A player on `from` left game `g` (connection lost, logged out, broke the protocol...). */
  | { readonly t: 'away'; readonly g: number; readonly a: number; readonly from: string; readonly why: AwayReason }
  /** A protocol message of game `g` for player `a` on the receiver, base64 of its wire bytes. */
  | { readonly t: 'msg'; readonly g: number; readonly a: number; readonly from: string; readonly b: string }
  /** Game `g` is not refereed by the sender (finished, or owned by another node): ask again. */
  | { readonly t: 'gone'; readonly g: number; readonly a: number; readonly from: string };

export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** Undefined for anything malformed (logged by the caller). */
export function decodeEnvelope(text: string): Envelope | undefined {
  try {
    const value = JSON.parse(text) as Envelope;
    return value && typeof value === 'object' && typeof value.t === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
