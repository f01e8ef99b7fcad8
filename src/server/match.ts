import { recordTurns } from '../game/notation.js';
import { BLACK, type Color, colorName, other } from '../game/position.js';
import {
  type JumpChooser,
  newV1Game,
  openingEvents,
  playV1Step,
  stepProblem,
  type V1Event,
  type V1Game,
} from '../game/v1.js';
import { moveByteOf, readMoveByte, toWireBoard } from '../game/wire.js';
import { type MoveByte, NO_MOVE, type WireBoard } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { PlayerLink } from './player-link.js';
import { type Rating, rateGame, type Score, wireRating } from './rating.js';
import type { FinishedGame, GameWinner, Store, Termination } from './store/store.js';

export interface Seat {
  readonly link: PlayerLink;
  readonly rating: Rating;
}

export type LeaveReason = 'logout' | 'disconnect' | 'protocol-error';

export interface MatchOptions {
  readonly clock: Clock;
  readonly store: Store;
  readonly chooser: JumpChooser;
  /** 0 = no move clock. */
  readonly moveTimeoutMs: number;
  readonly onFinished: (match: Match, record: FinishedGame) => void;
}

/**
 * One refereed game between two connected players (PROTOCOL.md section 5).
 * Every message a player receives goes through their session's state machine;
 * a finished game is committed to the store before GameOver is sent.
 */
export class Match {
  readonly #seats: readonly [Seat, Seat];
  #game: V1Game = newV1Game();
  #lastMove: MoveByte = NO_MOVE;
  readonly #moves: string[] = [];
  readonly #startedAt: Date;
  #cancelClock: (() => void) | undefined;
  #finished = false;

  constructor(
    black: Seat,
    white: Seat,
    private readonly options: MatchOptions,
  ) {
    this.#seats = [black, white];
    this.#startedAt = new Date(options.clock.now());
  }

  get finished(): boolean {
    return this.#finished;
  }

  seatOf(link: PlayerLink): Color | undefined {
    if (this.#seats[BLACK].link === link) return BLACK;
    if (this.#seats[1].link === link) return 1;
    return undefined;
  }

  players(): readonly PlayerLink[] {
    return this.#seats.map((seat) => seat.link);
  }

  start(): void {
    for (const color of [BLACK, other(BLACK)] as const) {
      const opponent = this.#seats[other(color)];
      this.#seats[color].link.deliver({
        type: 'GameStart',
        opponent: opponent.link.name,
        opponentRating: wireRating(opponent.rating.rating),
      });
    }
    const opening = openingEvents(this.#game, this.options.chooser);
    if (opening.ok) this.#apply(opening.game, opening.events);
  }

  /** The board as `link` sees it now. */
  boardFor(link: PlayerLink): WireBoard {
    return toWireBoard(this.#game.position, this.seatOf(link) ?? BLACK);
  }

  /** Why `link` may not play `move` now, or undefined if it is legal. */
  problemWith(link: PlayerLink, move: MoveByte): string | undefined {
    const color = this.seatOf(link);
    if (color === undefined) return 'not a player of this game';
    if (this.#game.position.turn !== color) return 'not your turn';
    const step = readMoveByte(move);
    if (!step) return 'that is not a dark square';
    return stepProblem(this.#game, step.from, step.direction);
  }

  /** Plays a move that `problemWith` accepted. */
  play(link: PlayerLink, move: MoveByte): void {
    const step = readMoveByte(move);
    if (!step || this.problemWith(link, move) !== undefined) return;
    this.#stopClock();
    const outcome = playV1Step(this.#game, step.from, step.direction, this.options.chooser);
    if (outcome.ok) this.#apply(outcome.game, outcome.events);
  }

  /** The player left (LogOut, dropped connection or protocol error): they forfeit. */
  leave(link: PlayerLink, reason: LeaveReason): void {
    const color = this.seatOf(link);
    if (color === undefined || this.#finished) return;
    const winner = other(color);
    this.#finish(winner, reason);
    this.#seats[winner].link.deliver({ type: 'OpponentDisconnect' });
  }

  /** Ends the game with no result and no rating change. */
  abandon(termination: Termination): void {
    if (this.#finished) return;
    this.#finish(null, termination, true);
  }

  #apply(game: V1Game, events: readonly V1Event[]): void {
    this.#game = game;
    recordTurns(this.#moves, events);
    for (const event of events) {
      switch (event.kind) {
        case 'step':
          this.#lastMove = moveByteOf(event.from, event.direction);
          break;
        case 'jump':
          this.#lastMove = moveByteOf(event.from, event.direction);
          for (const color of [BLACK, other(BLACK)] as const) {
            this.#seats[color].link.deliver({
              type: 'CompulsoryMove',
              move: this.#lastMove,
              board: toWireBoard(event.position, color),
            });
          }
          break;
        case 'turn':
          this.#seats[event.color].link.deliver({
            type: 'YourTurn',
            lastMove: this.#lastMove,
            board: toWireBoard(game.position, event.color),
          });
          this.#startClock(event.color);
          break;
        case 'end':
          this.#finish(event.result.winner, event.result.reason);
          break;
      }
    }
  }

  #startClock(color: Color): void {
    if (this.options.moveTimeoutMs <= 0) return;
    this.#cancelClock = this.options.clock.after(this.options.moveTimeoutMs, () => {
      this.#cancelClock = undefined;
      if (!this.#finished && this.#game.position.turn === color) this.#finish(other(color), 'move-clock');
    });
  }

  #stopClock(): void {
    this.#cancelClock?.();
    this.#cancelClock = undefined;
  }

  /**
   * Rates, records (one transaction), then tells the players. Nobody is told
   * of an abandoned game; a forfeit's winner is told by `leave` with
   * OpponentDisconnect.
   */
  #finish(winner: Color | null, termination: Termination, abandoned = false): void {
    this.#finished = true;
    this.#stopClock();
    const [black, white] = this.#seats;
    const blackScore: Score = winner === null ? 0.5 : winner === BLACK ? 1 : 0;
    const rated = abandoned ? { a: black.rating, b: white.rating } : rateGame(black.rating, white.rating, blackScore);
    const outcome: GameWinner = abandoned ? 'abandoned' : winner === null ? 'draw' : colorName(winner);
    const record: FinishedGame = {
      black: { accountId: black.link.accountId, name: black.link.name, before: black.rating, after: rated.a },
      white: { accountId: white.link.accountId, name: white.link.name, before: white.rating, after: rated.b },
      winner: outcome,
      termination,
      moves: [...this.#moves],
      startedAt: this.#startedAt,
      endedAt: new Date(this.options.clock.now()),
    };
    this.options.store.recordGame(record);
    this.options.onFinished(this, record);
    if (abandoned || isForfeit(termination)) return;
    for (const color of [BLACK, other(BLACK)] as const) {
      const seat = this.#seats[color];
      seat.link.deliver({
        type: 'GameOver',
        won: winner === color,
        newRating: wireRating((color === BLACK ? rated.a : rated.b).rating),
        oldRating: wireRating(seat.rating.rating),
        lastMove: this.#lastMove,
        board: toWireBoard(this.#game.position, color),
      });
    }
  }
}

function isForfeit(termination: Termination): boolean {
  return termination === 'logout' || termination === 'disconnect' || termination === 'protocol-error';
}
