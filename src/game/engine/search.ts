import type { Position } from '../position.js';
import { evaluate } from './evaluate.js';
import type { SearchRules } from './rules.js';

/** A won game scores WIN minus the plies it takes, so the engine prefers the quickest win and the slowest loss. */
export const WIN = 1_000_000;
const MAX_PLY = 128;
const TABLE_LIMIT = 1 << 20;

export interface SearchLimits {
  /** Deepest iteration (plies). */
  readonly maxDepth: number;
  /** Wall-clock budget in ms (the current iteration is abandoned when it runs out). */
  readonly timeMs?: number;
  /** Node budget, for results that do not depend on the machine's speed. */
  readonly maxNodes?: number;
}

export interface SearchResult<M> {
  readonly move: M | undefined;
  /** From the side to move's point of view. */
  readonly score: number;
  /** Deepest completed iteration. */
  readonly depth: number;
  readonly nodes: number;
  readonly elapsedMs: number;
}

interface TableEntry {
  readonly black: number;
  readonly white: number;
  readonly kings: number;
  readonly turn: number;
  readonly depth: number;
  readonly score: number;
  readonly bound: 'exact' | 'lower' | 'upper';
  readonly best: number;
}

class OutOfBudget extends Error {}

/**
 * A win score counts plies from the root, but a table entry is reused at
 * other distances from it: the table keeps win scores counted from the
 * entry's own node, and probing converts them back.
 */
function toTable(score: number, ply: number): number {
  if (score >= WIN - MAX_PLY) return score + ply;
  if (score <= -(WIN - MAX_PLY)) return score - ply;
  return score;
}

function fromTable(score: number, ply: number): number {
  if (score >= WIN - MAX_PLY) return score - ply;
  if (score <= -(WIN - MAX_PLY)) return score + ply;
  return score;
}

function hashOf(position: Position): number {
  let h = Math.imul(position.black ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ position.white, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ position.kings, 0x27d4eb2f);
  return (h ^ (h >>> 15) ^ position.turn) >>> 0;
}

/**
 * Iterative-deepening negamax with alpha-beta, a transposition table,
 * move ordering (the table's best move, then captures, then history) and a
 * quiescence extension while captures are pending. Moves with several
 * outcomes (version 1's referee choices) are scored by the average of their
 * outcomes, each searched with a full window.
 */
export class Searcher<S, M> {
  readonly #table = new Map<number, TableEntry>();
  readonly #history = new Map<number, number>();
  #nodes = 0;
  #deadline = Number.POSITIVE_INFINITY;
  #maxNodes = Number.POSITIVE_INFINITY;

  constructor(private readonly rules: SearchRules<S, M>) {}

  search(state: S, limits: SearchLimits): SearchResult<M> {
    const started = performance.now();
    this.#nodes = 0;
    this.#deadline = limits.timeMs === undefined ? Number.POSITIVE_INFINITY : started + limits.timeMs;
    this.#maxNodes = limits.maxNodes ?? Number.POSITIVE_INFINITY;
    if (this.#table.size > TABLE_LIMIT) this.#table.clear();
    const moves = this.rules.moves(state);
    let best: { move: M | undefined; score: number; depth: number } = { move: moves[0], score: 0, depth: 0 };
    if (moves.length <= 1) {
      return { move: moves[0], score: 0, depth: 0, nodes: 0, elapsedMs: performance.now() - started };
    }
    for (let depth = 1; depth <= Math.min(limits.maxDepth, MAX_PLY); depth++) {
      try {
        const { score, index } = this.#root(state, moves, depth);
        best = { move: moves[index], score, depth };
        // A win (or loss) within the plies searched is the fastest there is; one further away may be beaten deeper.
        if (WIN - Math.abs(score) <= depth) break;
      } catch (error) {
        if (error instanceof OutOfBudget) break;
        throw error;
      }
    }
    return { ...best, nodes: this.#nodes, elapsedMs: performance.now() - started };
  }

  #root(state: S, moves: readonly M[], depth: number): { score: number; index: number } {
    const order = this.#order(state, moves);
    let alpha = -WIN - 1;
    let bestIndex = order[0] ?? 0;
    for (const index of order) {
      const move = moves[index] as M;
      const score = this.#moveScore(state, move, depth, alpha, WIN + 1, 1);
      if (score > alpha) {
        alpha = score;
        bestIndex = index;
      }
    }
    this.#store(this.rules.position(state), depth, alpha, 'exact', bestIndex);
    return { score: alpha, index: bestIndex };
  }

  /**
   * The score of a move for the side making it: the (average) score of its
   * outcomes, negated when the opponent moves next. In version 1 the mover
   * may move again: after its step the referee plays the opponent's forced
   * jumps, and then it may be the mover's turn once more.
   */
  #moveScore(state: S, move: M, depth: number, alpha: number, beta: number, ply: number): number {
    const mover = this.rules.position(state).turn;
    const outcomes = this.rules.play(state, move);
    if (outcomes.length === 1) {
      const outcome = outcomes[0] as S;
      return this.rules.position(outcome).turn === mover
        ? this.#negamax(outcome, depth - 1, alpha, beta, ply)
        : -this.#negamax(outcome, depth - 1, -beta, -alpha, ply);
    }
    let sum = 0;
    for (const outcome of outcomes) {
      const score = this.#negamax(outcome, depth - 1, -WIN - 1, WIN + 1, ply);
      sum += this.rules.position(outcome).turn === mover ? score : -score;
    }
    return Math.trunc(sum / outcomes.length);
  }

