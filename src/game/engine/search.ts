/*
 * The alpha-beta searcher shared by both rule sets: iterative deepening,
 * principal variation search, the transposition table, move ordering,
 * reductions, quiescence, the
 * endgame-database probes and the conversion of won positions. Over the
 * 700-line mark on purpose: its inner loop reads the class's private
 * typed-array stacks and table directly, which is where its speed comes from
 * (`npm run bench`: about 3 M nodes/s); a split would put a call between them.
 * The next to move out, without touching the loop: the endgame probe's
 * indexing (#endgameCode) and the root's table-filtered move list.
 */

import { BLACK, type Position, WHITE } from '../position.js';
import { QUIET_PLIES_FOR_DRAW } from '../result.js';
import {
  CROWN_BLACK,
  CROWN_WHITE,
  canJump,
  canStep,
  DEFAULT_WEIGHTS,
  generateMoves,
  generateSteps,
  MAN_VALUE,
  MoveStack,
  materialLead,
  popCount,
  ZOBRIST_WHITE_TO_MOVE,
  zobristOf,
  zobristOfMove,
} from './board.js';
import { leafScore, NO_WINNER, quietKey, RepetitionPath } from './conversion.js';
import type { EndgameProbe } from './egdb/probe.js';
import { DRAW, distanceOf, INVALID, isLoss, isWin } from './egdb/solve.js';
import type { SearchRules } from './rules.js';
import { DRAWN, GOES_ON, OutcomeStack, stepOutcomes } from './v1-board.js';

/** A won game scores WIN minus the plies it takes, so the engine prefers the quickest win and the slowest loss. */
export const WIN = 1_000_000;
const MAX_PLY = 128;
/** Late-move reductions apply only with more pieces than this: endgames are searched in full. */
const REDUCE_MAX_PIECES = 8;
/**
 * Contempt applies only from this many pieces on (at the root, and at a leaf
 * for the pieces kept): in an ending a level count of material can hide a
 * win (2 kings against a king and a man) whose technique is to capture, and
 * the conversion's own scoring (conversion.ts) does better alone.
 */
const CONTEMPT_MIN_PIECES = 9;
/** Scores this close to WIN are wins in plies (the search's own, or the endgame database's distances, up to 253 more). */
const WIN_BAND = 1024;
/**
 * A position a win/draw/loss database (no distances) says is won scores
 * this plus its evaluation: above every estimate, below every win the
 * search proves, and far from WIN_BAND so the table keeps it as it is.
 */
export const KNOWN_WIN = 100_000;
/** Aspiration windows: the root searches this far either side of the previous iteration's score (a man is about 100). */
const ASPIRATION_WINDOW = 30;
const MOVE_STACK = 1 << 15;
const OUTCOME_STACK = 1 << 15;
/**
 * The table has 2^16 entries (1.3 MB) to 2^20 (21 MB): about half as many as
 * the nodes a search may visit (its node budget, or its time at 4 M nodes/s),
 * growing when searches without either outgrow it.
 */
const MIN_TABLE_BITS = 16;
const MAX_TABLE_BITS = 19;
const EXACT = 1;
const LOWER = 2;
const UPPER = 3;
/** #probe's answer when the table does not settle the node (no score reaches it: scores stay within ±(WIN + 1)). */
const NO_CUTOFF = 2 * WIN;

export interface SearchLimits {
  /** Deepest iteration (plies). */
  readonly maxDepth: number;
  /** Wall-clock budget in ms (the current iteration is abandoned when it runs out). */
  readonly timeMs?: number;
  /** Node budget, for results that do not depend on the machine's speed. */
  readonly maxNodes?: number;
  /**
   * Another thread's stop request: the search ends within about a thousand
   * nodes once element 0 is not 0, as if its time had run out.
   */
  readonly stop?: Int32Array;
}

/**
 * The game so far, as far as the rules look back: the forty-move rule's
 * count and the positions since the last capture or man move, so that the
 * search knows the rule's horizon and scores a position met again as a draw
 * (the side ahead then looks for progress instead of going round).
 */
