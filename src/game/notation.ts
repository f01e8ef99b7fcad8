import { BIT_COORDINATES, bitOfSquare, squareNumber } from './squares.js';
import type { Move } from './standard.js';
import type { V1Event } from './v1.js';

/**
 * Standard checkers move text over the 1-32 numbering: "11-15" for a step,
 * "22x15" for a jump, "22x15x24" for a multi-jump.
 */
export function formatMove(move: Move): string {
  const squares = [move.from, ...move.path].map(squareNumber);
  return squares.join(move.captured === 0 ? '-' : 'x');
}

/** The squares (1-32) a move visits, start first: the `path` of protocol version 2. */
export function pathOfMove(move: Move): number[] {
  return [move.from, ...move.path].map(squareNumber);
}

/**
 * Move text of a path of squares 1-32: "11-15" when the first hop is a step,
 * "22x15x24" when it is a jump (two rows apart). The text for a protocol
 * `path`; parseMoveText reads it back.
 */
export function pathToNotation(squares: readonly number[]): string {
  const [first = 0, second = 0] = squares.map(bitOfSquare);
  const rows = Math.abs((BIT_COORDINATES[first]?.y ?? 0) - (BIT_COORDINATES[second]?.y ?? 0));
  return squares.join(rows === 2 ? 'x' : '-');
}

export interface ParsedMoveText {
  /** Square numbers 1-32, at least two. */
  readonly squares: readonly number[];
  readonly kind: 'step' | 'capture' | 'unspecified';
}

export type MoveTextReading =
  | { readonly ok: true; readonly move: ParsedMoveText }
  | { readonly ok: false; readonly reason: string };

/** Reads "11-15", "11 15", "22x15", "22x15x24" (x, X, : and - accepted as separators). */
export function parseMoveText(text: string): MoveTextReading {
  const trimmed = text.trim();
  if (!/^\d{1,2}(\s*[-xX:\s]\s*\d{1,2})+$/.test(trimmed)) {
    return { ok: false, reason: `"${trimmed}" is not a move; write it as 11-15, 11 15 or 22x15` };
  }
  const squares = trimmed.split(/\s*[-xX:\s]\s*/).map(Number);
  const bad = squares.find((square) => bitOfSquare(square) < 0);
  if (bad !== undefined) return { ok: false, reason: `square ${bad} does not exist; squares are numbered 1 to 32` };
  const kind = /[xX:]/.test(trimmed) ? 'capture' : trimmed.includes('-') ? 'step' : 'unspecified';
  if (kind === 'step' && squares.length > 2)
    return { ok: false, reason: 'a step goes from one square to the next; use x for jumps' };
  return { ok: true, move: { squares, kind } };
}

export type MoveMatch = { readonly ok: true; readonly move: Move } | { readonly ok: false; readonly reason: string };

/**
 * Finds the legal move that the text names. A multi-jump may be given by its
 * start and end only ("1x10") when that is unambiguous.
 */
export function matchMove(legal: readonly Move[], parsed: ParsedMoveText): MoveMatch {
  const bits = parsed.squares.map(bitOfSquare);
  const [from] = bits;
  const candidates = legal.filter((move) => {
    if (move.from !== from) return false;
    if (parsed.kind === 'step' && move.captured !== 0) return false;
    if (parsed.kind === 'capture' && move.captured === 0) return false;
    const path = bits.slice(1);
    if (path.length === move.path.length) return path.every((bit, i) => move.path[i] === bit);
    return path.length === 1 && move.path[move.path.length - 1] === path[0];
  });
  const [only] = candidates;
  if (only && candidates.length === 1) return { ok: true, move: only };
  if (candidates.length > 1) {
    return { ok: false, reason: `that is ambiguous: ${candidates.map(formatMove).join(' or ')}` };
  }
  return {
    ok: false,
    reason: `${parsed.squares.join(parsed.kind === 'capture' ? 'x' : '-')} is not a legal move here`,
  };
}

/**
 * Appends version-1 events to a game record, one entry per turn: a step
 * "11-15", or the referee's jump chain for one side "22x15x24".
 */
export function recordTurns(record: string[], events: readonly V1Event[]): void {
  let chainEnd = -1;
  for (const event of events) {
    if (event.kind === 'step') {
      record.push(`${squareNumber(event.from)}-${squareNumber(event.to)}`);
      chainEnd = -1;
    } else if (event.kind === 'jump') {
      if (chainEnd === event.from && record.length > 0) {
        record[record.length - 1] += `x${squareNumber(event.to)}`;
      } else {
        record.push(`${squareNumber(event.from)}x${squareNumber(event.to)}`);
      }
      chainEnd = event.to;
    }
  }
}
