import { fromWireBoard } from '../common/wire.js';
import { formatMove, matchMove, parseMoveText, pathOfMove, pathToNotation } from '../game/notation.js';
import { BLACK, type Color, INITIAL_POSITION, other, type Position, piecesOf, WHITE } from '../game/position.js';
import { bitOfSquare, squareNumber } from '../game/squares.js';
import { applyMove, legalMoves, type Move } from '../game/standard.js';
import {
  Colour2,
  illegalMoveText,
  type MessageOfType,
  MOVE_FLAG_DRAW_OFFERED,
  type Path,
  type WireBoard,
} from '../protocol/index.js';
import { type ClockReading, StandardClock } from './standard-clock.js';
import { describeEnding, type StandardEnding } from './standard-ending.js';

export type Side = 'me' | 'opponent';

export interface LastMove {
  readonly path: Path;
  readonly by: Side;
  /** Squares (1-32) of the pieces it took, for drawing the capture. */
  readonly captured: readonly number[];
  readonly text: string;
}

export type PathReading =
  | { readonly ok: true; readonly path: number[]; readonly text: string }
  | { readonly ok: false; readonly reason: string };

/** Where a rematch stands after the game: none asked, we asked, they asked, or it is off. */
export type RematchState = 'none' | 'sent' | 'offered' | 'gone';

/**
 * One version-2 game as this player sees it, pure, shared by the browser and
 * the terminal: built from the server's messages (boards from this player's
 * side, converted with this player's colour into src/game/standard.ts
 * positions) and from what the player sends. It lists legal paths and the
 * continuations of a partial click sequence, keeps both clocks on the
 * injected `now()`, the draw and rematch state, and says how the game ended.
 */
export class StandardView {
  readonly opponent: string;
  readonly opponentRating: number;
  readonly colour: Color;
  readonly rated: boolean;
  readonly gameId: number;
  readonly clock: StandardClock;
  position: Position = INITIAL_POSITION;
  /** Whose move it is; undefined after the game, and between our MovePath and its answer. */
  toMove: Side | undefined;
  lastMove: LastMove | undefined;
  /** The last IllegalMove in words, until the next move. */
  refusal: string | undefined;
  /** What is wrong with the last board the server sent; undefined when all is well. */
  problem: string | undefined;
  opponentOffersDraw = false;
  myDrawOfferPending = false;
  /** We offered since our last move: the next offer waits for a move of ours. */
  #offeredSinceMyMove = false;
  declinedNotice = false;
  #awayUntil: number | undefined;
  rematch: RematchState = 'none';
  ending: StandardEnding | undefined;
  /** The board and last move before our MovePath was shown, to put back if the server refuses it. */
  #beforeSent: { position: Position; lastMove: LastMove | undefined } | undefined;

  constructor(
    start: MessageOfType<'GameStart2'>,
    private readonly now: () => number,
  ) {
    this.opponent = start.opponent;
    this.opponentRating = start.opponentRating;
    this.colour = start.colour === Colour2.Second ? WHITE : BLACK;
    this.rated = start.rated;
    this.gameId = start.gameId;
    this.clock = new StandardClock(start.initialSeconds, start.incrementSeconds, now);
  }

  get inGame(): boolean {
    return this.ending === undefined;
  }

  onYourMove(message: MessageOfType<'YourMove'>): void {
    this.#onTurn(message, 'me');
  }

  onTheirMove(message: MessageOfType<'TheirMove'>): void {
    this.#onTurn(message, 'opponent');
  }