export interface GameHistory {
  /** Plies since the last capture or man move; version 1's state carries its own, which wins. */
  readonly quietPlies: number;
  /** The positions before the one searched since the last capture or man move, oldest first, one a ply. */
  readonly positions?: readonly Position[];
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

/**
 * A win score counts plies from the root, but a table entry is reused at
 * other distances from it: the table keeps win scores counted from the
 * entry's own node, and probing converts them back.
 */
function toTable(score: number, ply: number): number {
  if (score >= WIN - WIN_BAND) return score + ply;
  if (score <= -(WIN - WIN_BAND)) return score - ply;
  return score;
}

function fromTable(score: number, ply: number): number {
  if (score >= WIN - WIN_BAND) return score - ply;
  if (score <= -(WIN - WIN_BAND)) return score + ply;
  return score;
}

export interface SearcherOptions {
  /**
   * Endgame databases (standard rules only): positions they cover with
   * exact values (EndgameProbe.exactPieces) score as wins in the database's
   * distance, losses or draws, so the search takes the shortest win and
   * converts it. Without distances (win/draw/loss tables, WdlTables, or
   * positions above exactPieces): from a position they cover, only the
   * moves that keep its value are searched, and searched as without tables
   * but for draws; from a bigger position, one they cover scores KNOWN_WIN
   * plus its evaluation if won (minus if lost), 0 if drawn. Absent: no probe.
   */
  readonly endgame?: EndgameProbe;
  /** The evaluation's weights (board.ts WEIGHT_NAMES); default DEFAULT_WEIGHTS. */
  readonly weights?: Readonly<Int32Array>;
  /**
   * Late-move reductions: from the fourth quiet move on, at 3 plies or more
   * to go, a move is first searched a ply shallower with a null window, and
   * again in full only if it beats alpha; never with REDUCE_MAX_PIECES or
   * fewer pieces on the board, where the shortest win needs every move.
   * Off: every move at full depth
   * (fixed-depth results then equal plain minimax).
   */
  readonly reductions?: boolean;
  /**
   * Aspiration windows: each iteration after the first searches the root
   * with a window of ASPIRATION_WINDOW around the previous score (a full
   * window when that score is a win or a loss), and again with a full window
   * when the score falls outside. Same results at fixed depth, fewer nodes or more.
   */
  readonly aspiration?: boolean;
  /**
   * Standard rules: principal variation search. After a node's first move,
   * each move is searched with a null window that only asks whether it
   * beats alpha, and again with the full window only if it does. Same
   * scores at fixed depth, fewer nodes. Default on.
   */
  readonly principalVariation?: boolean;
  /**
   * Version 1 only: a leaf where the opponent could jump if it were its
   * turn (a piece of the side to move hangs) is searched one ply further,
   * the side to move's steps then scored statically, instead of being
   * evaluated as it stands.
   */
  readonly threatExtension?: boolean;
  /**
   * Standard rules only: playing for a win against a weaker opponent. A
   * draw (repetition, the forty-move rule, a drawn database position)
   * scores `contempt` below zero for the side to move at the root, and
   * while material is level (less than a man apart) every piece on the
   * board scores contempt / 8 for it, so that of two equal lines it keeps
   * the one with more play left instead of trading down to a drawn ending.
   * Only with CONTEMPT_MIN_PIECES pieces or more, at the root and at the leaf.
   * 0 (the default): draws are 0, as analysis wants.
   */
  readonly contempt?: number;
}

/**
 * Iterative-deepening negamax with alpha-beta, a transposition table,
 * move ordering (the table's best move, then captures, then history) and a
 * quiescence extension while captures are pending. Moves with several
 * outcomes (version 1's referee choices) are scored by the average of their
 * outcomes, each searched with a full window.
 *
 * Positions are bitboards passed as numbers, moves and version-1 outcomes
 * live in preallocated typed-array stacks, and the table is typed arrays
 * indexed by a Zobrist key updated move by move: nothing is allocated per node.
 */
export class Searcher<S, M> {
  readonly #v1: boolean;
  readonly #moves = new MoveStack(MOVE_STACK);
  readonly #history = new Float64Array(2 * 1024);
  #tableBits = MIN_TABLE_BITS;
  #mask = 0;
  #tBlack = new Int32Array(0);
  #tWhite = new Int32Array(0);
  #tKings = new Int32Array(0);
  #tScore = new Int32Array(0);
  #tDepth = new Int8Array(0);
  /** Bound in bits 0-1 (0: empty slot), side to move in bit 2. */
  #tFlags = new Uint8Array(0);
  /** Best move as from * 32 + to, or -1. */
  #tMove = new Int16Array(0);
  readonly #outcomes = new OutcomeStack(OUTCOME_STACK);
  readonly #path = new RepetitionPath(MAX_PLY);
  #nodes = 0;
  #deadline = Number.POSITIVE_INFINITY;
  #maxNodes = Number.POSITIVE_INFINITY;
  #stopped = false;
  /** The table's move for the position #probe looked up last (-1 if none). */
  #remembered = -1;
  #stopFlag: Int32Array | undefined;
  readonly #endgame: EndgameProbe | undefined;
  readonly #endgamePieces: number;
  /** Positions of at most this many pieces have exact database values (distances); 0: none. */
  readonly #exactPieces: number;
  /** The root of the search under way is in the database (its won or lost values then settle no node of a WDL table). */
  #rootInDatabase = false;
  /** The side the database says wins from the root (a win/draw/loss table covering it), or NO_WINNER. */
  #databaseWinner = NO_WINNER;
  readonly #weights: Readonly<Int32Array>;
  readonly #reductions: boolean;
  readonly #aspiration: boolean;
  readonly #principalVariation: boolean;
  readonly #threatExtension: boolean;
  /** SearcherOptions.contempt. */
  readonly #playForWin: number;
  /** The contempt of the search under way: #playForWin, or 0 from a root of fewer than CONTEMPT_MIN_PIECES pieces. */
  #contempt = 0;
  /** The side to move at the root of the search under way (contempt is counted for it). */
  #rootTurn = BLACK;

