import { fromWireBoard } from '../../common/wire.js';
import { type Color, INITIAL_POSITION, movePiece, other, type Position } from '../../game/position.js';
import { BIT_COORDINATES, bitOf, squareNumber } from '../../game/squares.js';
import { legalMoves, type Move } from '../../game/standard.js';
import type { WireBoard } from '../../protocol/index.js';
import { type ClockReading, type ClockSide, remainingMs } from './clock.js';
import type { Ply, RecordEntry } from './move-record.js';
import type { StandardInfo } from './play-commands.js';
import type { GameInfo } from './play-session.js';
import type { TimeControl } from './time-controls.js';

/**
 * One version-2 (standard rules) game as this player sees it, pure: the
 * position, the record, both clocks, and the draw and rematch state, built
 * from what the server sent and what this player did. The session feeds it;
 * the page draws it.
 */
export type DrawState = 'none' | 'offered-by-me' | 'offered-by-opponent';
export type RematchState = 'none' | 'asked-by-me' | 'asked-by-opponent' | 'gone';

/** A ply to animate: one hop of a path, with the position after it. */
export interface PathPly extends Ply {
  readonly after: Position;
}

export interface GameStartFacts {
  readonly opponent: string;
  readonly opponentRating: number;
  readonly myRating: number;
  readonly color: Color;
  readonly timeControl: TimeControl;
  readonly rated: boolean;
  readonly gameId: number;
}

/** A turn message (YourMove or TheirMove) after its bytes are read. */
export interface TurnFacts {
  /** Squares 1-32 of the last move's path, or null before the first move. */
  readonly lastPath: readonly number[] | null;
  readonly board: WireBoard;
  readonly myClockMs: number;
  readonly opponentClockMs: number;
  readonly opponentOffersDraw: boolean;
}

export class StandardGame {
  position: Position;
  record: RecordEntry[] = [];
  lastPly: Ply | undefined;
  myTurn = false;
  clocks: ClockReading | undefined;
  draw: DrawState = 'none';
  /** Whether this player may offer a draw now: once per own move. */
  mayOfferDraw = true;
  rematch: RematchState = 'none';
  /** Asked for with PlayComputer (or, after a reload, saved so by this tab). */
  againstComputer = false;
  /** What is wrong with a board the server sent, in words. */
  problem: string | undefined;
  /** Hints the server answered with a move in this game (casual games against the computer). */
  hintsUsed = 0;
  /** The move the last hint suggests, until this player moves. */
  hint: Move | undefined;
  /** A Hint is sent and its answer has not come. */
  askingHint = false;
  /** The position before the move this player sent, to go back to if the server refuses it. */
  #beforeSent: { position: Position; record: RecordEntry[]; lastPly: Ply | undefined } | undefined;

  constructor(readonly facts: GameStartFacts) {
    this.position = { ...INITIAL_POSITION };
  }

  get color(): Color {
    return this.facts.color;
  }

  /** The game as the play page draws it; `playing` is false after the game and while reconnecting. */
  gameInfo(playing: boolean): GameInfo {
    return {
      opponent: this.facts.opponent,
      opponentRating: this.facts.opponentRating,
      myRating: this.facts.myRating,
      color: this.color,
      expectedColor: this.color,
      position: this.position,
      myTurn: playing && this.myTurn,
      legal: playing ? this.legalMoves() : [],
      record: this.record,
      lastPly: this.lastPly,
    };
  }

  /** What version 2 adds to the page: clocks, draw, rematch, hints. */
  standardInfo(playing: boolean, opponentAway: boolean): StandardInfo {
    return {
      clocks: this.clocks,
      timeControl: this.facts.timeControl,
      rated: this.facts.rated,
      draw: this.draw,
      mayOfferDraw: playing && this.mayOfferDraw && this.draw !== 'offered-by-me',
      rematch: this.rematch,
      opponentAway,
      againstComputer: this.againstComputer,
      hints: {
        allowed: this.againstComputer && !this.facts.rated,
        asking: this.askingHint,
        move: this.hint,
        used: this.hintsUsed,
      },
    };
  }