  #negamax(state: S, depth: number, alpha: number, beta: number, ply: number): number {
    if ((++this.#nodes & 1023) === 0 && (performance.now() > this.#deadline || this.#nodes > this.#maxNodes)) {
      throw new OutOfBudget();
    }
    const position = this.rules.position(state);
    const result = this.rules.result(state);
    if (result) {
      if (result.winner === null) return 0;
      return result.winner === position.turn ? WIN - ply : -(WIN - ply);
    }
    const noisy = this.rules.noisy(state);
    if ((depth <= 0 && !noisy) || ply >= MAX_PLY) return evaluate(position);
    const key = hashOf(position);
    const entry = this.#table.get(key);
    const known =
      entry &&
      entry.black === position.black &&
      entry.white === position.white &&
      entry.kings === position.kings &&
      entry.turn === position.turn
        ? entry
        : undefined;
    if (known && known.depth >= depth) {
      const score = fromTable(known.score, ply);
      if (known.bound === 'exact') return score;
      if (known.bound === 'lower' && score >= beta) return score;
      if (known.bound === 'upper' && score <= alpha) return score;
    }
    const moves = this.rules.moves(state);
    const order = this.#order(state, moves, known?.best);
    const originalAlpha = alpha;
    let best = -WIN - 1;
    let bestIndex = order[0] ?? 0;
    for (const index of order) {
      const score = this.#moveScore(state, moves[index] as M, depth, alpha, beta, ply + 1);
      if (score > best) {
        best = score;
        bestIndex = index;
      }
      if (score > alpha) alpha = score;
      if (alpha >= beta) {
        const historyKey = this.#historyKey(position, moves[index] as M);
        this.#history.set(historyKey, (this.#history.get(historyKey) ?? 0) + depth * depth);
        break;
      }
    }
    const bound = best <= originalAlpha ? 'upper' : best >= beta ? 'lower' : 'exact';
    this.#store(position, Math.max(0, depth), toTable(best, ply), bound, bestIndex);
    return best;
  }

  #store(position: Position, depth: number, score: number, bound: TableEntry['bound'], best: number): void {
    this.#table.set(hashOf(position), { ...position, depth, score, bound, best });
  }

  #historyKey(position: Position, move: M): number {
    return position.turn * 1024 + this.rules.key(move);
  }

  /** Indexes of `moves`, best first: the remembered best, then bigger captures, then by history. */
  #order(state: S, moves: readonly M[], remembered?: number): number[] {
    const position = this.rules.position(state);
    const weight = (index: number) => {
      const move = moves[index] as M;
      if (index === remembered) return Number.MAX_SAFE_INTEGER;
      return this.rules.captures(move) * 1_000_000 + (this.#history.get(this.#historyKey(position, move)) ?? 0);
    };
    return moves.map((_, index) => index).sort((a, b) => weight(b) - weight(a));
  }
}
