import type { Logger } from 'pino';
import { drawOpening } from '../../game/opening-draw.js';
import { type Opening, THREE_MOVE_OPENINGS } from '../../game/openings.js';
import { type BotThinker, InlineThinker } from '../bot-thinker.js';
import type { Clock } from '../clock.js';
import type { FinishedGame, LiveGame, TimeControl } from '../domain/games.js';
import type { Rating } from '../domain/rating.js';
import type { GameEvents } from '../game-events.js';
import { levelForRating } from '../house-bot.js';
import type { LeaveReason } from '../match.js';
import type { MatchmakingPolicy } from '../matchmaking.js';
import type { PlayerLink } from '../player-link.js';
import type { PlayOutcome, StandardPlayMessage } from '../session.js';
import type { GameRecord } from '../store/store.js';
import type { ServerTiming } from '../timing.js';
import type { TurnBatch } from '../turn-batch.js';
import { FriendlyPlay, type FriendlyPlayOptions } from './friendly-play.js';
import { GameTable, type TableSeat } from './game-table.js';
import { HintDesk } from './hints.js';
import { RematchDesk } from './rematch.js';
import { StandardBot } from './standard-bot.js';
import { type StandardPairing, StandardQueues } from './standard-queues.js';
import { isSupportedTimeControl } from './time-control.js';

/** A logged-in version-2 player as the play room sees it. */
export interface StandardLink extends PlayerLink {
  /** The standard-rules rating as last known (updated when a game ends). */
  rating: Rating;
  /** The session's protocol version, where the link knows it (a version-1 player cannot be challenged). */
  readonly version?: 1 | 2;
  /** A guest plays casual games only, and shows rating 0. */
  readonly guest?: boolean;
}

export interface StandardPlayOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly batch: TurnBatch;
  readonly timing: Pick<ServerTiming, 'moveTimeoutMs' | 'reconnectGraceMs'>;
  readonly events: GameEvents;
  /** Game ids are shared with version 1's games (one table of games in progress). */
  readonly nextGameId: () => number;
  readonly matchmaking?: MatchmakingPolicy;
  /** True while a login of this account waits for its check: its away clock is looked at again later. */
  readonly loginPending?: (accountId: number) => boolean;
  /** A game ended: the online players' ratings follow (the service knows who is online). */
  readonly finished?: (record: FinishedGame) => void;
  /** The house bot's account and how it plays (the game service decides when it is offered). */
  readonly houseBot?: StandardHouseBot;
  /** The ballot a rated game paired from the queue starts with (`--openings`); undefined: the initial position. */
  readonly drawOpening?: () => Opening | undefined;
  /** Draws a random colour or ballot a player asked for (PlayComputer); Math.random unless a test injects one. */
  readonly random?: () => number;
  /** Everyone online, by account: challenges find their player here. Without it nobody can be challenged. */
  readonly online?: () => ReadonlyMap<number, StandardLink>;
  /** Challenges and invites: random colours and ballots, invite codes (tests fix them). */
  readonly friendly?: Pick<FriendlyPlayOptions<StandardLink>, 'random' | 'newCode'>;
}

/** A game against the computer as PlayComputer asks for it. */
export interface ComputerRequest {
  readonly level: number;
  readonly timeControl: TimeControl;
  readonly rated: boolean;
  /** The player's colour: 0 Black (moves first), 1 White, 2 drawn by the server; absent: Black. */
  readonly colour?: number;
  /** 1: a three-move ballot drawn by the server; absent or 0: the standard start. */
  readonly opening?: number;
}

/** The house bot as a version-2 table needs it. */
export interface StandardHouseBot {
  readonly accountId: number;
  readonly name: string;
  readonly thinker?: BotThinker;
  readonly pauseMs?: readonly [number, number];
}

/**
 * Version 2's play room: the queues per time control, the standard-rules
 * games in progress (one GameTable each, around the referee's pure
 * StandardMatch), and rematches. The game service hands it its version-2
 * logins and their messages; everything it tells players goes through their
 * links, and every change of a game goes through the turn batch first, so a
 * reply never precedes its commit (as in version 1).
 */
