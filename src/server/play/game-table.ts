import type { Opening } from '../../game/openings.js';
import { other, type Position } from '../../game/position.js';
import type { Clock } from '../clock.js';
import type { FinishedGame, LiveGame, LiveSeat } from '../domain/games.js';
import type { LeaveReason } from '../match.js';
import type { PlayerLink } from '../player-link.js';
import type { GameRecord } from '../store/store.js';
import type { ServerTiming } from '../timing.js';
import type { ChangedGame } from '../turn-batch.js';
import type { Seat } from './seat.js';
import { finishedGameOf, liveGameOf, snapshotOf } from './standard-live.js';
import { type MatchOutput, StandardMatch } from './standard-match.js';
import type { TimeControl } from './time-control.js';

/** A player sitting down at a new game. */
export interface TableSeat extends LiveSeat {
  readonly link: PlayerLink;
}

export interface GameTableOptions {
  readonly clock: Clock;
  readonly timing: Pick<ServerTiming, 'moveTimeoutMs' | 'reconnectGraceMs'>;
  /** The game in progress changed: store it (the turn batch) before anything about it is sent. */
  readonly changed: (table: GameTable) => void;
  /** The finished game to store, with the turn's other writes, before anything about it is sent. */
  readonly record: (record: GameRecord) => void;
  /** Told after GameOver2 went to the seats; `links` are the players still at the board, Black's first. */
  readonly onFinished: (table: GameTable, record: FinishedGame, links: readonly (PlayerLink | undefined)[]) => void;
  readonly storageDown: () => boolean;
  readonly loginPending?: (accountId: number) => boolean;
}

/** The most a u16 says, for OpponentAway's seconds of grace. */
const MAX_GRACE_SECONDS = 0xffff;

/**
 * One version-2 game at the server: the referee's pure StandardMatch, and
 * the connections sitting at it. Seats belong to accounts: a dropped player
 * is away (the opponent hears OpponentAway with the grace left; the clocks
 * keep running) and may come back with a new login (GameStart2 and the
 * position again; the opponent hears OpponentBack) until the grace runs out,
 * which forfeits the game. Every output of the match is stored first, then
 * sent in order (the links hold their output until the turn's commit).
 */
export class GameTable implements ChangedGame {
  readonly #links: [PlayerLink | undefined, PlayerLink | undefined] = [undefined, undefined];
  readonly #cancelGrace: [(() => void) | undefined, (() => void) | undefined] = [undefined, undefined];
  /** When each away seat's grace runs out (the Clock's ms). */
  readonly #graceEndsAt: [number, number] = [0, 0];
  /** A seat whose grace ran out while the opponent was away too: it loses if the opponent comes back. */
  readonly #expired: [boolean, boolean] = [false, false];
  #match!: StandardMatch;
  /** A game against the computer: its level, stored with the game so that it resumes at it after a restart. */
  #botLevel: number | undefined;

  private constructor(private readonly options: GameTableOptions) {}

