import { moveByteOf, readMoveByte, toWireBoard } from '../common/wire.js';
import { recordTurns } from '../game/notation.js';
import { BLACK, type Color, colorName, other, WHITE } from '../game/position.js';
import { type JumpChooser, newV1Game, openingEvents, playV1Step, type V1Event, type V1Game } from '../game/v1.js';
import { type Message, type MoveByte, NO_MOVE, type WireBoard } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { FinishedGame, GameWinner, LiveGame, LiveSeat, Termination } from './domain/games.js';
import { rateGame, type Score, wireRating } from './domain/rating.js';
import type { PlayerLink } from './player-link.js';
import type { GameRecord } from './store/store.js';
import type { ServerTiming } from './timing.js';
import type { ChangedGame } from './turn-batch.js';

export type LeaveReason = 'logout' | 'protocol-error' | 'account-removed';

/** A message for the player in `seat`, to be sent through `to` (the seat's connection when it was produced). */
export interface Outgoing {
  readonly seat: Color;
  readonly to: PlayerLink;
  readonly message: Message;
}

/**
 * What a played move produced, for the caller to route once `play` has
 * returned: the changes to commit first (the game changed; the finished game
 * to record), then the messages for each seat.
 */
export interface MatchOutput {
  readonly outbox: Outgoing[];
  /** The game's state changed (a finished game is recorded instead). */
  changed: boolean;
  /** The game ended: the record to store and the finished game for the service. */
  finished: { readonly record: GameRecord; readonly game: FinishedGame } | undefined;
}

/** What became of a move: played, with what it produced, or refused with the reason (the game is unchanged). */
export type PlayResult =
  | { readonly ok: true; readonly output: MatchOutput }
  | { readonly ok: false; readonly problem: string };

export interface MatchOptions {
  readonly clock: Clock;
  readonly chooser: JumpChooser;
  /** The move clock and the reconnect grace (`Pick`: a match needs no other timing). */
  readonly timing: Pick<ServerTiming, 'moveTimeoutMs' | 'reconnectGraceMs'>;
  /**
   * Called after every change of the game's state, before any message about
   * it is sent, except from `play`, which returns its changes instead.
   */
  readonly changed: (game: ChangedGame) => void;
  /** The finished game to store (with the turn's other writes), before any message about it is sent (not from `play`). */
  readonly record: (record: GameRecord) => void;
  /** The game ended (not from `play`, whose output says so). */
  readonly onFinished: (match: Match, record: FinishedGame) => void;
  /** True while storage cannot write: clocks that run out then start again, since the players' replies are held. */
  readonly storageDown: () => boolean;
  /**
   * True while a login of this account waits for its password check (a
   * restart storm queues thousands): an away player's grace or clock that
   * runs out then is looked at again a second later, so the game waits for
   * the answer instead of being forfeited while its player stands in line.
   */
  readonly loginPending?: (accountId: number) => boolean;
}

/** How soon an away player's grace or clock that ran out during their login's check is looked at again. */
export const LOGIN_PENDING_RECHECK_MS = 1000;

interface Seat extends LiveSeat {
  /** The player's connection; undefined while they are away. */
  link: PlayerLink | undefined;
  cancelGrace: (() => void) | undefined;
  /** Set when an away player's grace or clock ran out while the opponent was away too. */
  expired: Termination | undefined;
}

/**
 * One refereed game (PROTOCOL.md section 5). Seats belong to accounts, not
 * connections: a player whose connection drops is away, and may come back
 * (a new login rejoins the seat) until the reconnect grace runs out. Every
 * change of state is reported through `changed` so that it is committed before
 * the messages about it leave; a finished game is recorded in one
 * transaction that also removes it from the games in progress.
 */
export class Match implements ChangedGame {
  readonly #seats: readonly [Seat, Seat];
  #game: V1Game;
  #lastMove: MoveByte;
  readonly #moves: string[];
  readonly #startedAt: Date;
  #cancelClock: (() => void) | undefined;
  #finished = false;
  /** While `play` runs: what it produced, returned to its caller instead of sent or reported. */
  #output: MatchOutput | undefined;