  /** The legal moves now: empty unless it is this player's turn. */
  legalMoves(): Move[] {
    return this.myTurn ? legalMoves({ ...this.position, turn: this.color }) : [];
  }

  /**
   * A turn from the server: `mine` for YourMove, false for TheirMove. Returns
   * the plies to animate when the board changed by the last path (the
   * opponent's move, or a move this page did not show).
   */
  onTurn(turn: TurnFacts, mine: boolean, receivedAt: number): PathPly[] {
    const mover = mine ? this.color : other(this.color);
    const reading = fromWireBoard(turn.board, this.color, mover);
    this.#beforeSent = undefined;
    const previous = this.position;
    let plies: PathPly[] = [];
    if (!reading.ok) {
      this.problem = `the server sent a board that cannot be: ${reading.reason}`;
    } else {
      this.problem = undefined;
      const changed = !samePieces(previous, reading.position);
      if (changed && turn.lastPath) {
        plies = pathPlies(previous, other(mover), turn.lastPath, reading.position);
        this.#record(plies, other(mover), turn.lastPath);
      }
      this.position = reading.position;
    }
    if (mine && this.draw === 'offered-by-me') this.draw = 'none';
    if (turn.opponentOffersDraw) this.draw = 'offered-by-opponent';
    else if (this.draw === 'offered-by-opponent') this.draw = 'none';
    this.myTurn = mine;
    this.hint = undefined;
    this.clocks = {
      myMs: turn.myClockMs,
      opponentMs: turn.opponentClockMs,
      running: mine ? 'me' : 'opponent',
      receivedAt,
    };
    return plies;
  }

  /** This player's move, shown at once while the server checks it; `now` stops this player's clock where it stands. */
  onMoveSent(move: Move, now: number): PathPly[] {
    const path = [squareNumber(move.from), ...move.path.map(squareNumber)];
    this.#beforeSent = { position: this.position, record: this.record, lastPly: this.lastPly };
    const plies = pathPlies(this.position, this.color, path, undefined);
    const last = plies.at(-1);
    if (last) this.position = last.after;
    this.#record(plies, this.color, path);
    this.myTurn = false;
    this.hint = undefined;
    this.mayOfferDraw = true;
    // An offer from the opponent lapses when this player moves.
    if (this.draw === 'offered-by-opponent') this.draw = 'none';
    this.#stopClocks(now);
    return plies;
  }

  /** The server refused the move sent: back to the position before it, still this player's turn. */
  onMoveRefused(receivedAt: number): void {
    const before = this.#beforeSent;
    if (before) {
      this.position = before.position;
      this.record = before.record;
      this.lastPly = before.lastPly;
    }
    this.#beforeSent = undefined;
    this.myTurn = true;
    if (this.clocks) this.clocks = { ...this.clocks, running: 'me', receivedAt };
  }

  /**
   * The answer to Hint: the suggested move when it is one of this player's
   * legal moves now (it is counted), else undefined (no hint in this game, or
   * the position moved on before the answer came).
   */
  onHint(path: readonly number[] | null): Move | undefined {
    this.askingHint = false;
    if (!path) return undefined;
    const bits = path.map((square) => square - 1);
    const move = this.legalMoves().find(
      (candidate) =>
        candidate.from === bits[0] &&
        candidate.path.length === bits.length - 1 &&
        candidate.path.every((bit, index) => bit === bits[index + 1]),
    );
    if (!move) return undefined;
    this.hint = move;
    this.hintsUsed += 1;
    return move;
  }

  onDrawOfferSent(): void {
    this.draw = this.draw === 'offered-by-opponent' ? 'none' : 'offered-by-me';
    this.mayOfferDraw = false;
  }

