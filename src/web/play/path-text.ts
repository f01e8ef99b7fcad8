import { squareNumber } from '../../game/squares.js';
import { destination, type Move } from '../../game/standard.js';

export type PathReading = { readonly ok: true; readonly move: Move } | { readonly ok: false; readonly reason: string };

/** A move in standard notation: "11-15" for a step, "22x15" or "13x22x31" for captures. */
export function pathText(move: Move): string {
  const squares = [move.from, ...move.path].map(squareNumber);
  return squares.join(move.captured === 0 ? '-' : 'x');
}

/**
 * Reads a typed move against the legal moves: a step "11-15", a capture path
 * "13x22x31", or a capture given by its first and last square only ("13x31")
 * when just one legal path joins them.
 */
export function readPathText(text: string, moves: readonly Move[]): PathReading {
  const trimmed = text.trim().toLowerCase();
  if (!/^\d{1,2}([-x]\d{1,2})+$/.test(trimmed)) {
    return {
      ok: false,
      reason: `"${text.trim()}" is not a move; write it as 11-15, or a capture as 22x15 or 13x22x31`,
    };
  }
  const squares = trimmed.split(/[-x]/).map(Number);
  const wrong = squares.find((square) => square < 1 || square > 32);
  if (wrong !== undefined) return { ok: false, reason: `there is no square ${wrong}; squares are numbered 1 to 32` };
  const bits = squares.map((square) => square - 1);
  const exact = moves.find(
    (move) =>
      move.from === bits[0] &&
      move.path.length === bits.length - 1 &&
      move.path.every((bit, index) => bit === bits[index + 1]),
  );
  if (exact) return { ok: true, move: exact };
  if (bits.length === 2) {
    const joined = moves.filter((move) => move.from === bits[0] && destination(move) === bits[1]);
    if (joined.length === 1 && joined[0]) return { ok: true, move: joined[0] };
    if (joined.length > 1) {
      return {
        ok: false,
        reason: `more than one capture path joins ${squares[0]} and ${squares[1]}: give the whole path, e.g. ${pathText(joined[0] as Move)}`,
      };
    }
  }
  const captures = moves.filter((move) => move.captured !== 0);
  if (captures.length > 0) {
    const from = captures.filter((move) => move.from === bits[0]);
    const examples = (from.length > 0 ? from : captures).slice(0, 3).map(pathText).join(', ');
    return { ok: false, reason: `${trimmed} is not a legal move here: a capture is compulsory (${examples})` };
  }
  return { ok: false, reason: `${trimmed} is not a legal move here` };
}
