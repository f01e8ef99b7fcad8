import { BLACK, type Position, positionProblem, WHITE } from './position.js';

/**
 * Positions in the FEN of PDN 3.0 for English draughts: the side to move, then
 * each colour's squares 1-32, a K before a king's square, e.g.
 * `B:W18,24,K30:B2,4,9` (Black to move). Used by tests and tools.
 */
export function positionFromFen(text: string): Position {
  const fields = text.trim().replace(/\.$/, '').split(':');
  const turn = fields[0]?.toUpperCase();
  if ((turn !== 'B' && turn !== 'W') || fields.length !== 3) {
    throw new SyntaxError(`"${text}" is not a FEN position; write it as B:W21,22:B1,K2`);
  }
  let black = 0;
  let white = 0;
  let kings = 0;
  for (const field of fields.slice(1)) {
    const colour = field[0]?.toUpperCase();
    if (colour !== 'B' && colour !== 'W') throw new SyntaxError(`"${field}" does not start with B or W`);
    for (const item of field
      .slice(1)
      .split(',')
      .filter((part) => part.trim() !== '')) {
      const king = /^\s*K/i.test(item);
      const square = Number(item.trim().replace(/^K/i, ''));
      if (!Number.isInteger(square) || square < 1 || square > 32) throw new SyntaxError(`no square "${item}"`);
      const bit = (1 << (square - 1)) >>> 0;
      if (colour === 'B') black |= bit;
      else white |= bit;
      if (king) kings |= bit;
    }
  }
  const position: Position = {
    black: black >>> 0,
    white: white >>> 0,
    kings: kings >>> 0,
    turn: turn === 'B' ? BLACK : WHITE,
  };
  const problem = positionProblem(position);
  if (problem) throw new RangeError(`"${text}": ${problem}`);
  return position;
}

/** The FEN of a position (kings marked with K, squares in increasing order). */
export function fenOf(position: Position): string {
  const side = (bits: number) => {
    const squares: string[] = [];
    for (let bit = 0; bit < 32; bit++) {
      if ((bits >>> bit) & 1) squares.push(`${(position.kings >>> bit) & 1 ? 'K' : ''}${bit + 1}`);
    }
    return squares.join(',');
  };
  return `${position.turn === BLACK ? 'B' : 'W'}:W${side(position.white)}:B${side(position.black)}`;
}
