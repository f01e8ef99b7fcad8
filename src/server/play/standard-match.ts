import { toWireBoard } from '../../common/wire.js';
import { playOpening } from '../../game/opening-draw.js';
import type { Opening } from '../../game/openings.js';
import { colorName, other, positionProblem } from '../../game/position.js';
import { newStandardGame, playStandardPath, type StandardGame } from '../../game/standard-game.js';
import { GameResult2, type MessageOfType, MOVE_FLAG_DRAW_OFFERED, type Path } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { GameWinner, LiveSeat } from '../domain/games.js';
import { rateGame, type Score, wireRating } from '../domain/rating.js';
import { isGuestName } from './guests.js';
import { SEATS, type Seat } from './seat.js';
import { StandardClock } from './standard-clock.js';
import {
  type AbandonReason,
  type ForfeitReason,
  GAME_OVER_REASON,
  type PlayedPath,
  type StandardFinishedGame,
  type StandardTermination,
} from './standard-result.js';
import type { StandardMatchSnapshot } from './standard-snapshot.js';
import type { TimeControl } from './time-control.js';

/** The version-2 messages a game sends. */
export type StandardGameMessage = MessageOfType<
  'GameStart2' | 'YourMove' | 'TheirMove' | 'IllegalMove' | 'DrawOffered' | 'DrawDeclined' | 'GameOver2'
>;

export interface OutboxEntry {
  readonly seat: Seat;
  readonly message: StandardGameMessage;
}

/**
 * What one call produced. The caller stores first (`changed`: the game in
 * progress, with `played`; or `finished`), and only then sends the outbox,
 * in order. Nothing is sent or stored by the match itself.
 */
export interface MatchOutput {
  readonly outbox: readonly OutboxEntry[];
  /** The game in progress changed: store `snapshot()` (false once it has finished: store `finished`). */
  readonly changed: boolean;
  readonly played?: PlayedPath;
  readonly finished?: StandardFinishedGame;
  /** Why the call did nothing (a race with the game's end, a repeated draw offer...); for logs. */
  readonly ignored?: string;
}

export interface StandardMatchOptions {
  readonly clock: Clock;
  readonly control: TimeControl;
  /** The move clock of a game without a clock (0+0); 0 or less: none. */
  readonly moveTimeoutMs: number;
  /** All version-2 queue games are rated; default true. */
  readonly rated?: boolean;
  /** A clock ran out and ended the game: store and send this output like any call's. */
  readonly onExpiry: (match: StandardMatch, output: MatchOutput) => void;
  /** See StandardClockOptions.holdExpiry. */
  readonly holdExpiry?: (seat: Seat, accountId: number) => boolean;
  /** A new game starts with this ballot's moves played (White to move); they are the record's first moves. */
  readonly opening?: Opening;
}

const NOTHING = (ignored: string): MatchOutput => ({ outbox: [], changed: false, ignored });

/**
 * One version-2 game under standard rules (docs/PROTOCOL.md, version 2),
 * pure: seats, not connections. Every call returns what it produced: the
 * messages for each seat, and what to store. Time comes only from the
 * injected Clock; the clocks' timers are set and cleared through it, and a
 * clock running out reports through `onExpiry`.
 */
export class StandardMatch {
  readonly #seats: readonly [LiveSeat, LiveSeat];
  readonly #options: StandardMatchOptions;
  readonly #clocks: StandardClock;
  readonly #moves: string[];
  /** With a clock: the mover's time left after each move played here (not a ballot's, nor those before a restart). */
  readonly #moveClocks: number[] = [];
  readonly #startedAt: number;
  #game: StandardGame;
  #lastPath: Path | null;
  /** The seat whose draw offer is pending. */
  #drawOffer: Seat | undefined;
  /** Per seat: offered a draw since its last move (one offer per own move). */
  readonly #offeredSinceMove: [boolean, boolean];
  #finished: StandardFinishedGame | undefined;