  private constructor(
    readonly id: number,
    black: Seat,
    white: Seat,
    game: V1Game,
    lastMove: MoveByte,
    moves: string[],
    startedAt: Date,
    private readonly options: MatchOptions,
    /** Cluster: the fencing token this node referees the game with (LiveGame.fence); undefined on one node. */
    readonly fence: number | undefined,
  ) {
    this.#seats = [black, white];
    this.#game = game;
    this.#lastMove = lastMove;
    this.#moves = moves;
    this.#startedAt = startedAt;
  }

  /** A new game between two connected players. Call `start()` to begin. */
  static create(
    id: number,
    black: LiveSeat & { link: PlayerLink },
    white: LiveSeat & { link: PlayerLink },
    options: MatchOptions,
    fence?: number,
  ): Match {
    const seat = (player: LiveSeat & { link: PlayerLink }): Seat => ({
      ...player,
      cancelGrace: undefined,
      expired: undefined,
    });
    const startedAt = new Date(options.clock.now());
    return new Match(id, seat(black), seat(white), newV1Game(), NO_MOVE, [], startedAt, options, fence);
  }

  /** A game in progress loaded after a restart: both players are away, each with a fresh grace period. */
  static restore(saved: LiveGame, options: MatchOptions, fence?: number): Match {
    const seat = (player: LiveSeat): Seat => ({
      ...player,
      link: undefined,
      cancelGrace: undefined,
      expired: undefined,
    });
    const game: V1Game = { position: saved.position, quietPlies: saved.quietPlies, result: undefined };
    const match = new Match(
      saved.id,
      seat(saved.black),
      seat(saved.white),
      game,
      saved.lastMove,
      [...saved.moves],
      saved.startedAt,
      options,
      fence,
    );
    for (const color of [BLACK, WHITE] as const) match.#startGrace(color);
    match.#startClock(match.#game.position.turn);
    return match;
  }

  get finished(): boolean {
    return this.#finished;
  }

  accountIds(): readonly number[] {
    return this.#seats.map((seat) => seat.accountId);
  }