export class StandardPlay<L extends StandardLink> {
  readonly queues: StandardQueues<L>;
  /** The game each account is playing, whether or not it is connected. */
  readonly #tables = new Map<number, GameTable>();
  readonly #rematches: RematchDesk<L>;
  /** House bots seated at version-2 games. */
  readonly #bots = new Set<StandardBot>();
  readonly #hints: HintDesk;
  /** Challenges by name and invite links (play/friendly-play.ts). */
  readonly #friendly: FriendlyPlay<L>;

  constructor(private readonly options: StandardPlayOptions) {
    this.queues = new StandardQueues<L>(options.clock, (pairing) => this.#pair(pairing), options.matchmaking);
    this.#rematches = new RematchDesk<L>(options.clock, (black, white, timeControl) =>
      this.#startGame(black, white, timeControl),
    );
    let inline: InlineThinker | undefined;
    this.#hints = new HintDesk(() => {
      if (!options.houseBot) return undefined;
      inline ??= new InlineThinker();
      return options.houseBot.thinker ?? inline;
    });
    this.#friendly = new FriendlyPlay<L>({
      clock: options.clock,
      log: options.log,
      graceMs: options.timing.reconnectGraceMs,
      online: () => (options.online?.() ?? new Map()) as ReadonlyMap<number, L>,
      hasGame: (accountId) => this.hasGame(accountId),
      leaveWaiting: (link) => {
        this.queues.leave(link);
        this.#rematches.leave(link);
      },
      start: (black, white, timeControl, rated, opening) => this.#startGame(black, white, timeControl, rated, opening),
      ...options.friendly,
    });
  }

  /** Hint: the engine's move in a casual game against the computer on the player's move, else an empty HintMove. */
  hint(link: L): void {
    this.#hints.ask(link, this.#tables.get(link.accountId));
  }

  /** Challenges and invites open now. */
  get openOffers(): number {
    return this.#friendly.openOffers;
  }

  /** House-bot games in progress. */
  get botGames(): number {
    return this.#bots.size;
  }

  /** Games in progress, each once. */
  get activeGames(): number {
    return new Set(this.#tables.values()).size;
  }

  hasGame(accountId: number): boolean {
    return this.#tables.has(accountId);
  }

  liveGame(id: number): LiveGame | undefined {
    for (const table of this.#tables.values()) if (table.id === id) return table.snapshot();
    return undefined;
  }

  /** After LoggedIn: a game in progress takes the player back (GameStart2, then the position). */
  admit(link: L): void {
    this.#friendly.back(link);
    this.#tables.get(link.accountId)?.rejoin(link.accountId, link);
  }

  play(link: L, message: StandardPlayMessage): PlayOutcome {
    switch (message.type) {
      case 'Challenge':
      case 'AnswerChallenge':
      case 'WithdrawOffer':
      case 'CreateInvite':
      case 'JoinInvite':
        return this.#friendly.handle(link, message);
      case 'Seek': {
        const timeControl = { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds };
        if (!isSupportedTimeControl(timeControl)) {
          return {
            kind: 'protocol-error',
            reason: `unsupported time control ${message.initialSeconds}+${message.incrementSeconds} s`,
          };
        }
        this.#rematches.leave(link);
        this.#friendly.endOffer(link);
        this.queues.join(link, link.rating.rating, timeControl);
        return DONE;
      }
      case 'LeaveQueue':
        this.queues.leave(link);
        return DONE;
      case 'Rematch':
        this.#rematches.offer(link);
        return DONE;
      case 'Hint':
        this.hint(link);
        return DONE;
      default:
        break;
    }
    const table = this.#tables.get(link.accountId);
    // The game just ended (GameEnd tolerates these): nothing to do.
    if (table?.seats(link) === undefined) return DONE;
    switch (message.type) {
      case 'MovePath':
        return table.play(link, message.path) ? DONE : { kind: 'illegal' };
      case 'Resign':
        table.resign(link);
        return DONE;
      case 'OfferDraw':
        table.offerDraw(link);
        return DONE;
      case 'AnswerDraw':
        table.answerDraw(link, message.accept);
        return DONE;
    }
  }

  /** PlayComputer, whatever its answer: the player's own challenge or invite ends. */
  endOffer(link: L): void {
    this.#friendly.endOffer(link);
  }

  /** The link is no longer online (dropped, logged out, taken over): out of the queue and any rematch. */
  forget(link: L): void {
    this.queues.leave(link);
    this.#rematches.leave(link);
    this.#hints.forget(link);
  }

  /** The connection dropped: out of the queue and any rematch; a game waits for the grace period. */
  dropped(link: L): void {
    this.forget(link);
    this.#friendly.dropped(link);
    this.#tables.get(link.accountId)?.drop(link);
  }

  /** LogOut, a protocol error or a removed account: the game, if any, is forfeited at once. */
  left(link: L, reason: LeaveReason): void {
    this.queues.leave(link);
    this.#rematches.leave(link);
    this.#hints.forget(link);
    this.#friendly.left(link);
    this.#tables.get(link.accountId)?.leave(link, reason);
  }

  /** Once a second: pairs in each queue (unless storage cannot write), tells the rest their place. */
  tick(pair: boolean): void {
    this.queues.tick({ pair });
  }

  /** Standard games in progress read back at start: both players away, each with a grace period. */
  restore(saved: readonly LiveGame[]): void {
    for (const game of saved) {
      const table = GameTable.restore(game, this.#tableOptions());
      if (!table) {
        this.options.log.error({ game: game.id }, 'a stored standard game could not be read back; left as it is');
        continue;
      }
      for (const accountId of table.accountIds()) this.#seatAt(accountId, table);
      // The house bot takes its seat again at once; the person has the grace period to come back.
      const bot = this.options.houseBot;
      const botSeat = bot && table.accountIds().indexOf(bot.accountId);
      if (bot && botSeat !== undefined && botSeat >= 0) {
        const opponent = game[botSeat === 0 ? 'white' : 'black'];
        const seat = game[botSeat === 0 ? 'black' : 'white'];
        // At the level it was asked for (a game stored before levels were: the level its opponent's rating gives).
        const level = game.botLevel ?? levelForRating(opponent.rating.rating);
        table.rejoin(
          bot.accountId,
          this.#newBot(seat.rating, opponent.rating.rating, () => table, level),
        );
      }
    }
  }

  /**
   * Seats the house bot opposite up to `max` version-2 players who have
   * waited since `before`, each in their time control; returns how many games started.
   */
  seatHouseBot(
    account: { readonly id: number; readonly name: string; readonly rating: Rating },
    before: number,
    max: number,
  ): number {
    if (!this.options.houseBot || max <= 0) return 0;
    const lonely = this.queues.takeWaitingSince(before, max);
    for (const entry of lonely) {
      const human = entry.link;
      let table: GameTable | undefined;
      const level = levelForRating(human.rating.rating);
      const bot = this.#newBot(account.rating, human.rating.rating, () => table, level);
      // As between people: the lower rating moves first; on a tie, the player who waited.
      const humanFirst = human.rating.rating <= account.rating.rating;
      table = this.#startGame(
        humanFirst ? human : bot,
        humanFirst ? bot : human,
        entry.timeControl,
        true,
        undefined,
        level,
      );
      this.options.log.info({ player: human.name, bot: account.name }, 'standard game against the house bot');
    }
    return lonely.length;
  }

  /**
   * A game against the computer at `level`, asked for by `link` (PlayComputer):
   * the player plays the colour asked for (2: drawn here), the bot the other;
   * from the standard start or a three-move ballot drawn here; rated against
   * the house bot's standard rating, or casual. Out of the queue and any
   * rematch first. The level is stored with the game, so that the bot
   * resumes at it after a restart.
   */
  playComputer(
    link: L,
    account: { readonly id: number; readonly name: string; readonly rating: Rating },
    request: ComputerRequest,
  ): void {
    this.queues.leave(link);
    this.#rematches.leave(link);
    const random = this.options.random ?? Math.random;
    const playerBlack = request.colour === 2 ? random() < 0.5 : request.colour !== 1;
    const opening = request.opening === 1 ? drawOpening(THREE_MOVE_OPENINGS, random) : undefined;
    this.#friendly.endOffer(link);
    let table: GameTable | undefined;
    const bot = this.#newBot(account.rating, link.rating.rating, () => table, request.level);
    const [black, white] = playerBlack ? [link, bot] : [bot, link];
    table = this.#startGame(black, white, request.timeControl, request.rated, opening, request.level);
    this.options.log.info(
      {
        player: link.name,
        bot: account.name,
        level: request.level,
        rated: request.rated,
        colour: playerBlack ? 'black' : 'white',
        ...(opening ? { opening: opening.name } : {}),
        game: table.id,
      },
      'standard game against the computer',
    );
  }

  /** Shutdown: timers stop; the games stay stored and resume after a restart. */
  suspend(): void {
    for (const bot of [...this.#bots]) bot.stop();
    for (const table of new Set(this.#tables.values())) table.suspend();
    this.#rematches.clear();
    this.#friendly.clear();
  }

  /** Storage stayed down too long: every game ends unrated; returns the links whose connections must close. */
  abandon(): PlayerLink[] {
    for (const bot of [...this.#bots]) bot.stop();
    const links: PlayerLink[] = [];
    for (const table of new Set(this.#tables.values())) links.push(...table.abandon());
    return links;
  }

  #pair({ first, second, timeControl }: StandardPairing<L>): void {
    this.#startGame(first.link, second.link, timeControl, true, this.options.drawOpening?.());
  }

  #startGame(
    black: StandardLink,
    white: StandardLink,
    timeControl: TimeControl,
    rated = true,
    opening?: Opening,
    botLevel?: number,
  ): GameTable {
    const seat = (link: StandardLink): TableSeat => ({
      accountId: link.accountId,
      name: link.name,
      rating: link.rating,
      link,
    });
    const table = GameTable.create(
      this.options.nextGameId(),
      seat(black),
      seat(white),
      timeControl,
      this.#tableOptions(),
      rated,
      opening,
      botLevel,
    );
    this.#seatAt(black.accountId, table);
    this.#seatAt(white.accountId, table);
    // Any game ends the players' own offers, and declines the challenges made to them (busy).
    for (const accountId of [black.accountId, white.accountId]) this.#friendly.gameStarted(accountId);
    this.options.log.info(
      { black: black.name, white: white.name, game: table.id, ...(opening ? { opening: opening.name } : {}) },
      'standard game started',
    );
    table.start();
    const game = table.snapshot();
    if (game) this.options.events.gameStarted(game);
    return table;
  }

  /** The game an account plays (the house bot plays many: it is never looked up by account). */
  #seatAt(accountId: number, table: GameTable): void {
    if (accountId !== this.options.houseBot?.accountId) this.#tables.set(accountId, table);
  }

  #newBot(
    rating: Rating,
    opponentRating: number,
    table: () => GameTable | undefined,
    level = levelForRating(opponentRating),
  ): StandardBot {
    const settings = this.options.houseBot;
    if (!settings) throw new Error('no house bot is set up');
    const bot = new StandardBot({
      accountId: settings.accountId,
      name: settings.name,
      rating,
      level,
      clock: this.options.clock,
      ...(settings.thinker ? { thinker: settings.thinker } : {}),
      ...(settings.pauseMs ? { pauseMs: settings.pauseMs } : {}),
      play: (self, path) => {
        const at = table();
        if (at && !at.play(self, path))
          this.options.log.error({ bot: settings.name, path }, 'the house bot chose an illegal path');
      },
      stopped: (self) => this.#bots.delete(self),
    });
    this.#bots.add(bot);
    return bot;
  }

  #tableOptions() {
    const { clock, batch, timing, events, loginPending } = this.options;
    return {
      clock,
      timing,
      changed: (table: GameTable) => {
        batch.changed(table);
        const state = table.snapshot();
        if (state) events.gameChanged(state);
      },
      record: (record: GameRecord) => batch.finished(record),
      storageDown: () => batch.failing,
      ...(loginPending ? { loginPending } : {}),
      onFinished: (table: GameTable, record: FinishedGame, links: readonly (PlayerLink | undefined)[]) =>
        this.#finished(table, record, links),
    };
  }

  #finished(table: GameTable, record: FinishedGame, links: readonly (PlayerLink | undefined)[]): void {
    for (const accountId of table.accountIds()) {
      if (this.#tables.get(accountId) === table) this.#tables.delete(accountId);
    }
    const hints = this.#hints.ended(table);
    this.options.finished?.(record);
    this.options.events.gameOver(table.id, record);
    const [black, white] = links as [L | undefined, L | undefined];
    const people = black && white && !(black instanceof StandardBot) && !(white instanceof StandardBot);
    if (people && record.winner !== 'abandoned') this.#rematches.open(black, white, table.timeControl);
    this.options.log.info(
      {
        black: record.black.name,
        white: record.white.name,
        winner: record.winner,
        termination: record.termination,
        ...(hints > 0 ? { hints } : {}),
      },
      'standard game finished',
    );
  }
}

const DONE: PlayOutcome = { kind: 'done' };
