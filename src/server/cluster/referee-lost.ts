import type { Message, ProtocolMachine } from '../../protocol/index.js';
import { GAME_LEASE_MS } from './leases.js';
import type { RelayedGame } from './resync.js';

/** The game service's tick, which checks relayed games' leases (and does the rest of its rounds). */
export const SERVICE_TICK_MS = 1_000;

/**
 * After `kill -9` of a referee's node, its players on live nodes have the
 * board again (or their game's end) within this bound: the game's lease
 * runs out at most GAME_LEASE_MS after the node's last renewal, and the
 * next tick of the player's node takes the game over (plus a store read).
 * A player whose own node died adds its client's reconnect to it.
 */
export const FAILOVER_BOUND_MS = GAME_LEASE_MS + SERVICE_TICK_MS;

/**
 * On a player's node, once a tick: what to do about a relayed game, given
 * the node that holds its lease now (read from Redis).
 *
 * - `keep`: the referee still holds it.
 * - `take-over`: nobody holds it (the referee's node died and its lease
 *   expired): this node takes the game over from the store and the player
 *   goes on here, still connected.
 * - `here`: this node took it over already (a login or the orphan scan).
 * - `follow`: another node took it over: the player's node joins the game
 *   there, still connected.
 *
 * Until the lease expires the player just waits, as the opponent of a
 * dropped player waits for the grace period: nobody connected to a live
 * node is disconnected because another node died.
 */
/**
 * The owner of a relayed game not known yet: a login found its game in the
 * store but not in Redis (which lost it) and could not take it over yet.
 * The login waits, as for a dead referee, until a node owns the game.
 */
export const OWNER_UNKNOWN = '';

export type RefereeVerdict = 'keep' | 'take-over' | 'here' | 'follow';

export function refereeVerdict(game: RelayedGame, ownerNow: string | undefined, node: string): RefereeVerdict {
  if (ownerNow === game.owner) return 'keep';
  if (ownerNow === undefined) return 'take-over';
  return ownerNow === node ? 'here' : 'follow';
}

/**
 * A player already in the game (GameStart heard, perhaps a move on its way
 * to the dead referee) resumes it under a new referee: what the rejoin
 * sends is what a reconnecting client needs, so the messages its
 * connection is past are left out (GameStart once in the game, YourTurn
 * when it already holds the turn). A move sent to the dead referee and
 * never answered is answered by YourTurn with the stored board.
 */
export function skippedOnResume(machine: ProtocolMachine, message: Message): boolean {
  return (message.type === 'GameStart' || message.type === 'YourTurn') && !machine.canSend(message.type);
}
