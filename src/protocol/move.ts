/**
 * The one-byte Move of PROTOCOL.md section 2.1:
 * bits 7-5 = x, bits 4-2 = y, bit 1 = dx (1 = towards larger x), bit 0 = dy.
 */
export type MoveByte = number;

export interface MoveParts {
  readonly x: number;
  readonly y: number;
  /** 1 = towards larger x, 0 = towards smaller x. */
  readonly dx: 0 | 1;
  /** 1 = towards larger y, 0 = towards smaller y. */
  readonly dy: 0 | 1;
}

/** The byte a YourTurn carries at the start of a game: "no previous move". */
export const NO_MOVE: MoveByte = 0x00;

export function encodeMove(parts: MoveParts): MoveByte {
  if (!isCoordinate(parts.x) || !isCoordinate(parts.y)) {
    throw new RangeError(`move square (${parts.x}, ${parts.y}) is off the 8x8 board`);
  }
  return (parts.x << 5) | (parts.y << 2) | (parts.dx << 1) | parts.dy;
}

export function decodeMove(byte: MoveByte): MoveParts {
  return {
    x: (byte >> 5) & 7,
    y: (byte >> 2) & 7,
    dx: ((byte >> 1) & 1) as 0 | 1,
    dy: (byte & 1) as 0 | 1,
  };
}

function isCoordinate(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 7;
}