  private constructor(
    readonly id: number,
    seats: readonly [LiveSeat, LiveSeat],
    options: StandardMatchOptions,
    saved?: StandardMatchSnapshot,
  ) {
    this.#seats = seats;
    this.#options = options;
    const opened = !saved && options.opening ? playOpening(options.opening) : undefined;
    this.#game = saved
      ? { position: saved.position, quietPlies: saved.quietPlies, seen: [...saved.seen], result: undefined }
      : (opened?.game ?? newStandardGame());
    this.#moves = [...(saved?.moves ?? opened?.moves ?? [])];
    const lastPath = saved ? saved.lastPath : opened?.lastPath;
    this.#lastPath = lastPath ? [...lastPath] : null;
    this.#drawOffer = saved?.drawOffer ?? undefined;
    this.#offeredSinceMove = saved ? [...saved.offeredSinceMove] : [false, false];
    this.#startedAt = saved?.startedAt ?? options.clock.now();
    this.#clocks = new StandardClock({
      clock: options.clock,
      control: options.control,
      moveTimeoutMs: options.moveTimeoutMs,
      ...(saved ? { remainingMs: saved.clocksMs } : {}),
      onExpiry: (seat) => this.#expired(seat),
      ...(options.holdExpiry ? { holdExpiry: (seat: Seat) => this.#holdExpiry(seat) } : {}),
    });
  }

  /** A new game; `start()` opens it. */
  static create(id: number, black: LiveSeat, white: LiveSeat, options: StandardMatchOptions): StandardMatch {
    return new StandardMatch(id, [black, white], options);
  }

  /**
   * A game in progress resumed from its snapshot (after a restart): the
   * mover's clock runs again from now, the time the server was down not
   * counted. `greet` each player as they come back.
   */
  static restore(
    saved: StandardMatchSnapshot,
    options: Omit<StandardMatchOptions, 'control' | 'rated'>,
  ): StandardMatch {
    const problem = positionProblem(saved.position);
    if (problem) throw new RangeError(`game ${saved.id} cannot be resumed: ${problem}`);
    const match = new StandardMatch(
      saved.id,
      [saved.black, saved.white],
      { ...options, control: saved.control, rated: saved.rated },
      saved,
    );
    match.#clocks.start(match.#game.position.turn);
    return match;
  }

  get finished(): boolean {
    return this.#finished !== undefined;
  }

  get control(): TimeControl {
    return this.#options.control;
  }

  /** The seat to move (meaningless once finished). */
  get turn(): Seat {
    return this.#game.position.turn;
  }

  seat(seat: Seat): LiveSeat {
    return this.#seats[seat];
  }

