import type { Envelope } from './envelope.js';
import { NOTHING, nothingLost, type RelaySequence, type RelaySession } from './relay-order.js';

/**
 * After Redis lost its data, a relayed player's node asks the referee for
 * `synced` (which follows everything sent before it, a GameOver included)
 * and compares notes (nothingLost); a referee that does not answer (dead,
 * or still cut off from Redis) is waited for this long, then the player
 * rejoins from the stored game.
 */
export const RESYNC_WAIT_MS = 5_000;

/** On a player's node: the player's game, refereed by another node. */
export interface RelayedGame {
  readonly gameId: number;
  /** The node refereeing it. */
  readonly owner: string;
  /** Ticks the game's referee was gone and the store had it finished (its GameOver may be on its way). */
  missing: number;
  /** Joined again under a new referee while in the game: what the player's connection is past is left out. */
  resumed?: boolean;
  /** Numbers what goes to the referee. */
  readonly relay: RelaySession;
  /** Redis lost its data: the referee's `synced` is awaited until this time (then the player rejoins). */
  syncUntil?: number;
  /** The last position sent to the referee before `sync`. */
  sentBeforeSync?: number;
}

/** Redis lost its data: the wait starts, and this `sync` goes to the game's referee. */
export function startResync(game: RelayedGame, accountId: number, node: string, now: number): Envelope {
  game.syncUntil = now + RESYNC_WAIT_MS;
  game.sentBeforeSync = game.relay.lastSent;
  return { type: 'sync', gameId: game.gameId, accountId, from: node, sequence: game.relay.next() };
}

/** The wait for the referee's answer is over: the player rejoins. */
export function resyncExpired(game: RelayedGame | undefined, now: number): boolean {
  return game?.syncUntil !== undefined && now >= game.syncUntil;
}

/**
 * The referee's answer: `keep` the game as it is (nothing was lost; the wait
 * ends), have the player `rejoin`, or `ignore` it (not the answer awaited).
 * `appliedBefore`: the referee's last message applied before this one.
 */
export function resyncOutcome(
  game: RelayedGame | undefined,
  synced: Extract<Envelope, { type: 'synced' }>,
  appliedBefore: RelaySequence | undefined,
): 'keep' | 'rejoin' | 'ignore' {
  if (!game || game.gameId !== synced.gameId || game.owner !== synced.from || game.syncUntil === undefined)
    return 'ignore';
  const kept =
    synced.sequence !== undefined &&
    nothingLost({
      sentBeforeSync: game.sentBeforeSync ?? NOTHING,
      receivedBeforeSync: synced.receivedUpTo,
      synced: synced.sequence,
      appliedBeforeSynced: appliedBefore,
    });
  if (!kept) return 'rejoin';
  game.syncUntil = undefined;
  return 'keep';
}

/** The referee's side: the last position of the sender's session applied before its `sync`, NOTHING if none. */
export function receivedBeforeSync(sync: Envelope, previous: RelaySequence | undefined): number {
  const epoch = 'sequence' in sync ? sync.sequence?.epoch : undefined;
  return previous && previous.epoch === epoch ? previous.position : NOTHING;
}
