import { formatMove, recordTurns } from '../notation.js';
import type { Position } from '../position.js';
import { applyMove, legalMoves, type Move, standardResult } from '../standard.js';
import { legalSteps, playV1Step, singleJumps, type V1Game } from '../v1.js';
import { popCount } from './board.js';
import type { EndgameProbe } from './egdb/probe.js';
import { DRAW, isLoss, isWin } from './egdb/solve.js';
import { STANDARD_RULES, V1_RULES, type V1Step } from './rules.js';
import { KNOWN_WIN, Searcher, WIN } from './search.js';

/** Which search analyses a position: the standard rules', or version 1's (the referee chooses the jumps). */
export type AnalysisRules = 'standard' | 'v1';

/** Scores this close to WIN are won or lost games (the search counts plies to the end below WIN). */
const DECIDED_BAND = 1024;
/** The longest best line reported (plies). */
const MAX_LINE = 12;
/** Each further move of the best line is read from a search this small (nodes): the table still holds the line. */
const LINE_NODES = 20_000;
/** Forced moves played through before searching (a chain of single replies). */
const MAX_FORCED = 24;

/** One position's analysis, from the side to move's point of view. */
export interface Evaluation {
  /** A man is 100; a won game is WIN minus the plies to its end, a lost one the negative. */
  readonly score: number;
  /** The deepest completed search (plies). */
  readonly depth: number;
  /** The best line in standard notation, the side to move's move first; empty when the game is over. */
  readonly line: readonly string[];
  /** Whether the search proved the result (a win or loss within its depth, or the game is over). */
  readonly decided: boolean;
  readonly nodes: number;
}

/** Whether a score is a won or lost game rather than an estimate. */
export function isDecided(score: number): boolean {
  return Math.abs(score) >= WIN - DECIDED_BAND;
}

/** Whether an unproven score is a win or loss the endgame databases know (KNOWN_WIN and up). */
export function isDatabaseResult(score: number): boolean {
  return !isDecided(score) && Math.abs(score) >= KNOWN_WIN / 2;
}

/** Plies to the end of a decided game (undefined for an estimate). */
export function pliesToEnd(score: number): number | undefined {
  return isDecided(score) ? WIN - Math.abs(score) : undefined;
}

/**
 * Analyses positions one depth at a time, so that a caller can report each
 * depth as it completes and stop between depths (a Web Worker reads its
 * messages there). Keeps one search per rule set; their tables carry over
 * from one call to the next, so each depth reuses the last one's work. Pure:
 * no I/O and no timers (the search reads performance.now for its time budget).
 */
export class PositionAnalyser {
  #standard = new Searcher(STANDARD_RULES);
  readonly #v1 = new Searcher(V1_RULES);
  #endgame: EndgameProbe | undefined;

  /**
   * Standard positions are analysed with these endgame databases from now
   * on: a position they cover that the search does not prove scores as
   * their win (KNOWN_WIN plus the estimate), draw (0) or loss.
   */
  useEndgame(tables: EndgameProbe): void {
    this.#endgame = tables;
    this.#standard = new Searcher(STANDARD_RULES, { endgame: tables });
  }

  /**
   * Searches `position` to `depth` plies within `timeMs`; undefined when the
   * time ran out before that depth was complete. Version 1 needs a settled
   * position (the side to move has no jump: the referee would play it).
   */
  searchDepth(
    position: Position,
    rules: AnalysisRules,
    depth: number,
    timeMs: number,
    quietPlies = 0,
  ): Evaluation | undefined {
    return rules === 'v1'
      ? this.#searchV1({ position, quietPlies, result: undefined }, depth, timeMs)
      : this.#searchStandard(position, depth, timeMs);
  }

