import { formatMove } from './notation.js';
import { type Color, INITIAL_POSITION, type Position } from './position.js';
import { QUIET_PLIES_FOR_DRAW } from './result.js';
import {
  applyMove,
  findPath,
  isIrreversible,
  legalMoves,
  type Move,
  type PathRefusal,
  positionKey,
  standardResult,
} from './standard.js';

/**
 * A game under standard rules, as a referee keeps it: the position, the
 * 40-move count and the positions seen since the last irreversible move (only
 * those can come again), and the result once it has ended. Threefold
 * repetition is an automatic draw: the same position with the same side to
 * move for the third time ends the game.
 */
export interface StandardGame {
  readonly position: Position;
  /** Plies since the last capture or man move. */
  readonly quietPlies: number;
  /** `positionKey` of every position since the last irreversible move, the current one last. */
  readonly seen: readonly string[];
  readonly result: StandardResult | undefined;
}

export type StandardEndReason = 'no-pieces' | 'no-moves' | 'forty-move-rule' | 'threefold-repetition';

/** How a game ended on the board; a null winner is a draw. */
export interface StandardResult {
  readonly winner: Color | null;
  readonly reason: StandardEndReason;
}

/** The third occurrence of a position draws. */
export const REPETITIONS_FOR_DRAW = 3;

export function newStandardGame(position: Position = INITIAL_POSITION): StandardGame {
  const game: StandardGame = { position, quietPlies: 0, seen: [positionKey(position)], result: undefined };
  return { ...game, result: standardResult(position) };
}

export type PathOutcome =
  | { readonly ok: true; readonly game: StandardGame; readonly move: Move; readonly text: string }
  | { readonly ok: false; readonly refusal: PathRefusal | 'game-over' };

/** Plays a path (square numbers 1-32) for the side to move, or says why it is refused (the game is unchanged). */
export function playStandardPath(game: StandardGame, squares: readonly number[]): PathOutcome {
  if (game.result) return { ok: false, refusal: 'game-over' };
  const reading = findPath(game.position, squares, legalMoves(game.position));
  if (!reading.ok) return reading;
  const { move } = reading;
  const irreversible = isIrreversible(game.position, move);
  const position = applyMove(game.position, move);
  const key = positionKey(position);
  const quietPlies = irreversible ? 0 : game.quietPlies + 1;
  const seen = irreversible ? [key] : [...game.seen, key];
  const result = endOf(position, quietPlies, seen, key);
  return { ok: true, game: { position, quietPlies, seen, result }, move, text: formatMove(move) };
}

/** A loss for the side with no move first, then the 40-move rule, then threefold repetition. */
function endOf(
  position: Position,
  quietPlies: number,
  seen: readonly string[],
  key: string,
): StandardResult | undefined {
  const onBoard = standardResult(position);
  if (onBoard) return onBoard;
  if (quietPlies >= QUIET_PLIES_FOR_DRAW) return { winner: null, reason: 'forty-move-rule' };
  const occurrences = seen.reduce((count, each) => (each === key ? count + 1 : count), 0);
  if (occurrences >= REPETITIONS_FOR_DRAW) return { winner: null, reason: 'threefold-repetition' };
  return undefined;
}
