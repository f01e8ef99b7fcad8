import type { Position } from '../../position.js';
import { applyMove, legalMoves } from '../../standard.js';
import { DRAW, distanceOf, type EndgameTables, INVALID, isLoss, isWin } from './solve.js';

/**
 * An independent check of solved tables: moves come from standard.ts (the
 * object-based reference rules), not from the engine's move generator the
 * solver uses, and each value is checked against its moves' values only.
 */
export function codeOf(tables: EndgameTables, position: Position): number {
  return tables.probe(position.black, position.white, position.kings, position.turn);
}

/**
 * The database's value of `position` agrees with its moves (made by
 * standard.ts, not the engine's move generator): a win of distance d has a
 * move to a loss of d - 1 and none to a shorter loss; a loss of d has only
 * moves to wins, the longest d - 1 (no move at all: d = 0); a draw has no
 * move to a loss and at least one to a draw.
 */
export function consistencyProblem(tables: EndgameTables, position: Position): string | undefined {
  const code = codeOf(tables, position);
  const children = legalMoves(position).map((move) => codeOf(tables, applyMove(position, move)));
  if (children.some((child) => child < 0 || child === INVALID)) return 'a move leads out of the tables';
  const losses = children.filter(isLoss).map(distanceOf);
  const wins = children.filter(isWin).map(distanceOf);
  if (isWin(code)) {
    if (losses.length === 0) return `won (${distanceOf(code)}) without a move to a lost position`;
    if (Math.min(...losses) + 1 !== distanceOf(code))
      return `won in ${distanceOf(code)} but the fastest is ${Math.min(...losses) + 1}`;
    return undefined;
  }
  if (isLoss(code)) {
    if (wins.length !== children.length) return 'lost with a move to a position not won by the opponent';
    const longest = children.length === 0 ? 0 : Math.max(...wins) + 1;
    if (longest !== distanceOf(code)) return `lost in ${distanceOf(code)} but the longest defence is ${longest}`;
    return undefined;
  }
  if (code !== DRAW) return `unexpected code ${code}`;
  if (losses.length > 0) return 'drawn with a move to a lost position';
  if (!children.includes(DRAW)) return 'drawn without a move to a drawn position';
  return undefined;
}