  #onTurn(message: MessageOfType<'YourMove'> | MessageOfType<'TheirMove'>, toMove: Side): void {
    const mover = toMove === 'me' ? 'opponent' : 'me';
    const before = this.position;
    this.#read(message.board, toMove === 'me' ? this.colour : other(this.colour));
    this.#noteLastMove(message.lastPath, mover, before);
    this.toMove = toMove;
    this.refusal = undefined;
    this.#beforeSent = undefined;
    this.opponentOffersDraw = (message.flags & MOVE_FLAG_DRAW_OFFERED) !== 0;
    // An offer lapses when the offerer's opponent moves; a move of ours frees our next offer.
    if (toMove === 'me' && message.lastPath) this.myDrawOfferPending = false;
    if (toMove === 'opponent' && message.lastPath) this.#offeredSinceMyMove = false;
    this.clock.set(message.yourClockMs, message.opponentClockMs, this.clock.enabled ? toMove : undefined);
  }

  onIllegalMove(message: MessageOfType<'IllegalMove'>): void {
    if (this.#beforeSent) {
      this.position = this.#beforeSent.position;
      this.lastMove = this.#beforeSent.lastMove;
      this.#beforeSent = undefined;
    }
    this.toMove = 'me';
    this.refusal = `${pathToNotation(message.path)}: ${illegalMoveText(message.reason)}`;
  }

  /** Our MovePath is on its way: the move is shown at once, and our clock stops until the server answers. */
  onMoveSent(path: Path): void {
    const move = this.#legalMove(path);
    this.#beforeSent = { position: this.position, lastMove: this.lastMove };
    if (move) {
      const before = this.position;
      this.position = applyMove({ ...before, turn: this.colour }, move);
      this.#noteLastMove(path, 'me', before);
    }
    this.toMove = undefined;
    this.opponentOffersDraw = false;
    this.#offeredSinceMyMove = false;
    this.clock.stop();
  }

  onDrawOffered(): void {
    this.opponentOffersDraw = true;
  }

  onDrawDeclined(): void {
    this.myDrawOfferPending = false;
    this.declinedNotice = true;
  }

  /** Whether OfferDraw makes sense now: in a game, no offer of ours pending, and a move of ours since the last. */
  canOfferDraw(): boolean {
    return this.inGame && !this.myDrawOfferPending && (this.opponentOffersDraw || !this.#offeredSinceMyMove);
  }

  /** OfferDraw sent: it accepts a pending offer of the opponent, else it is our pending offer. */
  onDrawOfferSent(): void {
    this.declinedNotice = false;
    if (this.opponentOffersDraw) return;
    this.myDrawOfferPending = true;
    this.#offeredSinceMyMove = true;
  }

  onDrawAnswerSent(): void {
    this.opponentOffersDraw = false;
  }

  onOpponentAway(message: MessageOfType<'OpponentAway'>): void {
    this.#awayUntil = this.now() + message.graceSeconds * 1000;
  }

  onOpponentBack(): void {
    this.#awayUntil = undefined;
  }

  /** Whole seconds the absent opponent has left to come back, or undefined when they are here. */
  opponentAwaySeconds(): number | undefined {
    if (this.#awayUntil === undefined) return undefined;
    return Math.max(0, Math.ceil((this.#awayUntil - this.now()) / 1000));
  }

  onGameOver(message: MessageOfType<'GameOver2'>): StandardEnding {
    const before = this.position;
    this.#read(message.board, this.position.turn);
    if (message.lastPath && !samePath(message.lastPath, this.lastMove?.path)) {
      const mover = this.#moverOf(message.lastPath, before);
      this.#noteLastMove(message.lastPath, mover, before);
    }
    this.clock.stop();
    this.toMove = undefined;
    this.opponentOffersDraw = false;
    this.myDrawOfferPending = false;
    this.#awayUntil = undefined;
    const loser = message.result === 1 ? other(this.colour) : this.colour;
    this.ending = describeEnding({
      ...message,
      opponent: this.opponent,
      loserHasNoPieces: piecesOf(this.position, loser) === 0,
    });
    return this.ending;
  }

  onRematchSent(): void {
    if (this.rematch !== 'offered') this.rematch = 'sent';
  }

  onRematchOffered(): void {
    this.rematch = 'offered';
  }

  onRematchGone(): void {
    this.rematch = 'gone';
  }

  clocks(): ClockReading | undefined {
    return this.clock.enabled ? this.clock.read() : undefined;
  }

  /** Every legal path while it is our move, as squares 1-32. */
  legalPaths(): number[][] {
    if (this.toMove !== 'me' || !this.inGame) return [];
    return this.#legalMoves().map(pathOfMove);
  }

  legalPathTexts(): string[] {
    return this.toMove === 'me' && this.inGame ? this.#legalMoves().map(formatMove) : [];
  }

  /**
   * The squares that may come next after the squares clicked so far: the
   * pieces that can move for an empty sequence, else the next landing
   * squares of the legal paths that start with it (none once it is whole).
   */
  continuations(partial: readonly number[]): number[] {
    const next = new Set<number>();
    for (const path of this.legalPaths()) {
      if (path.length > partial.length && partial.every((square, i) => path[i] === square)) {
        next.add(path[partial.length] ?? 0);
      }
    }
    return [...next].sort((a, b) => a - b);
  }

  /** The legal path these clicks complete, if they do. */
  completedPath(partial: readonly number[]): number[] | undefined {
    return this.legalPaths().find((path) => samePath(path, partial));
  }

  /** Reads typed move text ("11-15", "22x15", "13x22x31", or a multi-jump by its ends when unambiguous). */
  readInput(text: string): PathReading {
    if (!this.inGame) return { ok: false, reason: 'the game is over' };
    if (this.toMove !== 'me') return { ok: false, reason: `it is ${this.opponent}'s move; wait for yours` };
    const parsed = parseMoveText(text);
    if (!parsed.ok) return parsed;
    const legal = this.#legalMoves();
    const match = matchMove(legal, parsed.move);
    if (match.ok) return { ok: true, path: pathOfMove(match.move), text: formatMove(match.move) };
    const captures = legal.filter((move) => move.captured !== 0);
    const squares = parsed.move.squares;
    const longer = captures.filter((move) => {
      const path = pathOfMove(move);
      return path.length > squares.length && squares.every((square, i) => path[i] === square);
    });
    if (longer.length > 0) {
      return { ok: false, reason: `the capture can go on: give the whole path, e.g. ${formatMove(longer[0] as Move)}` };
    }
    if (captures.length > 0 && squares.length === 2 && parsed.move.kind !== 'capture') {
      return { ok: false, reason: `a capture is compulsory: ${captures.map(formatMove).join(', ')}` };
    }
    return { ok: false, reason: `${match.reason}; type "moves" to list your moves` };
  }

  #legalMoves(): Move[] {
    return legalMoves({ ...this.position, turn: this.colour });
  }

  #legalMove(path: Path): Move | undefined {
    return this.#legalMoves().find((move) => samePath(pathOfMove(move), path));
  }

  /** Who made `path` on `before`: the side whose piece stands on its first square. */
  #moverOf(path: Path, before: Position): Side {
    const bit = bitOfSquare(path[0] ?? 0);
    const mine = this.colour === BLACK ? before.black : before.white;
    return bit >= 0 && (mine >>> bit) & 1 ? 'me' : 'opponent';
  }

  #noteLastMove(path: Path | null, by: Side, before: Position): void {
    if (!path) {
      this.lastMove = undefined;
      return;
    }
    const colour = by === 'me' ? this.colour : other(this.colour);
    const move = legalMoves({ ...before, turn: colour }).find((candidate) => samePath(pathOfMove(candidate), path));
    const captured: number[] = [];
    for (let bits = move?.captured ?? 0; bits !== 0; bits &= bits - 1) {
      captured.push(squareNumber(31 - Math.clz32(bits & -bits)));
    }
    this.lastMove = { path, by, captured, text: move ? formatMove(move) : pathToNotation(path) };
  }

  #read(board: WireBoard, turn: Color): void {
    const reading = fromWireBoard(board, this.colour, turn);
    if (reading.ok) {
      this.position = reading.position;
      this.problem = undefined;
    } else {
      this.problem = `the server sent a board that cannot be read (${reading.reason})`;
    }
  }
}

function samePath(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((square, i) => square === b[i]);
}