  /** The seat of an account in this game, if it plays here. */
  seatOf(accountId: number): Seat | undefined {
    return SEATS.find((seat) => this.#seats[seat].accountId === accountId);
  }

  /** Both clocks now, Black's first. */
  clocks(): [number, number] {
    return this.#clocks.both();
  }

  /** When the running clock's timer fires next, on the Clock; undefined when none runs. */
  deadline(): number | undefined {
    return this.#finished ? undefined : this.#clocks.deadline();
  }

  /** GameStart2 to both, YourMove to the side to move (Black, or White after an opening), TheirMove to the other; its clock starts. */
  start(): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    this.#clocks.start(this.turn);
    const outbox = SEATS.flatMap((seat) => [
      { seat, message: this.#gameStart(seat) },
      { seat, message: this.#boardView(seat) },
    ]);
    return { outbox, changed: true };
  }

  /** A player (back) at the board: GameStart2, then YourMove or TheirMove with both clocks and any draw offer. */
  greet(seat: Seat): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    return {
      outbox: [
        { seat, message: this.#gameStart(seat) },
        { seat, message: this.#boardView(seat) },
      ],
      changed: false,
    };
  }

  /** A MovePath: played (TheirMove to the mover, YourMove or GameOver2 to the other) or refused (IllegalMove). */
  applyPath(seat: Seat, squares: readonly number[]): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    if (seat !== this.turn) return NOTHING('not your move');
    if (!this.#clocks.inTime(seat)) {
      this.#clocks.stop();
      return this.#finish(other(seat), this.#clocks.fischer ? 'out-of-time' : 'move-clock');
    }
    const outcome = playStandardPath(this.#game, squares);
    if (!outcome.ok) {
      const reason = outcome.refusal === 'game-over' ? 0 : outcome.refusal;
      return { outbox: [{ seat, message: { type: 'IllegalMove', path: [...squares], reason } }], changed: false };
    }
    this.#clocks.stop();
    this.#clocks.addIncrement(seat);
    this.#game = outcome.game;
    this.#moves.push(outcome.text);
    if (this.#clocks.fischer) this.#moveClocks.push(this.#clocks.both()[seat]);
    this.#lastPath = [...squares];
    if (this.#drawOffer === other(seat)) this.#drawOffer = undefined;
    this.#offeredSinceMove[seat] = false;
    const played: PlayedPath = { seat, text: outcome.text, clocksMs: this.#clocks.both() };
    const result = outcome.game.result;
    if (result) {
      const ending = this.#finish(result.winner, result.reason);
      return { ...ending, outbox: [{ seat, message: this.#boardView(seat) }, ...ending.outbox], played };
    }
    this.#clocks.start(other(seat));
    const outbox = [
      { seat, message: this.#boardView(seat) },
      { seat: other(seat), message: this.#boardView(other(seat)) },
    ];
    return { outbox, changed: true, played };
  }

  /** Resign: the opponent wins; GameOver2 to both. */
  resign(seat: Seat): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    return this.#finish(other(seat), 'resignation');
  }

  /**
   * OfferDraw: accepts a pending offer of the opponent; otherwise offers, at
   * most once per own move and one offer pending at a time (repeats are ignored).
   */
  offerDraw(seat: Seat): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    if (this.#drawOffer === other(seat)) return this.#finish(null, 'draw-agreed');
    if (this.#drawOffer === seat) return NOTHING('your draw offer is already pending');
    if (this.#offeredSinceMove[seat]) return NOTHING('one draw offer per own move');
    this.#drawOffer = seat;
    this.#offeredSinceMove[seat] = true;
    return { outbox: [{ seat: other(seat), message: { type: 'DrawOffered' } }], changed: true };
  }

  /** AnswerDraw: accept ends the game drawn; decline tells the offerer. Without a pending offer, ignored. */
  answerDraw(seat: Seat, accept: boolean): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    if (this.#drawOffer !== other(seat)) return NOTHING('no draw offer is pending');
    if (accept) return this.#finish(null, 'draw-agreed');
    this.#drawOffer = undefined;
    return { outbox: [{ seat: other(seat), message: { type: 'DrawDeclined' } }], changed: true };
  }

  /**
   * The player left for good (logout, a protocol error, a grace period that
   * ran out, the account removed): the opponent wins and hears GameOver2
   * with both new ratings. The leaver's connection is gone, so nothing goes to them.
   */
  forfeit(seat: Seat, reason: ForfeitReason): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    const ending = this.#finish(other(seat), reason);
    return { ...ending, outbox: ending.outbox.filter((entry) => entry.seat !== seat) };
  }

  /** Storage outage, both players gone, shutdown without resume: ends with no winner, no rating change, no message. */
  abandon(reason: AbandonReason): MatchOutput {
    if (this.#finished) return NOTHING('the game is over');
    return this.#finish(null, reason);
  }

  /** Server shutdown with resume: stops the clocks (nothing is produced; the last snapshot resumes it). */
  suspend(): void {
    this.#clocks.stop();
  }

  /** The game in progress as plain JSON-able data; undefined once finished. */
  snapshot(): StandardMatchSnapshot | undefined {
    if (this.#finished) return undefined;
    const [black, white] = this.#seats;
    return {
      id: this.id,
      black,
      white,
      control: this.#options.control,
      rated: this.#rated(),
      position: this.#game.position,
      quietPlies: this.#game.quietPlies,
      seen: [...this.#game.seen],
      moves: [...this.#moves],
      lastPath: this.#lastPath ? [...this.#lastPath] : null,
      clocksMs: this.#clocks.both(),
      drawOffer: this.#drawOffer ?? null,
      offeredSinceMove: [...this.#offeredSinceMove],
      startedAt: this.#startedAt,
    };
  }

  #rated(): boolean {
    return this.#options.rated ?? true;
  }

  #holdExpiry(seat: Seat): boolean {
    return this.#options.holdExpiry?.(seat, this.#seats[seat].accountId) ?? false;
  }

  #expired(seat: Seat): void {
    if (this.#finished) return;
    const output = this.#finish(other(seat), this.#clocks.fischer ? 'out-of-time' : 'move-clock');
    this.#options.onExpiry(this, output);
  }

  #gameStart(seat: Seat): StandardGameMessage {
    const opponent = this.#seats[other(seat)];
    const { control } = this.#options;
    return {
      type: 'GameStart2',
      opponent: opponent.name,
      opponentRating: seatRating(opponent),
      colour: seat,
      initialSeconds: control.initialSeconds,
      incrementSeconds: control.incrementSeconds,
      rated: this.#rated(),
      gameId: this.id,
    };
  }

  /** YourMove to the seat to move, TheirMove to the other. */
  #boardView(seat: Seat): MessageOfType<'YourMove' | 'TheirMove'> {
    const clocks = this.#clocks.both();
    return {
      type: seat === this.turn ? 'YourMove' : 'TheirMove',
      lastPath: this.#lastPath,
      board: toWireBoard(this.#game.position, seat),
      yourClockMs: clocks[seat],
      opponentClockMs: clocks[other(seat)],
      flags: this.#drawOffer === other(seat) ? MOVE_FLAG_DRAW_OFFERED : 0,
    };
  }

  /** Ends the game: rates it (unless abandoned or unrated), records it, GameOver2 to both seats. */
  #finish(winner: Seat | null, termination: StandardTermination): MatchOutput {
    this.#clocks.stop();
    const reason = GAME_OVER_REASON[termination];
    const abandoned = reason === undefined;
    const [black, white] = this.#seats;
    const blackScore: Score = winner === null ? 0.5 : winner === 0 ? 1 : 0;
    const after =
      abandoned || !this.#rated()
        ? { black: black.rating, white: white.rating }
        : rateGame(black.rating, white.rating, blackScore);
    const outcome: GameWinner = abandoned ? 'abandoned' : winner === null ? 'draw' : colorName(winner);
    const finished: StandardFinishedGame = {
      rules: 'standard',
      gameId: this.id,
      control: this.#options.control,
      rated: this.#rated() && !abandoned,
      black: { accountId: black.accountId, name: black.name, before: black.rating, after: after.black },
      white: { accountId: white.accountId, name: white.name, before: white.rating, after: after.white },
      winner: outcome,
      termination,
      moves: [...this.#moves],
      clocksMs: this.#clocks.both(),
      moveClocks: [...this.#moveClocks],
      startedAt: new Date(this.#startedAt),
      endedAt: new Date(this.#options.clock.now()),
    };
    this.#finished = finished;
    this.#drawOffer = undefined;
    if (reason === undefined) return { outbox: [], changed: false, finished };
    const outbox = SEATS.map((seat) => ({
      seat,
      message: {
        type: 'GameOver2' as const,
        result: winner === null ? GameResult2.Draw : winner === seat ? GameResult2.Win : GameResult2.Loss,
        reason,
        newRating: isGuestName(this.#seats[seat].name)
          ? 0
          : wireRating((seat === 0 ? after.black : after.white).rating),
        oldRating: seatRating(this.#seats[seat]),
        rated: finished.rated,
        lastPath: this.#lastPath,
        board: toWireBoard(this.#game.position, seat),
      },
    }));
    return { outbox, changed: false, finished };
  }
}

/** A seat's rating on the wire: a guest has none (0). */
function seatRating(seat: LiveSeat): number {
  return isGuestName(seat.name) ? 0 : wireRating(seat.rating.rating);
}