  #searchStandard(start: Position, depth: number, timeMs: number): Evaluation | undefined {
    // A forced move is no choice: the search answers it at once with no score, so play it and look after it.
    const forced: string[] = [];
    let position = start;
    for (;;) {
      if (standardResult(position)) {
        // The side to move here has lost: the side to move at the start if an even number of plies was forced.
        const score = (forced.length % 2 === 0 ? -1 : 1) * (WIN - forced.length);
        return { score, depth, line: forced, decided: true, nodes: 0 };
      }
      const moves = legalMoves(position);
      const only = moves[0];
      if (moves.length !== 1 || !only || forced.length >= MAX_FORCED) break;
      forced.push(formatMove(only));
      position = applyMove(position, only);
    }
    const result = this.#standard.search(position, { maxDepth: depth, timeMs });
    const move = result.move;
    if (!move) return undefined;
    const decided = isDecided(result.score) && (pliesToEnd(result.score) ?? 0) <= result.depth;
    if (result.depth < depth && !decided) return undefined;
    const line = [...forced, ...this.#standardLine(position, move, result.depth)];
    const sign = forced.length % 2 === 0 ? 1 : -1;
    const score = sign * shiftWin(decided ? result.score : this.#withDatabase(position, result.score), forced.length);
    return { score, depth: result.depth, line, decided, nodes: result.nodes };
  }

  /** An unproven score of `position`, told what the endgame databases know of it. */
  #withDatabase(position: Position, score: number): number {
    const tables = this.#endgame;
    if (!tables || popCount(position.black | position.white) > tables.maxPieces) return score;
    const code = tables.probe(position.black | 0, position.white | 0, position.kings | 0, position.turn);
    const estimate = Math.max(-KNOWN_WIN / 2, Math.min(KNOWN_WIN / 2, score));
    if (code === DRAW) return 0;
    if (isWin(code)) return Math.abs(score) >= KNOWN_WIN / 2 ? score : KNOWN_WIN + estimate;
    if (isLoss(code)) return Math.abs(score) >= KNOWN_WIN / 2 ? score : -KNOWN_WIN + estimate;
    return score;
  }

  /** The best line: the move found, then each reply the (still warm) table leads a small search to. */
  #standardLine(position: Position, first: Move, depth: number): string[] {
    const line = [formatMove(first)];
    let current = applyMove(position, first);
    for (let ply = 1; ply < Math.min(depth, MAX_LINE) && !standardResult(current); ply++) {
      const next = this.#standard.search(current, { maxDepth: depth - ply, maxNodes: LINE_NODES }).move;
      if (!next) break;
      line.push(formatMove(next));
      current = applyMove(current, next);
    }
    return line;
  }

  #searchV1(game: V1Game, depth: number, timeMs: number): Evaluation | undefined {
    const { position } = game;
    if (singleJumps(position, position.turn).length > 0) {
      throw new RangeError('a version-1 position to analyse must be settled: the side to move has a jump to make');
    }
    if (legalSteps(game).length === 0) return { score: -WIN, depth, line: [], decided: true, nodes: 0 };
    const result = this.#v1.search(game, { maxDepth: depth, timeMs });
    const step = result.move;
    if (!step) return undefined;
    const decided = isDecided(result.score) && (pliesToEnd(result.score) ?? 0) <= result.depth;
    // A lone legal step is answered at once with no score: search after it instead.
    if (result.depth === 0) return this.#forcedV1(game, step, depth, timeMs);
    if (result.depth < depth && !decided) return undefined;
    const line = this.#v1Line(game, step, result.depth);
    return { score: result.score, depth: result.depth, line, decided, nodes: result.nodes };
  }

  /** A single legal step: its value is that of what follows it (the referee's first choice when it has several). */
  #forcedV1(game: V1Game, step: V1Step, depth: number, timeMs: number): Evaluation | undefined {
    const outcome = playV1Step(game, step.from, step.direction);
    if (!outcome.ok) return undefined;
    const line: string[] = [];
    recordTurns(line, outcome.events);
    const after = outcome.game;
    if (after.result) {
      const score = after.result.winner === null ? 0 : after.result.winner === game.position.turn ? WIN - 1 : -WIN + 1;
      return { score, depth, line, decided: true, nodes: 0 };
    }
    const rest = depth > 1 ? this.#searchV1(after, depth - 1, timeMs) : undefined;
    if (!rest) return depth > 1 ? undefined : { score: 0, depth: 0, line, decided: false, nodes: 0 };
    const same = after.position.turn === game.position.turn;
    return {
      score: same ? rest.score : -rest.score,
      depth: rest.depth + 1,
      line: [...line, ...rest.line],
      decided: rest.decided,
      nodes: rest.nodes,
    };
  }

  /** Version 1's best line: steps and the referee's jumps, up to the first step whose jumps the referee may choose. */
  #v1Line(game: V1Game, first: V1Step, depth: number): string[] {
    const line: string[] = [];
    let current = game;
    let step: V1Step | undefined = first;
    for (let ply = 0; step && ply < Math.min(depth, MAX_LINE); ply++) {
      let choices = 1;
      const outcome = playV1Step(current, step.from, step.direction, (options) => {
        choices = Math.max(choices, options.length);
        return 0;
      });
      if (!outcome.ok) break;
      recordTurns(line, outcome.events);
      current = outcome.game;
      if (choices > 1 || current.result) break;
      step = this.#v1.search(current, { maxDepth: Math.max(1, depth - ply - 1), maxNodes: LINE_NODES }).move;
    }
    return line;
  }
}

/** A win score seen `plies` earlier is that many plies further from the end. */
function shiftWin(score: number, plies: number): number {
  if (!isDecided(score)) return score;
  return score > 0 ? score - plies : score + plies;
}
