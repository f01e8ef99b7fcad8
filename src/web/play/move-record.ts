import type { Color } from '../../game/position.js';
import { squareNumber } from '../../game/squares.js';

/** One ply as the board shows it: a step, or one jump of a chain the server played. */
export interface Ply {
  readonly from: number;
  readonly to: number;
  readonly kind: 'step' | 'jump';
  readonly color: Color;
}

/** One side's turn in standard notation: "11-15", or a jump chain "22x15x24". */
export interface RecordEntry {
  readonly color: Color;
  readonly text: string;
  /** The square (bit) the chain ended on, to join the next jump of the same piece. */
  readonly end: number;
  readonly kind: 'step' | 'jump';
}

/**
 * Appends a ply to a game record: a jump that continues the previous jump of
 * the same side from where it landed joins it ("22x15" then "15x24" make "22x15x24").
 */
export function appendPly(record: readonly RecordEntry[], ply: Ply): RecordEntry[] {
  const last = record[record.length - 1];
  if (ply.kind === 'jump' && last && last.kind === 'jump' && last.color === ply.color && last.end === ply.from) {
    return [...record.slice(0, -1), { ...last, text: `${last.text}x${squareNumber(ply.to)}`, end: ply.to }];
  }
  const separator = ply.kind === 'jump' ? 'x' : '-';
  const text = `${squareNumber(ply.from)}${separator}${squareNumber(ply.to)}`;
  return [...record, { color: ply.color, text, end: ply.to, kind: ply.kind }];
}

/** Full moves for display: Black's turn then White's, numbered from 1 ("1. 11-15 23-19"). */
export function numberedMoves(
  record: readonly RecordEntry[],
): Array<{ number: number; black?: string; white?: string }> {
  const rows: Array<{ number: number; black?: string; white?: string }> = [];
  for (const entry of record) {
    const row = rows[rows.length - 1];
    if (entry.color === 0) rows.push({ number: rows.length + 1, black: entry.text });
    else if (row && row.white === undefined) row.white = entry.text;
    else rows.push({ number: rows.length + 1, white: entry.text });
  }
  return rows;
}

export function colorWord(color: Color): 'Black' | 'White' {
  return color === 0 ? 'Black' : 'White';
}
