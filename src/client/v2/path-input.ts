import { formatMove, parseMoveText } from '../../game/notation.js';
import type { Position } from '../../game/position.js';
import { bitOfSquare, squareNumber } from '../../game/squares.js';
import { legalMoves, type Move } from '../../game/standard.js';

/** A typed move read against the legal moves of standard English draughts. */
export type PathReading =
  | { readonly ok: true; readonly squares: readonly number[]; readonly text: string }
  | { readonly ok: false; readonly reason: string };

/** "a", "a or b", "a, b or c". */
function either(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The squares (1-32) of a legal move: its start and every landing. */
export function moveSquares(move: Move): number[] {
  return [move.from, ...move.path].map(squareNumber);
}

/**
 * Reads what the player typed (`11-15`, `11 15`, `22x15`, `13x22x31`) for the
 * side to move in `position`, pure: the legal move's squares, or why it is
 * not one, in words that say what to type instead (a capture that stops
 * short, a capture that is compulsory, the pieces that can move).
 */
export function readPath(position: Position, text: string): PathReading {
  const parsed = parseMoveText(text);
  if (!parsed.ok) return parsed;
  const legal = legalMoves(position);
  if (legal.length === 0) return { ok: false, reason: 'you have no legal move' };
  const typed = parsed.move.squares;
  const bits = typed.map(bitOfSquare);
  const exact = legal.filter(
    (move) =>
      move.from === bits[0] && move.path.length === bits.length - 1 && move.path.every((b, i) => b === bits[i + 1]),
  );
  const [only] = exact;
  if (only) return { ok: true, squares: moveSquares(only), text: formatMove(only) };
  const shown = typed.join(parsed.move.kind === 'step' ? '-' : 'x');
  const captures = legal.filter((move) => move.captured !== 0);
  // A capture path that stops before the end: the rest of the path must be given.
  const longer = captures.filter(
    (move) =>
      move.from === bits[0] && move.path.length > bits.length - 1 && bits.slice(1).every((b, i) => move.path[i] === b),
  );
  if (longer.length > 0 && bits.length > 1) {
    return {
      ok: false,
      reason: `${shown} stops short: the capture can go on, so give the whole path (${either(longer.map(formatMove))})`,
    };
  }
  if (captures.length > 0) {
    return {
      ok: false,
      reason: `${shown} is not legal: a capture is compulsory; you can play ${either(captures.map(formatMove))}`,
    };
  }
  const movers = [...new Set(legal.map((move) => squareNumber(move.from)))].sort((a, b) => a - b);
  const fromHere = legal.filter((move) => move.from === bits[0]).map(formatMove);
  return {
    ok: false,
    reason:
      fromHere.length > 0
        ? `${shown} is not legal; the piece on ${typed[0]} can play ${either(fromHere)}`
        : `${shown} is not legal; the pieces that can move are on ${either(movers.map(String))}`,
  };
}

/** Every legal move for the side to move, as text. */
export function legalPathTexts(position: Position): string[] {
  return legalMoves(position).map(formatMove);
}
