import type { LivePlayer, Side } from '../../../common/api-types.js';
import { BLACK, type Position } from '../../../game/position.js';
import type { LiveSeat } from '../../domain/games.js';
import { isGuestName } from '../../play/guests.js';
import { rounded } from './answers.js';

/* How a game in progress is shown by the API (GET /api/live) and the watch feed. */

/** A player's name and rating before the game, rounded. */
export function livePlayer(seat: LiveSeat): LivePlayer {
  return { name: seat.name, rating: rounded(seat.rating.rating), ...(isGuestName(seat.name) ? { guest: true } : {}) };
}

/** Whose turn it is. */
export function sideToMove(position: Position): Side {
  return position.turn === BLACK ? 'black' : 'white';
}
