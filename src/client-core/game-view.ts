import { moveByteOf, type Ownership, readMoveByte, readOwnership, toWireBoard } from '../common/wire.js';
import { formatMove, matchMove, parseMoveText } from '../game/notation.js';
import {
  BLACK,
  type Color,
  colorName,
  INITIAL_POSITION,
  movePiece,
  other,
  type Position,
  piecesOf,
  positionProblem,
  WHITE,
} from '../game/position.js';
import { BIT_COORDINATES, JUMP, lowestBit, STEP } from '../game/squares.js';
import { hasJump, hasStep, type Move } from '../game/standard.js';
import { legalSteps, newV1Game } from '../game/v1.js';
import { type MessageOfType, type MoveByte, NO_MOVE, type WireBoard } from '../protocol/index.js';
import { explainIllegalStep } from './move-explanation.js';

export type Who = 'me' | 'opponent';

/** The one thing to say about captures: in version 1 the server plays them all, so players only type steps. */
export const CAPTURE_HINT = 'the server plays every capture for you; type a simple step such as 11-15';

export interface MoveSummary {
  readonly from: number;
  readonly to: number;
  readonly kind: 'step' | 'jump';
  readonly by: Who;
}

export interface GameEnding {
  readonly outcome: 'won' | 'lost' | 'draw';
  readonly how: string;
  readonly oldRating: number;
  readonly newRating: number;
}

export type InputReading =
  | { readonly ok: true; readonly move: MoveByte; readonly text: string }
  | { readonly ok: false; readonly reason: string };

/**
 * One game as this player sees it, pure: built from the server's messages
 * (which carry boards from this player's point of view) and the moves sent.
 */
export class GameView {
  color: Color | undefined;
  position: Position | undefined;
  awaitingMyMove = false;
  lastMove: MoveSummary | undefined;
  /** Jumps the server played since the last turn began. */
  forced: MoveSummary[] = [];
  /** What is wrong with the last board or turn the server sent, in words; undefined when all is well. */
  problem: string | undefined;

  constructor(
    readonly opponent: string,
    readonly opponentRating: number,
    readonly myRating: number,
  ) {}

  /** Who moves first by the protocol's rule (lower rating), or undefined on a tie. */
  expectedFirstMover(): Who | undefined {
    if (this.myRating === this.opponentRating) return undefined;
    return this.myRating < this.opponentRating ? 'me' : 'opponent';
  }

  onYourTurn(message: MessageOfType<'YourTurn'>): void {
    if (this.color === undefined) this.color = inferColor(message.board, message.lastMove === NO_MOVE);
    this.#read(message.board, this.color);
    this.lastMove =
      message.lastMove === NO_MOVE && this.forced.length === 0 ? undefined : this.#describe(message.lastMove);
    this.awaitingMyMove = true;
    if (this.problem === undefined && this.legalMoves().length === 0) {
      this.problem = 'the server says it is your move, but you have no legal move on its board';
    }
  }

  /**
   * A jump the server played. When the opponent's step made it compulsory, no
   * message carried that step: it is recovered from the boards before and
   * after. Returns the plies to show, in order: that step, then the jump.
   */
  onForcedMove(message: MessageOfType<'CompulsoryMove'>): MoveSummary[] {
    if (this.color === undefined) this.color = inferColor(message.board, false);
    const before = this.position;
    this.#read(message.board, this.color);
    const hidden = before && this.position ? this.#unseenStep(before, this.position, message.move) : undefined;
    const summary = this.#describe(message.move);
    if (!summary) return hidden ? [hidden] : [];
    this.forced.push(summary);
    this.lastMove = summary;
    return hidden ? [hidden, summary] : [summary];
  }

