import { type Color, other, type Position, piecesOf } from '../game/position.js';
import { bitOfSquare, type Direction, STEP, squareNumber } from '../game/squares.js';
import { legalSteps, newV1Game, stepProblem } from '../game/v1.js';

/** "25", "25 or 26", "21, 22 or 24". */
function either(squares: readonly number[]): string {
  const sorted = [...squares].sort((a, b) => a - b).map(String);
  return sorted.length <= 1 ? (sorted[0] ?? '') : `${sorted.slice(0, -1).join(', ')} or ${sorted.at(-1)}`;
}

/**
 * Why the step `from`-`to` (square numbers 1-32) is not legal for `color` to
 * play in `position`, and what is legal instead, pure: which squares the piece
 * can go to, or which pieces can move when this one cannot.
 */
export function explainIllegalStep(position: Position, color: Color, from: number, to: number): string {
  const game = newV1Game({ ...position, turn: color });
  const steps = legalSteps(game);
  const movable = [...new Set(steps.map((step) => squareNumber(step.from)))];
  const movers = `the pieces that can move are on ${either(movable)}`;
  const fromBit = bitOfSquare(from);
  const text = `${from}-${to} is not legal`;
  if (((piecesOf(position, color) >>> fromBit) & 1) === 0) {
    const theirs = ((piecesOf(position, other(color)) >>> fromBit) & 1) === 1;
    return `${text}: ${theirs ? `the piece on ${from} is not yours` : `square ${from} is empty`}; ${movers}`;
  }
  const targets = steps.filter((step) => step.from === fromBit).map((step) => squareNumber(step.to));
  const instead =
    targets.length > 0
      ? `the piece on ${from} can go to ${either(targets)}`
      : `the piece on ${from} cannot move now; ${movers}`;
  const direction = ([0, 1, 2, 3] as const).find((d: Direction) => STEP[d]?.[fromBit] === bitOfSquare(to));
  const why =
    direction === undefined
      ? `${to} is not one diagonal step from ${from}`
      : (stepProblem(game, fromBit, direction) ?? 'it is not a legal move here');
  return `${text}: ${why}; ${instead}`;
}