  /**
   * The end of the game: the final board (animating the last path if the
   * board changed), the clocks stopped where they stand at `now`, or at zero
   * for the side whose time ran out.
   */
  onGameOver(lastPath: readonly number[] | null, board: WireBoard, now: number, flagged?: ClockSide): PathPly[] {
    this.myTurn = false;
    this.hint = undefined;
    this.draw = 'none';
    this.#stopClocks(now);
    if (this.clocks && flagged) this.clocks = { ...this.clocks, [flagged === 'me' ? 'myMs' : 'opponentMs']: 0 };
    const reading = fromWireBoard(board, this.color, this.color);
    if (!reading.ok) {
      this.problem = `the server sent a board that cannot be: ${reading.reason}`;
      return [];
    }
    const previous = this.position;
    this.position = reading.position;
    if (samePieces(previous, reading.position) || !lastPath) return [];
    // Usually the opponent's move ended the game (this player's own last move came back as TheirMove first).
    for (const mover of [other(this.color), this.color]) {
      const plies = pathPlies(previous, mover, lastPath, reading.position);
      if (plies.length > 0) {
        this.#record(plies, mover, lastPath);
        return plies;
      }
    }
    return [];
  }

  #stopClocks(now: number): void {
    const clocks = this.clocks;
    if (!clocks?.running) return;
    this.clocks = {
      myMs: remainingMs(clocks, 'me', now),
      opponentMs: remainingMs(clocks, 'opponent', now),
      running: undefined,
      receivedAt: now,
    };
  }

  #record(plies: readonly PathPly[], mover: Color, path: readonly number[]): void {
    const first = plies[0];
    const last = plies.at(-1);
    if (!first || !last) return;
    const jump = first.kind === 'jump';
    this.record = [...this.record, { color: mover, text: path.join(jump ? 'x' : '-'), end: last.to, kind: first.kind }];
    this.lastPly = { from: first.from, to: last.to, kind: first.kind, color: mover };
  }
}

function samePieces(a: Position, b: Position): boolean {
  return a.black === b.black && a.white === b.white && a.kings === b.kings;
}

/**
 * The hops of `path` (squares 1-32) played by `mover` on `before`, each with
 * the position after it, when the path is a legal move there and (if given)
 * ends on `expected`; else no plies (the board is then shown without animation).
 */
export function pathPlies(
  before: Position,
  mover: Color,
  path: readonly number[],
  expected: Position | undefined,
): PathPly[] {
  const bits = path.map((square) => square - 1);
  const move = legalMoves({ ...before, turn: mover }).find(
    (candidate) =>
      candidate.from === bits[0] &&
      candidate.path.length === bits.length - 1 &&
      candidate.path.every((bit, index) => bit === bits[index + 1]),
  );
  if (!move) return [];
  const plies: PathPly[] = [];
  let at = move.from;
  let position = before;
  const kind = move.captured === 0 ? 'step' : 'jump';
  for (const landing of move.path) {
    const captured = kind === 'jump' ? jumpedSquare(at, landing) : 0;
    position = { ...movePiece(position, mover, at, landing, captured), turn: mover };
    plies.push({ from: at, to: landing, kind, color: mover, after: position });
    at = landing;
  }
  const final = { ...position, turn: other(mover) };
  const last = plies.at(-1);
  if (last) plies[plies.length - 1] = { ...last, after: final };
  if (expected && !samePieces(final, expected)) return [];
  return plies;
}

/** The mask of the piece jumped between two squares two diagonal steps apart (bits). */
function jumpedSquare(from: number, to: number): number {
  const a = BIT_COORDINATES[from];
  const c = BIT_COORDINATES[to];
  if (!a || !c) return 0;
  const over = bitOf((a.x + c.x) / 2, (a.y + c.y) / 2);
  return over >= 0 ? (1 << over) >>> 0 : 0;
}