  static create(
    id: number,
    black: TableSeat,
    white: TableSeat,
    control: TimeControl,
    options: GameTableOptions,
    rated = true,
    opening?: Opening,
    botLevel?: number,
  ) {
    const table = new GameTable(options);
    table.#botLevel = botLevel;
    const seat = ({ accountId, name, rating }: TableSeat): LiveSeat => ({ accountId, name, rating });
    table.#match = StandardMatch.create(id, seat(black), seat(white), {
      ...table.#matchOptions(),
      control,
      rated,
      ...(opening ? { opening } : {}),
    });
    table.#links[0] = black.link;
    table.#links[1] = white.link;
    return table;
  }

  /** A stored game after a restart: both players away, each with a fresh grace period; undefined if it cannot be read. */
  static restore(saved: LiveGame, options: GameTableOptions): GameTable | undefined {
    const read = snapshotOf(saved, options.timing.moveTimeoutMs);
    if (!read.ok) return undefined;
    const table = new GameTable(options);
    table.#botLevel = saved.botLevel;
    table.#match = StandardMatch.restore(read.snapshot, table.#matchOptions());
    for (const seat of [0, 1] as const) table.#startGrace(seat);
    return table;
  }

  get id(): number {
    return this.#match.id;
  }

  get timeControl(): TimeControl {
    return this.#match.control;
  }

  /** The computer's level in a game against it (undefined: no computer, or a game stored before levels were). */
  get botLevel(): number | undefined {
    return this.#botLevel;
  }

  get finished(): boolean {
    return this.#match.finished;
  }

  accountIds(): readonly number[] {
    return [this.#match.seat(0).accountId, this.#match.seat(1).accountId];
  }

  /** The seat `link` sits at, if it does. */
  seats(link: PlayerLink): Seat | undefined {
    if (this.#links[0] === link) return 0;
    if (this.#links[1] === link) return 1;
    return undefined;
  }

  snapshot(): LiveGame | undefined {
    const snapshot = this.#match.snapshot();
    return snapshot && liveGameOf(snapshot, this.options.clock.now(), this.#botLevel);
  }

  /**
   * Where a hint may be given to `link`: a casual game against the computer,
   * and `link` is to move. Undefined otherwise (a rated or human game, or the
   * computer's move).
   */
  hintPosition(link: PlayerLink): { readonly position: Position; readonly quietPlies: number } | undefined {
    const seat = this.seats(link);
    const snapshot = this.#match.snapshot();
    if (seat === undefined || !snapshot || this.#botLevel === undefined || snapshot.rated) return undefined;
    if (snapshot.position.turn !== seat) return undefined;
    return { position: snapshot.position, quietPlies: snapshot.quietPlies };
  }

  /** GameStart2 to both, then the first position. */
  start(): void {
    this.#apply(this.#match.start());
  }

  /** A MovePath; false if it was refused (IllegalMove went to the player). */
  play(link: PlayerLink, path: readonly number[]): boolean {
    const seat = this.seats(link);
    if (seat === undefined) return true;
    const output = this.#match.applyPath(seat, path);
    this.#apply(output);
    return !output.outbox.some((entry) => entry.message.type === 'IllegalMove');
  }

  resign(link: PlayerLink): void {
    const seat = this.seats(link);
    if (seat !== undefined) this.#apply(this.#match.resign(seat));
  }

  offerDraw(link: PlayerLink): void {
    const seat = this.seats(link);
    if (seat !== undefined) this.#apply(this.#match.offerDraw(seat));
  }

  answerDraw(link: PlayerLink, accept: boolean): void {
    const seat = this.seats(link);
    if (seat !== undefined) this.#apply(this.#match.answerDraw(seat, accept));
  }

  /** The connection dropped: the opponent is told; the seat waits for the grace period (none: a forfeit at once). */
  drop(link: PlayerLink): void {
    const seat = this.seats(link);
    if (seat === undefined || this.finished) return;
    this.#links[seat] = undefined;
    const graceMs = this.options.timing.reconnectGraceMs;
    if (graceMs <= 0) {
      this.#apply(this.#match.forfeit(seat, 'disconnect'));
      return;
    }
    this.#links[other(seat)]?.deliver({
      type: 'OpponentAway',
      graceSeconds: Math.min(MAX_GRACE_SECONDS, Math.ceil(graceMs / 1000)),
    });
    this.#startGrace(seat);
  }

  /** The account logged in again: its new connection takes the seat and hears the game again. */
  rejoin(accountId: number, link: PlayerLink): void {
    const seat = this.#match.seatOf(accountId);
    if (seat === undefined || this.finished) return;
    this.#cancelGrace[seat]?.();
    this.#cancelGrace[seat] = undefined;
    this.#expired[seat] = false;
    const previous = this.#links[seat];
    this.#links[seat] = link;
    this.#apply(this.#match.greet(seat));
    const opponent = other(seat);
    if (this.#expired[opponent]) {
      this.#apply(this.#match.forfeit(opponent, 'disconnect'));
      return;
    }
    if (previous === undefined) this.#links[opponent]?.deliver({ type: 'OpponentBack' });
    // Back while the opponent is away (after a restart, say): told how long the opponent may still take.
    if (!this.#links[opponent] && this.#cancelGrace[opponent] && !this.finished) {
      link.deliver({ type: 'OpponentAway', graceSeconds: this.#graceSecondsLeft(opponent) });
    }
  }

  #graceSecondsLeft(seat: Seat): number {
    const left = Math.max(0, this.#graceEndsAt[seat] - this.options.clock.now());
    return Math.min(MAX_GRACE_SECONDS, Math.ceil(left / 1000));
  }

  /** LogOut, a protocol error or a removed account: a forfeit at once. */
  leave(link: PlayerLink, reason: LeaveReason): void {
    const seat = this.seats(link);
    if (seat === undefined || this.finished) return;
    this.#links[seat] = undefined;
    this.#apply(this.#match.forfeit(seat, reason));
  }

  /** Shutdown: the timers stop; the stored game resumes after the restart. */
  suspend(): void {
    this.#match.suspend();
    for (const seat of [0, 1] as const) {
      this.#cancelGrace[seat]?.();
      this.#cancelGrace[seat] = undefined;
    }
  }

  /** Storage stayed down too long: ends unrated with no message; returns the links to close. */
  abandon(): PlayerLink[] {
    if (this.finished) return [];
    const links = this.#links.filter((link): link is PlayerLink => link !== undefined);
    this.#links[0] = undefined;
    this.#links[1] = undefined;
    this.#apply(this.#match.abandon('storage-outage'));
    return links;
  }

  #matchOptions() {
    const { clock, timing, storageDown, loginPending } = this.options;
    return {
      clock,
      moveTimeoutMs: timing.moveTimeoutMs,
      onExpiry: (_match: StandardMatch, output: MatchOutput) => this.#apply(output),
      // While replies are held (storage down) or the player's login waits for its check, a clock does not fall.
      holdExpiry: (seat: Seat, accountId: number) =>
        storageDown() || (this.#links[seat] === undefined && (loginPending?.(accountId) ?? false)),
    };
  }

  #startGrace(seat: Seat, ms = this.options.timing.reconnectGraceMs): void {
    this.#cancelGrace[seat]?.();
    this.#graceEndsAt[seat] = this.options.clock.now() + ms;
    this.#cancelGrace[seat] = this.options.clock.after(ms, () => {
      this.#cancelGrace[seat] = undefined;
      if (this.finished || this.#links[seat]) return;
      const accountId = this.#match.seat(seat).accountId;
      if (this.options.storageDown()) this.#startGrace(seat);
      else if (this.options.loginPending?.(accountId)) this.#startGrace(seat, GRACE_RECHECK_MS);
      else if (this.#links[other(seat)]) this.#apply(this.#match.forfeit(seat, 'disconnect'));
      else {
        this.#expired[seat] = true;
        if (this.#expired[other(seat)]) this.#apply(this.#match.abandon('both-away'));
      }
    });
  }

  /** Stores, then sends: the turn batch commits the changes before any of these messages leaves. */
  #apply(output: MatchOutput): void {
    if (output.changed) this.options.changed(this);
    const record = output.finished && finishedGameOf(output.finished);
    if (record) {
      this.suspend();
      this.options.record({ game: record, liveId: this.id });
    }
    for (const { seat, message } of output.outbox) this.#links[seat]?.deliver(message);
    if (record) this.options.onFinished(this, record, [...this.#links]);
  }
}

/** How soon a grace that ran out while its player's login waited for a check is looked at again. */
const GRACE_RECHECK_MS = 1000;
