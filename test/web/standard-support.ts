import { INITIAL_POSITION, type Position } from '../../src/game/position.js';
import { applyMove, legalMoves, type Move } from '../../src/game/standard.js';
import { pathText } from '../../src/web/play/path-text.js';

/** The browser's localStorage / sessionStorage, in memory. */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export interface CaptureChoice {
  /** The quiet moves from the start that lead to the choice, in order (Black first). */
  readonly sequence: readonly Move[];
  /** The position after them: the side to move must capture and has captures ending on different squares. */
  readonly position: Position;
  readonly captures: readonly Move[];
}

/**
 * The first opening sequence (depth-first, in the rules' move order) after
 * which the side to move has two captures that take different pieces: found
 * with the standard rules, not written down by hand.
 */
export function firstCaptureChoice(maxPlies = 4): CaptureChoice {
  const search = (position: Position, sequence: Move[]): CaptureChoice | undefined => {
    const moves = legalMoves(position);
    const captures = moves.filter((move) => move.captured !== 0);
    if (captures.length >= 2 && new Set(captures.map((move) => move.captured)).size >= 2) {
      return { sequence, position, captures };
    }
    if (sequence.length >= maxPlies || captures.length > 0) return undefined;
    for (const move of moves) {
      const found = search(applyMove(position, move), [...sequence, move]);
      if (found) return found;
    }
    return undefined;
  };
  const found = search(INITIAL_POSITION, []);
  if (!found) throw new Error(`no capture choice within ${maxPlies} plies`);
  return found;
}

export function sequenceText(choice: CaptureChoice): string {
  return choice.sequence.map(pathText).join(' ');
}

export interface PathFork {
  /** The moves from the start that lead to the fork, in order (Black first). */
  readonly sequence: readonly Move[];
  readonly position: Position;
  /** Two capture paths of one piece that share their first landing and part after it. */
  readonly paths: readonly [Move, Move];
}

/**
 * The first position (iterative deepening over every legal move, captures
 * included) where the side to move has a multiple capture that forks: one
 * piece, the same first landing, two different continuations.
 */
export function firstPathFork(maxPlies = 8): PathFork {
  const forkIn = (moves: readonly Move[]): [Move, Move] | undefined => {
    for (const a of moves) {
      for (const b of moves) {
        if (
          a.from === b.from &&
          a.path.length >= 2 &&
          b.path.length >= 2 &&
          a.path[0] === b.path[0] &&
          a.path[1] !== b.path[1]
        ) {
          return [a, b];
        }
      }
    }
    return undefined;
  };
  const search = (position: Position, sequence: Move[], depth: number): PathFork | undefined => {
    const moves = legalMoves(position);
    const paths = forkIn(moves);
    if (paths) return { sequence, position, paths };
    if (depth === 0) return undefined;
    for (const move of moves) {
      const found = search(applyMove(position, move), [...sequence, move], depth - 1);
      if (found) return found;
    }
    return undefined;
  };
  for (let depth = 1; depth <= maxPlies; depth++) {
    const found = search(INITIAL_POSITION, [], depth);
    if (found) return found;
  }
  throw new Error(`no forking capture path within ${maxPlies} plies`);
}