  /** The opponent's step that, followed by the jump `move`, turns `before` into `after`; undefined if none is needed. */
  #unseenStep(before: Position, after: Position, move: MoveByte): MoveSummary | undefined {
    const color = this.color;
    if (color === undefined || jumpLeadsTo(before, move, after)) return undefined;
    const opponent = other(color);
    for (const step of legalSteps(newV1Game({ ...before, turn: opponent }))) {
      const stepped = movePiece(before, opponent, step.from, step.to, 0);
      if (jumpLeadsTo(stepped, move, after)) return { from: step.from, to: step.to, kind: 'step', by: 'opponent' };
    }
    return undefined;
  }

  onInvalidMove(message: MessageOfType<'InvalidMove'>): void {
    if (this.color !== undefined) this.#read(message.board, this.color);
    this.awaitingMyMove = true;
  }

  /** Shows our own step at once, before the server answers. */
  onMoveSent(move: MoveByte): void {
    const step = readMoveByte(move);
    const to = step && (STEP[step.direction]?.[step.from] ?? -1);
    if (this.position && this.color !== undefined && step && to !== undefined && to >= 0) {
      this.position = movePiece(this.position, this.color, step.from, to, 0);
      this.lastMove = { from: step.from, to, kind: 'step', by: 'me' };
    }
    this.forced = [];
    this.awaitingMyMove = false;
  }

  /** Legal steps while it is our turn. */
  legalMoves(): Move[] {
    if (!this.awaitingMyMove || !this.position || this.color === undefined) return [];
    return legalSteps(newV1Game({ ...this.position, turn: this.color })).map((step) => ({
      from: step.from,
      path: [step.to],
      captured: 0,
    }));
  }

  legalMoveTexts(): string[] {
    return this.legalMoves().map(formatMove);
  }

  /** Checks typed move text locally before anything is sent. */
  readInput(text: string): InputReading {
    if (!this.awaitingMyMove) return { ok: false, reason: `it is ${this.opponent}'s turn; wait for yours` };
    const parsed = parseMoveText(text);
    if (!parsed.ok) {
      // The notation module also reads jumps ("22x15"); here only steps may be typed, so say only that.
      const badSquare = /^square \d+ does not exist/.test(parsed.reason);
      return badSquare ? parsed : { ok: false, reason: `"${text.trim()}" is not a move; type a step such as 11-15` };
    }
    if (parsed.move.kind === 'capture') {
      return { ok: false, reason: CAPTURE_HINT };
    }
    const match = matchMove(this.legalMoves(), { ...parsed.move, kind: 'step' });
    if (!match.ok) {
      const [from, to, ...more] = parsed.move.squares;
      if (this.position && this.color !== undefined && from && to && more.length === 0) {
        return { ok: false, reason: explainIllegalStep(this.position, this.color, from, to) };
      }
      return { ok: false, reason: `${match.reason}; type "moves" to list your moves` };
    }
    const direction = ([0, 1, 2, 3] as const).find((d) => STEP[d]?.[match.move.from] === match.move.path[0]);
    if (direction === undefined) return { ok: false, reason: 'that is not a diagonal step' };
    return { ok: true, move: moveByteOf(match.move.from, direction), text: formatMove(match.move) };
  }

  onGameOver(message: MessageOfType<'GameOver'>): GameEnding {
    if (this.color === undefined) this.color = inferColor(message.board, false);
    this.#read(message.board, this.color);
    const ratings = { oldRating: message.oldRating, newRating: message.newRating };
    const me = this.color;
    const position = this.position ?? INITIAL_POSITION;
    const stuck = (color: Color) => !hasStep(position, color) && !hasJump(position, color);
    const myTurn = this.awaitingMyMove;
    this.awaitingMyMove = false;
    if (message.won) {
      const how =
        piecesOf(position, other(me)) === 0
          ? `you took all of ${this.opponent}'s pieces`
          : stuck(other(me))
            ? `${this.opponent} has no move left`
            : `${this.opponent}'s move clock ran out`;
      return { outcome: 'won', how, ...ratings };
    }
    if (piecesOf(position, me) === 0) return { outcome: 'lost', how: 'you have no pieces left', ...ratings };
    if (stuck(me)) return { outcome: 'lost', how: 'you have no move left', ...ratings };
    if (myTurn) return { outcome: 'lost', how: 'your move clock ran out', ...ratings };
    return { outcome: 'draw', how: '40 moves each without a capture or a man moving', ...ratings };
  }

  colorName(): string {
    return this.color === undefined ? 'unknown' : colorName(this.color) === 'black' ? 'Black' : 'White';
  }

  #read(board: WireBoard, color: Color): void {
    const reading = readOwnership(board);
    const { mine, theirs, kings } = reading.ok ? reading : { mine: 0, theirs: 0, kings: 0 };
    this.position = {
      black: color === BLACK ? mine : theirs,
      white: color === BLACK ? theirs : mine,
      kings,
      turn: color,
    };
    const impossible = reading.ok ? positionProblem(this.position) : undefined;
    this.problem = !reading.ok
      ? `the server sent a board that cannot be read (${reading.reason})`
      : impossible
        ? `the server sent a board that cannot happen in a game (${impossible})`
        : undefined;
  }

  #describe(move: MoveByte): MoveSummary | undefined {
    const step = readMoveByte(move);
    if (!step || !this.position) return undefined;
    const occupied = this.position.black | this.position.white;
    const stepTo = STEP[step.direction]?.[step.from] ?? -1;
    const jumpTo = JUMP[step.direction]?.[step.from] ?? -1;
    const jumped = jumpTo >= 0 && (occupied >>> jumpTo) & 1 && stepTo >= 0 && ((occupied >>> stepTo) & 1) === 0;
    const to = jumped ? jumpTo : stepTo;
    if (to < 0) return undefined;
    const mine = this.color === undefined ? 0 : piecesOf(this.position, this.color);
    return { from: step.from, to, kind: jumped ? 'jump' : 'step', by: (mine >>> to) & 1 ? 'me' : 'opponent' };
  }
}

