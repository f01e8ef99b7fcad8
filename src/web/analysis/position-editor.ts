import type { Position } from '../../game/position.js';

/**
 * Setting up a position by clicking squares, pure: each click turns a square
 * to the next of empty, black man, black king, white man, white king, and
 * back to empty.
 */
export function cyclePiece(position: Position, bit: number): Position {
  const mask = (1 << bit) >>> 0;
  const clear = (bits: number) => (bits & ~mask) >>> 0;
  const base = { black: clear(position.black), white: clear(position.white), kings: clear(position.kings) };
  const king = (position.kings & mask) !== 0;
  if (position.black & mask) {
    return king
      ? { ...position, ...base, white: (base.white | mask) >>> 0 }
      : { ...position, ...base, black: (base.black | mask) >>> 0, kings: (base.kings | mask) >>> 0 };
  }
  if (position.white & mask) {
    return king
      ? { ...position, ...base }
      : { ...position, ...base, white: (base.white | mask) >>> 0, kings: (base.kings | mask) >>> 0 };
  }
  return { ...position, ...base, black: (base.black | mask) >>> 0 };
}
