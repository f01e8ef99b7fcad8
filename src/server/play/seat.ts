import { BLACK, type Color, WHITE } from '../../game/position.js';

/**
 * A seat of a version-2 game, numbered as the colours: 0 is the first player
 * (Black, moves first), 1 the second (White). Seats stay with the accounts
 * for the whole game; a rematch seats them the other way round.
 */
export type Seat = Color;

export const SEATS: readonly Seat[] = [BLACK, WHITE];