/** Whether the jump `move` (by whichever side stands on its square) turns `before` into exactly `after`. */
function jumpLeadsTo(before: Position, move: MoveByte, after: Position): boolean {
  const jump = readMoveByte(move);
  if (!jump) return false;
  const to = JUMP[jump.direction]?.[jump.from] ?? -1;
  const over = STEP[jump.direction]?.[jump.from] ?? -1;
  if (to < 0 || over < 0) return false;
  const mover: Color = (before.black >>> jump.from) & 1 ? BLACK : WHITE;
  if (((piecesOf(before, mover) >>> jump.from) & 1) === 0) return false;
  if (((piecesOf(before, other(mover)) >>> over) & 1) === 0) return false;
  if (((before.black | before.white) >>> to) & 1) return false;
  const jumped = movePiece(before, mover, jump.from, to, (1 << over) >>> 0);
  return jumped.black === after.black && jumped.white === after.white && jumped.kings === after.kings;
}

/** Bitboards of a wire board by owner; a board the rules cannot read shows as empty. */
function ownership(board: WireBoard): Ownership {
  const reading = readOwnership(board);
  return reading.ok ? reading : { mine: 0, theirs: 0, kings: 0 };
}

/**
 * Which colour the receiver of `board` plays. The first player's first turn
 * carries "no previous move" on the starting board; otherwise men tell:
 * Black men move towards y = 0, so a man of ours on y = 7 is Black's and one on
 * y = 0 is White's; failing that, Black's men stand higher than White's.
 */
export function inferColor(board: WireBoard, noPreviousMove: boolean): Color {
  if (noPreviousMove && sameBoard(board, toWireBoard(INITIAL_POSITION, BLACK))) return BLACK;
  const { mine, theirs, kings } = ownership(board);
  const men = (bits: number) => bits & ~kings;
  const rows = (bits: number) => {
    const ys: number[] = [];
    for (let rest = bits >>> 0; rest !== 0; rest &= rest - 1) ys.push(BIT_COORDINATES[lowestBit(rest)]?.y ?? 0);
    return ys;
  };
  const myRows = rows(men(mine));
  if (myRows.includes(7)) return BLACK;
  if (myRows.includes(0)) return WHITE;
  const theirRows = rows(men(theirs));
  if (theirRows.includes(0)) return BLACK;
  if (theirRows.includes(7)) return WHITE;
  const average = (ys: number[]) => (ys.length === 0 ? 3.5 : ys.reduce((sum, y) => sum + y, 0) / ys.length);
  return average(myRows) >= average(theirRows) ? BLACK : WHITE;
}

function sameBoard(a: WireBoard, b: WireBoard): boolean {
  return a.cells.every((cell, index) => cell === b.cells[index]);
}
