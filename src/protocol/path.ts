/**
 * The `path` field of protocol version 2 (docs/PROTOCOL.md section 12.1): a
 * count n (2..13), then 13 square bytes of which the first n are squares in
 * the standard 1-32 numbering (src/game/squares.ts; the protocol layer may
 * not import the game, so it checks the range only) and the rest are 0.
 *
 * This layer checks only that form; the rules decide whether the path is a
 * legal move.
 */
export type Path = readonly number[];

/** Most squares in a path: a start and twelve landings (no side has more than 12 pieces to take). */
export const MAX_PATH_SQUARES = 13;
export const MIN_PATH_SQUARES = 2;
const SQUARE_COUNT = 32;

/** Why these squares are not a well-formed path, or undefined if they are. */
export function pathProblem(squares: readonly number[]): string | undefined {
  if (squares.length < MIN_PATH_SQUARES || squares.length > MAX_PATH_SQUARES) {
    return `a path has ${MIN_PATH_SQUARES} to ${MAX_PATH_SQUARES} squares, not ${squares.length}`;
  }
  const bad = squares.find((square) => !Number.isInteger(square) || square < 1 || square > SQUARE_COUNT);
  if (bad !== undefined) return `square ${bad} does not exist; squares are numbered 1 to ${SQUARE_COUNT}`;
  return undefined;
}

/** Writes a path (or 14 zero bytes for null) at `at`. Throws RangeError on a malformed path. */
export function writePath(path: Path | null, target: Uint8Array, at: number, label: string): void {
  target.fill(0, at, at + 1 + MAX_PATH_SQUARES);
  if (path === null) return;
  if (!Array.isArray(path)) throw new RangeError(`${label} must be an array of squares`);
  const problem = pathProblem(path);
  if (problem) throw new RangeError(`${label}: ${problem}`);
  target[at] = path.length;
  for (let i = 0; i < path.length; i++) target[at + 1 + i] = path[i] ?? 0;
}

/** Why the 14 bytes at `at` are not a path (or, with `noneAllowed`, the all-zero "no move"), else undefined. */
export function pathBytesProblem(source: Uint8Array, at: number, noneAllowed: boolean): string | undefined {
  const count = source[at] ?? 0;
  if (count === 0 && noneAllowed) {
    for (let i = 1; i <= MAX_PATH_SQUARES; i++) {
      if ((source[at + i] ?? 0) !== 0) return 'a path with count 0 (no move) must be all zero';
    }
    return undefined;
  }
  if (count < MIN_PATH_SQUARES || count > MAX_PATH_SQUARES) {
    return `path count ${count} is outside ${MIN_PATH_SQUARES}..${MAX_PATH_SQUARES}`;
  }
  for (let i = 0; i < MAX_PATH_SQUARES; i++) {
    const square = source[at + 1 + i] ?? 0;
    if (i < count && (square < 1 || square > SQUARE_COUNT)) {
      return `path square ${square} is outside 1..${SQUARE_COUNT}`;
    }
    if (i >= count && square !== 0) return `path padding byte ${i + 1} is ${square}, not 0`;
  }
  return undefined;
}

/** Reads a path the caller has checked with pathBytesProblem; count 0 reads as null. */
export function readPath(source: Uint8Array, at: number): Path | null {
  const count = source[at] ?? 0;
  if (count === 0) return null;
  return Array.from(source.subarray(at + 1, at + 1 + count));
}
