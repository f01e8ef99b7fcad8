import type { AnalysisRules, Evaluation } from '../../game/engine/analysis.js';
import { WIN } from '../../game/engine/search.js';
import { fenOf } from '../../game/fen.js';
import { BLACK, type Color, type Position } from '../../game/position.js';
import { hasJump, standardResult } from '../../game/standard.js';
import { type MoveQuality, moveQuality, type ShownEvaluation, showEvaluation } from './evaluation-text.js';

/*
 * Post-game analysis, the part without the DOM: which positions of a game the
 * engine looks at, and how the evaluations mark its moves. Version 1: a
 * position where the side to move has a jump is the referee's (it jumps,
 * chosen at random among several), so it is no one's choice: it takes the
 * evaluation of the position after the referee's jumps and its move is not
 * marked.
 */

export interface GamePoint {
  /** Turns played before this position (0: the start). */
  readonly ply: number;
  readonly position: Position;
  /** Whether the side to move chooses its move here (false: the game is over, or the version-1 referee jumps). */
  readonly choice: boolean;
  readonly over: boolean;
  /** Plies since the last capture or man move (version 1's forty-move rule). */
  readonly quietPlies: number;
}

/** The positions of a game: the start, then one after each turn. */
export function gamePoints(positions: readonly Position[], rules: AnalysisRules): GamePoint[] {
  let quiet = 0;
  return positions.map((position, ply) => {
    if (ply > 0) {
      const before = positions[ply - 1] as Position;
      const pieces = (p: Position) => (p.black | p.white) >>> 0;
      const men = (p: Position) => (pieces(p) & ~p.kings) >>> 0;
      const captured = bitCount(pieces(before)) !== bitCount(pieces(position));
      quiet = captured || men(before) !== men(position) ? 0 : quiet + 1;
    }
    const over = standardResult(position) !== undefined;
    const refereeJumps = rules === 'v1' && hasJump(position, position.turn);
    return { ply, position, choice: !over && !refereeJumps, over, quietPlies: quiet };
  });
}

export interface PointAnalysis {
  readonly shown: ShownEvaluation;
  /** The engine's line from this position ([] when over or the referee's). */
  readonly line: readonly string[];
  readonly depth: number;
}

export interface MoveMark {
  /** The turn (1-based) the mark is for. */
  readonly ply: number;
  readonly mover: Color;
  /** How much the move lowered its side's evaluation (hundredths of a man; proven results count DECIDED_VALUE). */
  readonly loss: number;
  readonly quality: MoveQuality;
}

/** The evaluation of an ended game's position: the side to move has lost. */
export function overAnalysis(point: GamePoint): PointAnalysis {
  return { shown: showEvaluation(-WIN, point.position.turn), line: [], depth: 0 };
}

/** An engine evaluation of a position, as the replay shows it. */
export function pointAnalysis(point: GamePoint, evaluation: Evaluation): PointAnalysis {
  return {
    shown: showEvaluation(evaluation.score, point.position.turn),
    line: evaluation.line,
    depth: evaluation.depth,
  };
}

/**
 * Fills the referee's positions (version 1) with the evaluation of the
 * position after them, then marks every chosen move by how much it lost.
 */
export function markMoves(
  points: readonly GamePoint[],
  analysed: ReadonlyArray<PointAnalysis | undefined>,
): { filled: PointAnalysis[]; marks: MoveMark[] } {
  const filled: PointAnalysis[] = new Array(points.length);
  let next: PointAnalysis | undefined;
  for (let index = points.length - 1; index >= 0; index--) {
    const own = analysed[index];
    const value = own ?? (next ? { shown: next.shown, line: [], depth: next.depth } : undefined);
    if (!value) continue;
    filled[index] = value;
    next = value;
  }
  const marks: MoveMark[] = [];
  for (let ply = 1; ply < points.length; ply++) {
    const before = points[ply - 1] as GamePoint;
    const a = filled[ply - 1];
    const b = filled[ply];
    if (!before.choice || !a || !b) continue;
    const mover = before.position.turn;
    marks.push({ ply, mover, ...moveQuality(a.shown.value, b.shown.value, mover) });
  }
  return { filled, marks };
}

/** How the analysis board opens at this position. */
export function analysisLink(position: Position): string {
  return `/analysis?fen=${encodeURIComponent(fenOf(position))}`;
}

/** Whose move it was, in words. */
export function sideName(color: Color): 'Black' | 'White' {
  return color === BLACK ? 'Black' : 'White';
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits >>> 0; rest !== 0; rest &= rest - 1) count++;
  return count;
}