  snapshot(): LiveGame | undefined {
    if (this.#finished) return undefined;
    const [black, white] = this.#seats;
    const seat = ({ accountId, name, rating }: Seat): LiveSeat => ({ accountId, name, rating });
    return {
      id: this.id,
      black: seat(black),
      white: seat(white),
      position: this.#game.position,
      quietPlies: this.#game.quietPlies,
      lastMove: this.#lastMove,
      moves: [...this.#moves],
      startedAt: this.#startedAt,
      ...(this.fence === undefined ? {} : { fence: this.fence }),
    };
  }

  /** GameStart to both, then the first turn. */
  start(): void {
    this.#changed();
    for (const color of [BLACK, WHITE] as const) this.#send(color, this.#gameStart(color));
    const opening = openingEvents(this.#game, this.options.chooser);
    if (opening.ok) this.#apply(opening.game, opening.events);
  }

  boardFor(link: PlayerLink): WireBoard {
    return toWireBoard(this.#game.position, this.#colorOf(link) ?? BLACK);
  }

  /** Plays `move` for `link` if it is legal now; otherwise changes nothing and says why. */
  play(link: PlayerLink, move: MoveByte): PlayResult {
    const color = this.#colorOf(link);
    if (color === undefined) return { ok: false, problem: 'not a player of this game' };
    if (this.#game.position.turn !== color) return { ok: false, problem: 'not your turn' };
    const step = readMoveByte(move);
    if (!step) return { ok: false, problem: 'that is not a dark square' };
    const outcome = playV1Step(this.#game, step.from, step.direction, this.options.chooser);
    if (!outcome.ok) return { ok: false, problem: outcome.reason };
    const output: MatchOutput = { outbox: [], changed: false, finished: undefined };
    this.#output = output;
    try {
      this.#stopClock();
      this.#apply(outcome.game, outcome.events);
    } finally {
      this.#output = undefined;
    }
    return { ok: true, output };
  }

  /** LogOut or a protocol error: the player forfeits at once. */
  leave(link: PlayerLink, reason: LeaveReason): void {
    const color = this.#colorOf(link);
    if (color === undefined || this.#finished) return;
    this.#seats[color].link = undefined;
    this.#forfeit(color, reason);
  }

  /** The connection dropped without LogOut: the seat waits for the player for the grace period. */
  drop(link: PlayerLink): void {
    const color = this.#colorOf(link);
    if (color === undefined || this.#finished) return;
    this.#seats[color].link = undefined;
    if (this.options.timing.reconnectGraceMs <= 0) {
      this.#forfeit(color, 'disconnect');
      return;
    }
    this.#startGrace(color);
  }

  /**
   * The account logged in again (after QueuePosition): its new connection takes
   * the seat, hears GameStart again, and YourTurn if it is to move.
   */
  rejoin(accountId: number, link: PlayerLink): void {
    const color =
      this.#seats[BLACK].accountId === accountId
        ? BLACK
        : this.#seats[WHITE].accountId === accountId
          ? WHITE
          : undefined;
    if (color === undefined || this.#finished) return;
    const seat = this.#seats[color];
    seat.cancelGrace?.();
    seat.cancelGrace = undefined;
    seat.expired = undefined;
    seat.link = link;
    link.deliver(this.#gameStart(color));
    const opponent = this.#seats[other(color)];
    if (opponent.expired) {
      this.#finish(color, opponent.expired);
      link.deliver({ type: 'OpponentDisconnect' });
      return;
    }
    if (this.#game.position.turn === color) {
      link.deliver({ type: 'YourTurn', lastMove: this.#lastMove, board: toWireBoard(this.#game.position, color) });
    }
  }

  /**
   * Storage stayed down too long: the game ends with no rating change and no
   * message (its players' connections are closed by the caller); it is
   * recorded as abandoned once storage writes again.
   */
  abandon(): readonly PlayerLink[] {
    if (this.#finished) return [];
    const links = this.#seats.flatMap((seat) => (seat.link ? [seat.link] : []));
    this.#finish(null, 'storage-outage', true);
    return links;
  }

  /** Server shutdown: stop the timers; the game stays in the store and resumes after the restart. */
  suspend(): void {
    this.#stopClock();
    for (const seat of this.#seats) {
      seat.cancelGrace?.();
      seat.cancelGrace = undefined;
    }
  }

  #colorOf(link: PlayerLink): Color | undefined {
    if (this.#seats[BLACK].link === link) return BLACK;
    if (this.#seats[WHITE].link === link) return WHITE;
    return undefined;
  }

  #gameStart(color: Color): Message {
    const opponent = this.#seats[other(color)];
    return { type: 'GameStart', opponent: opponent.name, opponentRating: wireRating(opponent.rating.rating) };
  }

  #send(color: Color, message: Message): void {
    const to = this.#seats[color].link;
    if (!to) return;
    if (this.#output) this.#output.outbox.push({ seat: color, to, message });
    else to.deliver(message);
  }

  #changed(): void {
    if (this.#output) this.#output.changed = true;
    else this.options.changed(this);
  }

  #apply(game: V1Game, events: readonly V1Event[]): void {
    this.#game = game;
    recordTurns(this.#moves, events);
    const last = [...events].reverse().find((event) => event.kind === 'step' || event.kind === 'jump');
    if (last && (last.kind === 'step' || last.kind === 'jump')) this.#lastMove = moveByteOf(last.from, last.direction);
    if (!game.result) this.#changed();
    for (const event of events) {
      if (event.kind === 'jump') {
        const move = moveByteOf(event.from, event.direction);
        for (const color of [BLACK, WHITE] as const) {
          this.#send(color, { type: 'CompulsoryMove', move, board: toWireBoard(event.position, color) });
        }
      } else if (event.kind === 'turn') {
        this.#send(event.color, {
          type: 'YourTurn',
          lastMove: this.#lastMove,
          board: toWireBoard(game.position, event.color),
        });
        this.#startClock(event.color);
      } else if (event.kind === 'end') {
        this.#finishOnBoard(event.result.winner, event.result.reason);
      }
    }
  }

  #startGrace(color: Color, ms = this.options.timing.reconnectGraceMs): void {
    const seat = this.#seats[color];
    seat.cancelGrace?.();
    seat.cancelGrace = this.options.clock.after(ms, () => {
      seat.cancelGrace = undefined;
      if (this.#finished || seat.link) return;
      if (this.options.storageDown()) this.#startGrace(color);
      else if (this.options.loginPending?.(seat.accountId)) this.#startGrace(color, LOGIN_PENDING_RECHECK_MS);
      else this.#awayTooLong(color, 'disconnect');
    });
  }

  #startClock(color: Color, ms = this.options.timing.moveTimeoutMs): void {
    this.#stopClock();
    if (this.options.timing.moveTimeoutMs <= 0) return;
    this.#cancelClock = this.options.clock.after(ms, () => {
      this.#cancelClock = undefined;
      if (this.#finished || this.#game.position.turn !== color) return;
      const seat = this.#seats[color];
      if (this.options.storageDown()) this.#startClock(color);
      else if (seat.link) this.#finishOnBoard(other(color), 'move-clock');
      else if (this.options.loginPending?.(seat.accountId)) this.#startClock(color, LOGIN_PENDING_RECHECK_MS);
      else this.#awayTooLong(color, 'move-clock');
    });
  }

  #stopClock(): void {
    this.#cancelClock?.();
    this.#cancelClock = undefined;
  }

  /** An away player's grace or clock ran out. */
  #awayTooLong(color: Color, termination: Termination): void {
    const opponent = this.#seats[other(color)];
    if (opponent.link) {
      this.#forfeit(color, termination);
      return;
    }
    this.#seats[color].expired = termination;
    if (opponent.expired) this.#finish(null, 'both-away', true);
  }

  /** `color` loses without a GameOver; the opponent, if present, hears OpponentDisconnect. */
  #forfeit(color: Color, termination: Termination): void {
    this.#finish(other(color), termination);
    this.#send(other(color), { type: 'OpponentDisconnect' });
  }

  /** An end on the board or by the clock of a present player: GameOver to both. */
  #finishOnBoard(winner: Color | null, termination: Termination): void {
    const rated = this.#finish(winner, termination);
    for (const color of [BLACK, WHITE] as const) {
      const seat = this.#seats[color];
      this.#send(color, {
        type: 'GameOver',
        won: winner === color,
        newRating: wireRating((color === BLACK ? rated.black : rated.white).rating),
        oldRating: wireRating(seat.rating.rating),
        lastMove: this.#lastMove,
        board: toWireBoard(this.#game.position, color),
      });
    }
  }

  /** Rates and records the game in one transaction (removing it from the games in progress). */
  #finish(
    winner: Color | null,
    termination: Termination,
    abandoned = false,
  ): { black: LiveSeat['rating']; white: LiveSeat['rating'] } {
    this.#finished = true;
    this.#stopClock();
    this.suspend();
    const [black, white] = this.#seats;
    const blackScore: Score = winner === null ? 0.5 : winner === BLACK ? 1 : 0;
    const rated = abandoned
      ? { black: black.rating, white: white.rating }
      : rateGame(black.rating, white.rating, blackScore);
    const outcome: GameWinner = abandoned ? 'abandoned' : winner === null ? 'draw' : colorName(winner);
    const record: FinishedGame = {
      black: { accountId: black.accountId, name: black.name, before: black.rating, after: rated.black },
      white: { accountId: white.accountId, name: white.name, before: white.rating, after: rated.white },
      winner: outcome,
      termination,
      moves: [...this.#moves],
      startedAt: this.#startedAt,
      endedAt: new Date(this.options.clock.now()),
    };
    const stored: GameRecord = {
      game: record,
      liveId: this.id,
      ...(this.fence === undefined ? {} : { fence: this.fence }),
    };
    if (this.#output) {
      this.#output.finished = { record: stored, game: record };
    } else {
      this.options.record(stored);
      this.options.onFinished(this, record);
    }
    return rated;
  }
}