  constructor(
    private readonly rules: SearchRules<S, M>,
    options: SearcherOptions = {},
  ) {
    this.#v1 = rules.kind === 'v1';
    this.#endgame = this.#v1 ? undefined : options.endgame;
    this.#endgamePieces = this.#endgame?.maxPieces ?? 0;
    this.#exactPieces = this.#endgame?.exactPieces ?? 0;
    this.#weights = options.weights ?? DEFAULT_WEIGHTS;
    this.#reductions = options.reductions ?? false;
    this.#aspiration = options.aspiration ?? false;
    this.#principalVariation = options.principalVariation ?? true;
    this.#threatExtension = options.threatExtension ?? false;
    this.#playForWin = this.#v1 ? 0 : Math.max(0, Math.trunc(options.contempt ?? 0));
  }

  /** The best move for the side to move in `state`, knowing the game's `history` (none: a game that starts here). */
  search(state: S, limits: SearchLimits, history?: GameHistory): SearchResult<M> {
    const started = performance.now();
    this.#nodes = 0;
    this.#stopped = false;
    this.#deadline = limits.timeMs === undefined ? Number.POSITIVE_INFINITY : started + limits.timeMs;
    this.#maxNodes = limits.maxNodes ?? Number.POSITIVE_INFINITY;
    this.#stopFlag = limits.stop;
    const moves = this.rules.moves(state);
    if (moves.length <= 1) {
      return { move: moves[0], score: 0, depth: 0, nodes: 0, elapsedMs: performance.now() - started };
    }
    this.#allocateTable(limits);
    const position = this.rules.position(state);
    const black = position.black | 0;
    const white = position.white | 0;
    const kings = position.kings | 0;
    const turn = position.turn;
    // Contempt makes scores depend on the root's side and size: entries scored otherwise would mislead.
    const contempt = popCount(black | white) >= CONTEMPT_MIN_PIECES ? this.#playForWin : 0;
    if ((contempt !== 0 || this.#contempt !== 0) && (turn !== this.#rootTurn || contempt !== this.#contempt)) {
      this.#tFlags.fill(0);
    }
    this.#contempt = contempt;
    this.#rootTurn = turn;
    const quiet = this.#v1 ? this.rules.quietPlies(state) : Math.min(history?.quietPlies ?? 0, QUIET_PLIES_FOR_DRAW);
    const hash = zobristOf(black, white, kings, turn);
    const earlier = quiet > 0 ? (history?.positions ?? []).slice(-quiet) : [];
    this.#path.reset(
      earlier.map((seen) => zobristOf(seen.black | 0, seen.white | 0, seen.kings | 0, seen.turn)),
      hash,
    );
    // Every move from a position the database covers leads to one it covers: one ply gives exact values.
    this.#rootInDatabase = false;
    this.#databaseWinner = NO_WINNER;
    const rootCode = this.#endgameCode(black, white, kings, turn);
    const rootInDatabase = rootCode !== undefined;
    const rootExact = rootInDatabase && popCount(black | white) <= this.#exactPieces;
    const squares = moves.map((move) => this.rules.squares(move));
    let order = moves.map((_, index) => index);
    if (rootCode !== undefined && !rootExact) {
      this.#rootInDatabase = true;
      if (rootCode !== DRAW) this.#databaseWinner = isWin(rootCode) ? turn : 1 - turn;
      order = this.#keepingValue(order, squares, rootCode, black, white, kings, turn);
    }
    const weight = (index: number) => {
      const [from, to, captured] = squares[index] as readonly [number, number, number];
      return popCount(captured) * 1e6 + (this.#history[turn * 1024 + from * 32 + to] as number);
    };
    let best: { move: M | undefined; score: number; depth: number } = {
      move: moves[order[0] ?? 0],
      score: 0,
      depth: 0,
    };
    let bestIndex = -1;
    for (let depth = 1; depth <= Math.min(limits.maxDepth, MAX_PLY); depth++) {
      // A win score moves by plies from one iteration to the next: only ordinary scores get a narrow window.
      const aspire = this.#aspiration && depth > 1 && Math.abs(best.score) < WIN - WIN_BAND;
      let low = aspire ? best.score - ASPIRATION_WINDOW : -WIN - 1;
      let high = aspire ? best.score + ASPIRATION_WINDOW : WIN + 1;
      let alpha = low;
      let iterationBest = bestIndex;
      for (;;) {
        order.sort((a, b) => (a === bestIndex ? -1 : b === bestIndex ? 1 : weight(b) - weight(a)));
        alpha = low;
        iterationBest = order[0] as number;
        for (const index of order) {
          const [from, to, captured] = squares[index] as readonly [number, number, number];
          const value = (floor: number, ceiling: number) =>
            this.#v1
              ? this.#stepValue(black, white, kings, turn, quiet, hash, from, to, depth, floor, ceiling, 1, 0, 0)
              : this.#moveValue(
                  black,
                  white,
                  kings,
                  turn,
                  quiet,
                  hash,
                  from,
                  to,
                  captured,
                  depth,
                  floor,
                  ceiling,
                  1,
                  0,
                );
          let score: number;
          if (this.#v1 || !this.#principalVariation || index === order[0] || alpha + 1 >= high) {
            score = value(alpha, high);
          } else {
            score = value(alpha, alpha + 1);
            if (this.#stopped) break;
            // It beats the best so far: it is the iteration's best even if time runs out before its exact score.
            if (score > alpha) {
              iterationBest = index;
              if (score < high) score = value(alpha, high);
            }
          }
          if (this.#stopped) break;
          if (score > alpha) {
            alpha = score;
            iterationBest = index;
          }
          if (alpha >= high) break;
        }
        const failed = (alpha <= low && low > -WIN - 1) || (alpha >= high && high < WIN + 1);
        if (this.#stopped || !failed) break;
        // Outside the window the score is only a bound: search again with a full window, a fail high's move first.
        if (alpha >= high) bestIndex = iterationBest;
        low = -WIN - 1;
        high = WIN + 1;
      }
      if (this.#stopped) {
        // A move that beat the previous iteration's best before time ran out was searched in full: it is better.
        if (iterationBest !== order[0]) best = { move: moves[iterationBest], score: alpha, depth: best.depth };
        break;
      }
      const [from, to] = squares[iterationBest] as readonly [number, number, number];
      this.#store(hash ^ quietKey(quiet), black, white, kings, turn, depth, alpha, EXACT, from * 32 + to);
      bestIndex = iterationBest;
      best = { move: moves[iterationBest], score: alpha, depth };
      // A win (or loss) within the plies searched is the fastest there is; one further away may be beaten deeper.
      if (WIN - Math.abs(alpha) <= depth || rootExact) break;
    }
    if (this.#nodes > 4 * (this.#mask + 1) && this.#tableBits < MAX_TABLE_BITS) this.#tableBits++;
    return { ...best, nodes: this.#nodes, elapsedMs: performance.now() - started };
  }

  #allocateTable(limits: SearchLimits): void {
    const expected = Math.min(limits.maxNodes ?? Number.POSITIVE_INFINITY, (limits.timeMs ?? 0) * 4000);
    if (Number.isFinite(expected) && expected > 0) {
      const bits = Math.ceil(Math.log2(Math.max(expected, 2) / 2));
      this.#tableBits = Math.max(this.#tableBits, Math.min(MAX_TABLE_BITS, bits));
    }
    const size = 1 << this.#tableBits;
    if (this.#mask + 1 === size) return;
    this.#mask = size - 1;
    this.#tBlack = new Int32Array(size);
    this.#tWhite = new Int32Array(size);
    this.#tKings = new Int32Array(size);
    this.#tScore = new Int32Array(size);
    this.#tDepth = new Int8Array(size);
    this.#tFlags = new Uint8Array(size);
    this.#tMove = new Int16Array(size);
  }

  #outOfBudget(): boolean {
    return (
      this.#nodes > this.#maxNodes ||
      performance.now() > this.#deadline ||
      (this.#stopFlag !== undefined && Atomics.load(this.#stopFlag, 0) !== 0)
    );
  }

  /** A standard move's score for the side making it, searched with the window (alpha, beta) of that side. */
  #moveValue(
    black: number,
    white: number,
    kings: number,
    turn: number,
    quiet: number,
    hash: number,
    from: number,
    to: number,
    captured: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
    sp: number,
  ): number {
    const fromBit = 1 << from;
    const toBit = 1 << to;
    const wasKing = (kings & fromBit) !== 0;
    const crowned = wasKing || ((turn === BLACK ? CROWN_BLACK : CROWN_WHITE) & toBit) !== 0;
    const nextKings = (kings & ~captured & ~fromBit) | (crowned ? toBit : 0);
    const nextHash = hash ^ ZOBRIST_WHITE_TO_MOVE ^ zobristOfMove(kings, turn, from, to, captured);
    const nextQuiet = wasKing && captured === 0 ? quiet + 1 : 0;
    if (turn === BLACK) {
      return -this.#negamax(
        black ^ fromBit ^ toBit,
        white & ~captured,
        nextKings,
        1,
        nextQuiet,
        nextHash,
        depth - 1,
        -beta,
        -alpha,
        ply,
        sp,
      );
    }
    return -this.#negamax(
      black & ~captured,
      white ^ fromBit ^ toBit,
      nextKings,
      0,
      nextQuiet,
      nextHash,
      depth - 1,
      -beta,
      -alpha,
      ply,
      sp,
    );
  }

  #negamax(
    black: number,
    white: number,
    kings: number,
    turn: number,
    quiet: number,
    hash: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
    sp: number,
  ): number {
    if ((++this.#nodes & 1023) === 0 && this.#outOfBudget()) this.#stopped = true;
    if (this.#stopped) return 0;
    const own = turn === BLACK ? black : white;
    const opp = turn === BLACK ? white : black;
    if (own === 0) return -(WIN - ply);
    const empty = ~(black | white);
    const noisy = canJump(own, opp, kings, turn, empty);
    if (!noisy && !canStep(own, kings, turn, empty)) return -(WIN - ply);
    // A repetition or the forty-move rule: both draws (a capture or man move resets the count, so neither is noisy).
    // The path records this position first, for the repetition checks of the nodes below.
    if (this.#path.repeats(hash, ply, quiet) || quiet >= QUIET_PLIES_FOR_DRAW) return this.#drawScore(turn);
    const known = this.#endgameValue(black, white, kings, turn, quiet, ply);
    if (known !== undefined) return known;
    if ((depth <= 0 && !noisy) || ply >= MAX_PLY) return this.#leafScore(black, white, kings, turn, quiet);
    const key = hash ^ quietKey(quiet);
    const cutoff = this.#probe(key, black, white, kings, turn, depth, alpha, beta, ply);
    if (cutoff !== NO_CUTOFF) return cutoff;
    const remembered = this.#remembered;
    const stack = this.#moves;
    const end = generateMoves(stack, sp, own, opp, kings, turn);
    this.#scoreMoves(sp, end, turn, remembered);
    const originalAlpha = alpha;
    const reduce = this.#reductions && depth >= 3 && popCount(black | white) > REDUCE_MAX_PIECES;
    let best = -WIN - 1;
    let bestMove = -1;
    for (let i = sp; i < end; i++) {
      this.#pickBest(i, end);
      const from = stack.from[i] as number;
      const to = stack.to[i] as number;
      const captured = stack.captured[i] as number;
      const reduced = reduce && i - sp >= 3 && captured === 0;
      // Principal variation search: after the first move, a null window only asks whether a move beats alpha.
      const zeroWindow = this.#principalVariation && i > sp && alpha + 1 < beta;
      // Up to three searches, each only while the move beats alpha: reduced with a null window (a late quiet
      // move), at full depth with a null window, then with the full window (unless the null one failed high).
      let score = alpha + 1;
      for (let pass = reduced ? 0 : zeroWindow ? 1 : 2; pass <= 2 && score > alpha; pass++) {
        if (pass === 1 && !zeroWindow) continue;
        if (pass === 2 && zeroWindow && score >= beta) break;
        const passDepth = pass === 0 ? depth - 1 : depth;
        const ceiling = pass === 2 ? beta : alpha + 1;
        score = this.#moveValue(
          black,
          white,
          kings,
          turn,
          quiet,
          hash,
          from,
          to,
          captured,
          passDepth,
          alpha,
          ceiling,
          ply + 1,
          end,
        );
        if (this.#stopped) return 0;
      }
      if (this.#stopped) return 0;
      if (score > best) {
        best = score;
        bestMove = from * 32 + to;
      }
      if (score > alpha) alpha = score;
      if (alpha >= beta) {
        this.#history[turn * 1024 + from * 32 + to] =
          (this.#history[turn * 1024 + from * 32 + to] as number) + depth * depth;
        break;
      }
    }
    const bound = best <= originalAlpha ? UPPER : best >= beta ? LOWER : EXACT;
    this.#store(key, black, white, kings, turn, Math.max(0, depth), toTable(best, ply), bound, bestMove);
    return best;
  }

  /** A drawn position's score for `turn`: below zero for the root's side by the contempt, above it for the other. */
  #drawScore(turn: number): number {
    if (this.#contempt === 0) return 0;
    return turn === this.#rootTurn ? -this.#contempt : this.#contempt;
  }

  /** A standard quiet leaf's score: leafScore, plus the contempt's count of the pieces left while material is level. */
  #leafScore(black: number, white: number, kings: number, turn: number, quiet: number): number {
    const score = leafScore(black, white, kings, turn, quiet, this.#weights, this.#databaseWinner);
    if (this.#contempt === 0 || popCount(black | white) < CONTEMPT_MIN_PIECES) return score;
    const material = materialLead(black, white, kings);
    if (material >= MAN_VALUE || material <= -MAN_VALUE) return score;
    const play = (this.#contempt * popCount(black | white)) >> 3;
    return turn === this.#rootTurn ? score + play : score - play;
  }

  /**
   * Looks the position up in the table: returns a stored score that settles
   * the node at this depth and window, or NO_CUTOFF; either way leaves the
   * stored best move (or -1) in #remembered, to be tried first.
   */
  #probe(
    hash: number,
    black: number,
    white: number,
    kings: number,
    turn: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
  ): number {
    const slot = hash & this.#mask;
    const flags = this.#tFlags[slot] as number;
    if (
      flags === 0 ||
      flags >> 2 !== turn ||
      this.#tBlack[slot] !== black ||
      this.#tWhite[slot] !== white ||
      this.#tKings[slot] !== kings
    ) {
      this.#remembered = -1;
      return NO_CUTOFF;
    }
    this.#remembered = this.#tMove[slot] as number;
    if ((this.#tDepth[slot] as number) < depth) return NO_CUTOFF;
    const score = fromTable(this.#tScore[slot] as number, ply);
    const bound = flags & 3;
    return bound === EXACT || (bound === LOWER && score >= beta) || (bound === UPPER && score <= alpha)
      ? score
      : NO_CUTOFF;
  }

  /** The database's value code for the position, or undefined if it has none. */
  #endgameCode(black: number, white: number, kings: number, turn: number): number | undefined {
    if (this.#endgame === undefined || popCount(black | white) > this.#endgamePieces) return undefined;
    const code = this.#endgame.probe(black, white, kings, turn);
    return code < 0 || code === INVALID ? undefined : code;
  }

  /**
   * The database's score at `ply`: exact tables, the game ends `distance`
   * plies further on; win/draw/loss tables, see SearcherOptions.endgame.
   * Undefined: the search goes on.
   */
  #endgameValue(
    black: number,
    white: number,
    kings: number,
    turn: number,
    quiet: number,
    ply: number,
  ): number | undefined {
    const code = this.#endgameCode(black, white, kings, turn);
    if (code === undefined) return undefined;
    if (code === DRAW) return this.#drawScore(turn);
    if (popCount(black | white) > this.#exactPieces) {
      if (this.#rootInDatabase) return undefined;
      const estimate = leafScore(black, white, kings, turn, quiet, this.#weights);
      return isWin(code) ? KNOWN_WIN + estimate : -KNOWN_WIN + estimate;
    }
    const end = ply + distanceOf(code);
    return isWin(code) ? WIN - end : -(WIN - end);
  }

  /** The root moves (indices into `squares`) whose position keeps the root's database value `rootCode`; all of them for a loss. */
  #keepingValue(
    order: number[],
    squares: readonly (readonly [number, number, number])[],
    rootCode: number,
    black: number,
    white: number,
    kings: number,
    turn: number,
  ): number[] {
    if (isLoss(rootCode)) return order;
    const kept = order.filter((index) => {
      const [from, to, captured] = squares[index] as readonly [number, number, number];
      const fromBit = 1 << from;
      const toBit = 1 << to;
      const crowned = (kings & fromBit) !== 0 || ((turn === BLACK ? CROWN_BLACK : CROWN_WHITE) & toBit) !== 0;
      const nextKings = (kings & ~captured & ~fromBit) | (crowned ? toBit : 0);
      const nextBlack = turn === BLACK ? black ^ fromBit ^ toBit : black & ~captured;
      const nextWhite = turn === BLACK ? white & ~captured : white ^ fromBit ^ toBit;
      const child = this.#endgameCode(nextBlack, nextWhite, nextKings, turn ^ 1);
      return child !== undefined && (isWin(rootCode) ? isLoss(child) : child === DRAW);
    });
    return kept.length > 0 ? kept : order;
  }

  /** Ordering keys: the remembered best move, then bigger captures, then history. */
  #scoreMoves(start: number, end: number, turn: number, remembered: number): void {
    const stack = this.#moves;
    for (let i = start; i < end; i++) {
      const key = (stack.from[i] as number) * 32 + (stack.to[i] as number);
      stack.order[i] =
        key === remembered
          ? Number.MAX_SAFE_INTEGER
          : popCount(stack.captured[i] as number) * 1e6 + (this.#history[turn * 1024 + key] as number);
    }
  }

  /** Moves the best remaining move to index i (selection: most nodes cut off after a move or two). */
  #pickBest(i: number, end: number): void {
    const stack = this.#moves;
    let bestAt = i;
    for (let j = i + 1; j < end; j++) if ((stack.order[j] as number) > (stack.order[bestAt] as number)) bestAt = j;
    if (bestAt === i) return;
    const from = stack.from[i] as number;
    const to = stack.to[i] as number;
    const captured = stack.captured[i] as number;
    const order = stack.order[i] as number;
    stack.from[i] = stack.from[bestAt] as number;
    stack.to[i] = stack.to[bestAt] as number;
    stack.captured[i] = stack.captured[bestAt] as number;
    stack.order[i] = stack.order[bestAt] as number;
    stack.from[bestAt] = from;
    stack.to[bestAt] = to;
    stack.captured[bestAt] = captured;
    stack.order[bestAt] = order;
  }

  #store(
    hash: number,
    black: number,
    white: number,
    kings: number,
    turn: number,
    depth: number,
    score: number,
    bound: number,
    move: number,
  ): void {
    const slot = hash & this.#mask;
    this.#tBlack[slot] = black;
    this.#tWhite[slot] = white;
    this.#tKings[slot] = kings;
    this.#tScore[slot] = score;
    this.#tDepth[slot] = Math.min(depth, 127);
    this.#tFlags[slot] = (turn << 2) | bound;
    this.#tMove[slot] = move;
  }

  /**
   * Version 1: a node is a settled position (the side to move has no jump)
   * whose game goes on; its moves are steps.
   */
  #negamaxV1(
    black: number,
    white: number,
    kings: number,
    turn: number,
    quiet: number,
    hash: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
    sp: number,
    op: number,
  ): number {
    if ((++this.#nodes & 1023) === 0 && this.#outOfBudget()) this.#stopped = true;
    if (this.#stopped) return 0;
    // The forty-move rule drew it when the step was played (stepOutcomes); a repetition is a draw too.
    if (this.#path.repeats(hash, ply, quiet)) return 0;
    // A threatened leaf is searched at depth 0: its children, at depth -1, are never extended again.
    if (depth < 0 || ply >= MAX_PLY || (depth === 0 && !this.#threatened(black, white, kings, turn))) {
      return leafScore(black, white, kings, turn, quiet, this.#weights);
    }
    const key = hash ^ quietKey(quiet);
    const cutoff = this.#probe(key, black, white, kings, turn, depth, alpha, beta, ply);
    if (cutoff !== NO_CUTOFF) return cutoff;
    const remembered = this.#remembered;
    const stack = this.#moves;
    const own = turn === BLACK ? black : white;
    const end = generateSteps(stack, sp, own, kings, turn, ~(black | white));
    this.#scoreMoves(sp, end, turn, remembered);
    const originalAlpha = alpha;
    const reduce = this.#reductions && depth >= 3 && popCount(black | white) > REDUCE_MAX_PIECES;
    let best = -WIN - 1;
    let bestMove = -1;
    for (let i = sp; i < end; i++) {
      this.#pickBest(i, end);
      const from = stack.from[i] as number;
      const to = stack.to[i] as number;
      let score = alpha + 1;
      if (reduce && i - sp >= 3) {
        score = this.#stepValue(
          black,
          white,
          kings,
          turn,
          quiet,
          hash,
          from,
          to,
          depth - 1,
          alpha,
          alpha + 1,
          ply + 1,
          end,
          op,
        );
      }
      if (score > alpha) {
        score = this.#stepValue(black, white, kings, turn, quiet, hash, from, to, depth, alpha, beta, ply + 1, end, op);
      }
      if (this.#stopped) return 0;
      if (score > best) {
        best = score;
        bestMove = from * 32 + to;
      }
      if (score > alpha) alpha = score;
      if (alpha >= beta) {
        this.#history[turn * 1024 + from * 32 + to] =
          (this.#history[turn * 1024 + from * 32 + to] as number) + depth * depth;
        break;
      }
    }
    const bound = best <= originalAlpha ? UPPER : best >= beta ? LOWER : EXACT;
    this.#store(key, black, white, kings, turn, Math.max(0, depth), toTable(best, ply), bound, bestMove);
    return best;
  }

  /** Whether the opponent of `turn` could jump now (only with threatExtension on). */
  #threatened(black: number, white: number, kings: number, turn: number): boolean {
    if (!this.#threatExtension) return false;
    return turn === BLACK
      ? canJump(white, black, kings, WHITE, ~(black | white))
      : canJump(black, white, kings, BLACK, ~(black | white));
  }

  /**
   * The score of a version-1 step for the side making it: the average over
   * every way the referee can play on (each searched with a full window), or
   * the one outcome searched with (alpha, beta). After the opponent's forced
   * jumps it may be the mover's turn again.
   */
  #stepValue(
    black: number,
    white: number,
    kings: number,
    turn: number,
    quiet: number,
    hash: number,
    from: number,
    to: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
    sp: number,
    op: number,
  ): number {
    const last = stepOutcomes(this.#outcomes, op, black, white, kings, turn, quiet, hash, from, to);
    if (last - op === 1) return this.#outcomeValue(op, turn, depth, alpha, beta, ply, sp, last);
    let sum = 0;
    for (let o = op; o < last; o++) {
      sum += this.#outcomeValue(o, turn, depth, -WIN - 1, WIN + 1, ply, sp, last);
      if (this.#stopped) return 0;
    }
    return Math.trunc(sum / (last - op));
  }

  /** An outcome's score for `mover`, searched with `mover`'s window. */
  #outcomeValue(
    o: number,
    mover: number,
    depth: number,
    alpha: number,
    beta: number,
    ply: number,
    sp: number,
    op: number,
  ): number {
    const outcomes = this.#outcomes;
    const turn = outcomes.turn[o] as number;
    const result = outcomes.result[o] as number;
    if (result !== GOES_ON) {
      this.#nodes++;
      const score = result === DRAWN ? 0 : -(WIN - ply);
      return turn === mover ? score : -score;
    }
    const black = outcomes.black[o] as number;
    const white = outcomes.white[o] as number;
    const kings = outcomes.kings[o] as number;
    const quiet = outcomes.quiet[o] as number;
    const hash = outcomes.hash[o] as number;
    return turn === mover
      ? this.#negamaxV1(black, white, kings, turn, quiet, hash, depth - 1, alpha, beta, ply, sp, op)
      : -this.#negamaxV1(black, white, kings, turn, quiet, hash, depth - 1, -beta, -alpha, ply, sp, op);
  }
}
