/*
 * The game service: who is online, logins, the lobby and version 1's
 * matches, version 2 through src/server/play/. The node's side of a cluster
 * (relay links, resync, relayed games, takeovers, envelopes) is
 * cluster/cluster-play.ts, called here through a few named methods (start,
 * claim, rejoin, queue, move, leave, finished, tick, stop). The house bot's
 * version-1 seats are house-bot-seats.ts, and the password check is
 * password-login.ts.
 */

import type { Logger } from 'pino';
import type { Opening } from '../game/openings.js';
import { BLACK, WHITE } from '../game/position.js';
import type { JumpChooser } from '../game/v1.js';
import { InvalidLoginReason, type Message, type MessageOfType } from '../protocol/index.js';
import type { Clock } from './clock.js';
import { ClusterPlay } from './cluster/cluster-play.js';
import type { Cluster } from './cluster/index.js';
import { SERVICE_TICK_MS } from './cluster/referee-lost.js';
import type { FinishedGame, LiveGame } from './domain/games.js';
import type { Account } from './domain/players.js';
import { wireRating } from './domain/rating.js';
import { GameEvents, type LoginOutcome } from './game-events.js';
import { type HouseBotSeatSettings, HouseBotSeats } from './house-bot-seats.js';
import type { AccountGuesses } from './limits/account-guesses.js';
import { Limiter } from './limits/limiter.js';
import { Lobby, type LobbyEntry } from './lobby.js';
import { type LeaveReason, Match, type MatchOptions, type MatchOutput } from './match.js';
import type { MatchmakingPolicy } from './matchmaking.js';
import { PasswordLogins } from './password-login.js';
import { rehashLater } from './password-rehash.js';
import type { HashCost } from './passwords.js';
import { guestProblem } from './play/guests.js';
import { StandardLogins } from './play/standard-login.js';
import { StandardPlay } from './play/standard-play.js';
import type { PlayerLink } from './player-link.js';
import { PlayerLogin } from './player-login.js';
import type { IssuedToken } from './resume/resume-login.js';
import type { CloseReason, MoveOutcome, PlayOutcome, Session, SessionHandler, StandardPlayMessage } from './session.js';
import type { AccountStore, GameRecord, GameStore } from './store/store.js';
import { readStored } from './stored-read.js';
import type { ServerTiming } from './timing.js';
import type { ChangedGame, TurnBatch } from './turn-batch.js';

/** The protocol versions this server speaks (PROTOCOL.md section 6); a cluster speaks version 1 only, for now. */
export const LOWEST_VERSION = 1;
export const HIGHEST_VERSION = 2;
export const HIGHEST_CLUSTER_VERSION = 1;

export interface GameServiceOptions {
  readonly store: GameStore & AccountStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly chooser: JumpChooser;
  readonly batch: TurnBatch;
  readonly timing: ServerTiming;
  /** Password hashes computed at once; the rest wait, round-robin between addresses. */
  readonly hashConcurrency: number;
  /** The server's hash queue (an adaptive HashPool's), instead of a fixed one of `hashConcurrency`. */
  readonly hashQueue?: Limiter;
  /** Each account's budget of wrong passwords, shared with the web's password change; undefined = none. */
  readonly guesses?: AccountGuesses;
  /** A stored hash weaker than this is replaced at its owner's next login; undefined = never. */
  readonly rehashTo?: HashCost;
  readonly matchmaking?: MatchmakingPolicy;
  /** A player waiting `timing.botAfterMs` with nobody to pair with plays the house bot; undefined = never. */
  readonly houseBot?: HouseBotSeatSettings;
  /** Where the service reports games, logins and moves (default: its own). */
  readonly events?: GameEvents;
  /** Several nodes over Redis (src/server/cluster/); undefined on one node. */
  readonly cluster?: Cluster;
  /** The ballot each rated version-2 queue game starts with (`--openings`); undefined: none. */
  readonly drawOpening?: () => Opening | undefined;
  /** Version-2 visitors may log in as guests (`--guests`); default true. */
  readonly guests?: boolean;
  /** Draws the colours and ballots players leave to the server (PlayComputer); default Math.random. */
  readonly random?: () => number;
}

/**
 * Who is online, the lobby and the matches. Sessions report protocol events
 * here; everything the players are told goes back through their sessions.
 */
export class GameService implements SessionHandler {
  readonly #logins = new Map<Session, PlayerLogin>();
  readonly #online = new Map<number, PlayerLogin>();
  /** The game each account is playing, whether or not it is connected. */
  readonly #matches = new Map<number, Match>();
  #nextMatchId = 1;
  readonly #hashing: Limiter;
  readonly #passwordLogins: PasswordLogins;
  readonly lobby: Lobby<PlayerLogin>;
  /** Games started, changed and over, logins, moves: for metrics and the watch feed. */
  readonly events: GameEvents;
  #stopTicking: (() => void) | undefined;
  /** The house bot's version-1 games. */
  readonly #houseBotSeats: HouseBotSeats;
  #readFailing = false;
  /** A tick is under way (it awaits storage): ticks due meanwhile run once, after it, never beside it. */
  #ticking = false;
  #tickAgain = false;
  /** The node's side of the cluster (cluster/cluster-play.ts); undefined on one node. */
  readonly #cluster: ClusterPlay | undefined;
  /** Version 2: queues per time control, standard games, rematches (src/server/play/). */
  readonly #standard: StandardPlay<PlayerLogin>;
  readonly #standardLogins: StandardLogins<PlayerLogin>;

  constructor(private readonly options: GameServiceOptions) {
    this.#hashing = options.hashQueue ?? new Limiter(options.hashConcurrency);
    this.events = options.events ?? new GameEvents();
    this.lobby = new Lobby<PlayerLogin>(
      options.clock,
      (first, second) => this.#startMatch(first, second),
      options.matchmaking,
    );
    this.#standard = new StandardPlay<PlayerLogin>({
      clock: options.clock,
      log: options.log,
      batch: options.batch,
      timing: options.timing,
      events: this.events,
      nextGameId: () => this.#nextMatchId++,
      ...(options.matchmaking ? { matchmaking: options.matchmaking } : {}),
      loginPending: (accountId) => this.#passwordLogins.pending(accountId),
      finished: (record) => this.#ratingsAfter(record, 2),
      ...(options.houseBot ? { houseBot: options.houseBot } : {}),
      ...(options.drawOpening ? { drawOpening: options.drawOpening } : {}),
      ...(options.random ? { random: options.random } : {}),
      online: () => this.#online,
    });
    this.#houseBotSeats = new HouseBotSeats({
      settings: options.houseBot ?? {},
      clock: options.clock,
      log: options.log,
      route: (match, output) => this.#route(match, output),
    });
    this.#passwordLogins = new PasswordLogins({
      store: options.store,
      hashing: this.#hashing,
      ...(options.guesses ? { guesses: options.guesses } : {}),
      clock: options.clock,
      log: options.log,
      events: this.events,
      ...(options.houseBot ? { houseBotAccountId: options.houseBot.accountId } : {}),
      hasGame: (accountId) => this.#matches.has(accountId) || this.#standard.hasGame(accountId),
      refuse: (session, reason, outcome) => this.#refuseLogin(session, reason, outcome),
      unreadable: (session, error) => this.#storageUnreadable(session, error),
    });
    this.#standardLogins = new StandardLogins<PlayerLogin>({
      store: options.store,
      clock: options.clock,
      log: options.log,
      events: this.events,
      seat: (session, account) => this.#seat(session, account, 2),
      refuse: (session, reason, outcome) => this.#refuseLogin(session, reason, outcome),
      unreadable: (session, error) => this.#storageUnreadable(session, error),
      hasGame: (accountId) => this.#standard.hasGame(accountId),
      admit: (login) => this.#standard.admit(login),
      guests: options.guests ?? true,
    });
    this.#cluster = options.cluster && this.#clusterPlay(options.cluster);
  }

  #clusterPlay(cluster: Cluster): ClusterPlay {
    const { store, clock, log, batch, timing } = this.options;
    return new ClusterPlay({
      cluster,
      store,
      clock,
      log,
      batch,
      timing,
      lobby: this.lobby,
      online: this.#online,
      matches: this.#matches,
      matchOptions: () => this.#matchOptions(),
      played: (match, output) => this.#route(match, output),
      started: (match) => this.#started(match),
      forget: (login) => this.#forget(login),
      refuseLogin: (session, reason, outcome) => this.#refuseLogin(session, reason, outcome),
      read: (read) => this.#read(read),
      readFailing: () => this.#readFailing,
    });
  }

  /** Cluster: the turn batch's commit skipped these games, which another node has taken over. */
  fencedOff(gameIds: readonly number[]): void {
    this.#cluster?.fencedOff(gameIds);
  }

  /** Version 2's queues (one per time control). */
  get standardQueues(): StandardPlay<PlayerLogin>['queues'] {
    return this.#standard.queues;
  }

  get onlineCount(): number {
    return this.#online.size;
  }

  get activeMatches(): number {
    return new Set(this.#matches.values()).size + this.#standard.activeGames;
  }

  /** The server's password-hash queue (logins, sign-ups, password changes): round-robin between addresses. */
  get hashQueue(): Limiter {
    return this.#hashing;
  }

  /** The game in progress `id` as it stands now (possibly ahead of what is committed), if any. */
  liveGame(id: number): LiveGame | undefined {
    for (const match of this.#matches.values()) if (match.id === id) return match.snapshot();
    return this.#standard.liveGame(id);
  }

  /**
   * Loads the games in progress (both players away, each with a grace period) and starts matchmaking.
   * Rejects if storage cannot be read (the server does not start).
   */
  async start(): Promise<void> {
    const bot = this.options.houseBot;
    this.#nextMatchId = (await this.options.store.maxLiveGameId()) + 1;
    // In a cluster, stored games belong to whichever node owns their lease; orphans are adopted later.
    await this.#cluster?.start();
    const stored = this.#cluster ? [] : await this.options.store.loadLiveGames();
    this.#standard.restore(stored.filter((saved) => saved.rules === 'standard'));
    for (const saved of stored.filter((game) => game.rules !== 'standard')) {
      const match = Match.restore(saved, this.#matchOptions());
      for (const accountId of match.accountIds()) {
        if (accountId !== bot?.accountId) this.#matches.set(accountId, match);
      }
      // The house bot takes its seat again at once; the person has the grace period to come back.
      if (bot && match.accountIds().includes(bot.accountId)) {
        const color = saved.black.accountId === bot.accountId ? BLACK : WHITE;
        const opponent = color === BLACK ? saved.white : saved.black;
        const seat = this.#houseBotSeats.seat(bot.accountId, bot.name, color, opponent.rating.rating);
        seat.attach(match);
        match.rejoin(bot.accountId, seat.bot);
      }
    }
    if (this.activeMatches > 0)
      this.options.log.info({ games: this.activeMatches }, 'games in progress resumed; waiting for their players');
    this.#stopTicking ??= this.options.clock.every(SERVICE_TICK_MS, () => {
      if (this.#ticking) this.#tickAgain = true;
      else void this.#runTicks();
    });
  }

  async #runTicks(): Promise<void> {
    this.#ticking = true;
    try {
      do {
        this.#tickAgain = false;
        await this.#tick();
      } while (this.#tickAgain && this.#stopTicking);
    } finally {
      this.#ticking = false;
    }
  }

  /** Once a second: removed accounts leave, then the lobby pairs whom it can, then the house bot takes the lonely. */
  async #tick(): Promise<void> {
    await this.#endRemovedAccounts();
    if (!this.#stopTicking) return;
    // No game starts while storage cannot write: it could not be stored, nor its moves.
    const storageUp = !this.options.batch.failing;
    // In a cluster the matchmaker pairs the shared queue; the lobby only tells its players where they stand.
    this.lobby.tick({ pair: storageUp && !this.options.cluster });
    this.#standard.tick(storageUp);
    if (storageUp) await this.#offerHouseBot();
    await this.#cluster?.tick();
  }

  /**
   * Storage stayed down too long: every game in progress ends with no rating
   * change (recorded as abandoned once storage is back), results not yet
   * stored become abandoned too, and the players whose replies were held are
   * disconnected, since those replies spoke of moves never stored. The turn
   * batch calls it (its `outageLimit`).
   */
  abandonForOutage(): void {
    const links: PlayerLink[] = [];
    for (const match of new Set(this.#matches.values())) links.push(...match.abandon());
    links.push(...this.#standard.abandon());
    this.#houseBotSeats.stopAll();
    const replaced = this.options.batch.replacePendingResults(abandonedRecord);
    for (const { game } of replaced) {
      const version = game.rules === 'standard' ? 2 : 1;
      for (const player of [game.black, game.white]) {
        const login = this.#online.get(player.accountId);
        if (login?.version === version) login.rating = player.before;
      }
    }
    for (const link of links) if (link instanceof PlayerLogin) link.session.close('storage-outage');
    const disconnected = this.options.batch.abandonBlocked();
    this.options.log.error(
      { games: replaced.length, disconnected: disconnected + links.length },
      'storage has been down too long: games in progress abandoned with no rating change; their players disconnected',
    );
  }

  /**
   * `user remove` runs in another process: a removed account that is online
   * loses its game as a forfeit (recorded; the account's row is gone, so only
   * the opponent's rating changes) and its session is closed. Checked every
   * tick; the query runs only after another process has written to the database.
   */
  async #endRemovedAccounts(): Promise<void> {
    const removed = (await this.#read(() => this.options.store.removedAccounts([...this.#online.keys()]))) ?? [];
    for (const accountId of removed) {
      const login = this.#online.get(accountId);
      if (!login) continue;
      this.options.log.warn(
        { session: login.session.id, user: login.name },
        'account removed while online: session closed, game forfeited',
      );
      this.#forget(login);
      if (login.version === 2) this.#standard.left(login, 'account-removed');
      else this.#matches.get(accountId)?.leave(login, 'account-removed');
      login.session.close('account-removed');
    }
  }

  /** Seats the house bot opposite everyone who has waited too long (after the tick paired whoever it could). */
  async #offerHouseBot(): Promise<void> {
    const bot = this.options.houseBot;
    const botGames = () => this.#houseBotSeats.count + this.#standard.botGames;
    // With --bot-after 0 the house bot plays only those who ask for it (PlayComputer).
    if (!bot || this.options.timing.botAfterMs <= 0 || bot.maxGames - botGames() <= 0) return;
    const since = this.options.clock.now() - this.options.timing.botAfterMs;
    if (!this.lobby.hasWaitingSince(since) && !this.#standard.queues.hasWaitingSince(since)) return;
    // Read before anyone leaves the queue: nobody is out of it while storage answers.
    const account = await this.#read(() => this.options.store.findAccount(bot.name));
    if (!this.#stopTicking || this.options.batch.failing) return;
    // Version 2's lonely players first (a standard game), then version 1's.
    if (account) {
      const { id, name, standard } = account;
      this.#standard.seatHouseBot({ id, name, rating: standard.rating }, since, bot.maxGames - botGames());
    }
    const free = bot.maxGames - botGames();
    for (const entry of this.lobby.takeWaitingSince(this.options.clock.now() - this.options.timing.botAfterMs, free)) {
      if (!account) {
        this.options.log.error({ bot: bot.name }, 'the house bot account is missing; no bot game');
        this.lobby.join(entry.link, entry.rating);
        continue;
      }
      const human = entry.link;
      const match = this.#houseBotSeats.pair(human, account, this.#nextMatchId++, this.#matchOptions());
      this.#matches.set(human.accountId, match);
      this.#started(match);
    }
  }

  /** Stops matchmaking and the games' timers; games in progress stay stored and resume after a restart. */
  async shutdown(): Promise<void> {
    this.#stopTicking?.();
    this.#stopTicking = undefined;
    this.#houseBotSeats.stopAll();
    for (const match of new Set(this.#matches.values())) match.suspend();
    this.#standard.suspend();
    await this.options.batch.drain();
    await this.#cluster?.stop();
  }

  async connect(session: Session, message: MessageOfType<'Connect'>): Promise<void> {
    const { version, username, password } = message;
    if (!this.#speaks(session, version)) return;
    const checked = await this.#passwordLogins.check(session, username, password);
    if (!checked) return;
    const { account: fresh, verifiedHash } = checked;
    let token: IssuedToken | undefined;
    if (version === 2) {
      token = await this.#standardLogins.issue(session, fresh);
      if (!token) return;
    }
    if (this.#cluster && !(await this.#cluster.claim(session, fresh.id))) return;
    const login = this.#seat(session, fresh, version === 2 ? 2 : 1);
    if (!login) return;
    rehashLater(
      { hashing: this.#hashing, store: this.options.store, log: this.options.log, target: this.options.rehashTo },
      { name: fresh.name, password, verified: verifiedHash, address: session.remoteAddress },
    );
    if (token) {
      this.#standardLogins.loggedIn(login, token);
      return;
    }
    const match = this.#matches.get(fresh.id);
    if (match) {
      session.deliver({ type: 'QueuePosition', queueSize: 1, position: 1, rating: wireRating(login.rating.rating) });
      match.rejoin(fresh.id, login);
    } else if (this.#cluster) {
      await this.#cluster.rejoin(login);
    } else {
      this.lobby.join(login, login.rating.rating);
    }
  }

  /** Whether the server speaks `version` (version 2 not in a cluster, yet); if not, InvalidVersion says which it does. */
  #speaks(session: Session, version: number): boolean {
    const highest = this.options.cluster ? HIGHEST_CLUSTER_VERSION : HIGHEST_VERSION;
    if (version >= LOWEST_VERSION && version <= highest) return true;
    session.deliver({ type: 'InvalidVersion', highest, lowest: LOWEST_VERSION });
    this.events.login('invalid-version');
    return false;
  }

  /**
   * The account, its password or token checked, takes its place online: it
   * takes over a connection of the same account that is in a game of its
   * version (the old connection may be dead without knowing it); any other
   * connection of the account refuses it. Undefined if refused.
   */
  #seat(session: Session, fresh: Account, version: 1 | 2): PlayerLogin | undefined {
    const match = this.#matches.get(fresh.id);
    const inGame = version === 2 ? this.#standard.hasGame(fresh.id) : match !== undefined;
    const existing = this.#online.get(fresh.id);
    if (existing && !inGame && !existing.remote) {
      this.#refuseLogin(session, InvalidLoginReason.AlreadyLoggedIn, 'already-logged-in');
      return undefined;
    }
    if (existing) {
      // In a game, a correct login takes over: the old connection may be dead without knowing it.
      this.options.log.info({ session: existing.session.id, user: fresh.name }, 'connection taken over by a new login');
      this.#forget(existing);
      existing.session.close('takeover');
    }
    const login = new PlayerLogin(session, fresh.id, fresh.name, version === 2 ? fresh.standard.rating : fresh.rating);
    login.version = version;
    login.guest = fresh.guest === true;
    this.#logins.set(session, login);
    this.#online.set(fresh.id, login);
    this.options.log.info({ session: session.id, user: fresh.name, version, rejoin: inGame }, 'logged in');
    this.events.login(inGame ? 'rejoin' : 'ok');
    return login;
  }

  /** Version 2: a login with a resume token, which costs no password hash. */
  async resume(session: Session, message: MessageOfType<'Resume'>): Promise<void> {
    if (this.#speaks(session, message.version === 2 ? 2 : 0)) await this.#standardLogins.resume(session, message);
  }

  /** Version 2: a guest's login (play/guests.ts). */
  async guest(session: Session, message: MessageOfType<'Guest'>): Promise<void> {
    if (this.#speaks(session, message.version === 2 ? 2 : 0)) await this.#standardLogins.guest(session);
  }

  #refuseLogin(session: Session, reason: number, outcome: LoginOutcome): void {
    session.deliver({ type: 'InvalidLogin', reason });
    this.events.login(outcome);
  }

  logout(session: Session): void {
    this.#leave(session, 'logout');
  }

  async requeue(session: Session): Promise<void> {
    const login = this.#logins.get(session);
    if (!login) return;
    // The rating told is the stored one: while storage cannot read, QueuePosition waits (stored-read.ts).
    const stored = await readStored(() => this.options.store.findAccount(login.name), {
      clock: this.options.clock,
      limitMs: this.options.timing.storageOutageLimitMs,
      abandoned: () => this.#logins.get(session) !== login,
    });
    // The session reads nothing more meanwhile, but it may have been closed or taken over.
    if (this.#logins.get(session) !== login) return;
    if (!stored.ok) {
      this.options.log.error(
        { session: session.id, user: login.name },
        'storage cannot read the rating; re-queue refused',
      );
      session.close('storage-outage');
      return;
    }
    login.rating = stored.value?.rating ?? login.rating;
    this.#queue(login);
  }

  play(session: Session, message: StandardPlayMessage): PlayOutcome {
    const login = this.#logins.get(session);
    if (login?.version !== 2) return { kind: 'protocol-error', reason: `unexpected ${message.type}` };
    const problem = login.guest ? guestProblem(message) : undefined;
    if (problem) return { kind: 'protocol-error', reason: problem };
    const started = performance.now();
    const outcome = this.#standard.play(login, message);
    if (message.type === 'MovePath') this.events.moveHandled(performance.now() - started, outcome.kind === 'done');
    return outcome;
  }

  /** PlayComputer (checked by the session): a game against the house bot, or ComputerBusy when every bot game is in use. */
  async playComputer(session: Session, message: MessageOfType<'PlayComputer'>): Promise<void> {
    const bot = this.options.houseBot;
    const free = () => (bot ? bot.maxGames - this.#houseBotSeats.count - this.#standard.botGames : 0);
    const login = this.#logins.get(session);
    if (login?.version !== 2 || this.#standard.hasGame(login.accountId)) return;
    const problem = login.guest ? guestProblem(message) : undefined;
    if (problem) {
      this.options.log.info({ session: session.id, user: login.name, reason: problem }, 'protocol error');
      session.close('protocol-error', problem);
      return;
    }
    this.#standard.endOffer(login);
    const account = bot && free() > 0 ? await this.#read(() => this.options.store.findAccount(bot.name)) : undefined;
    // Meanwhile the player may have gone, or an agreed rematch started: then PlayComputer is moot.
    if (session.closed || this.#logins.get(session) !== login || this.#standard.hasGame(login.accountId)) return;
    if (!account || free() <= 0 || this.options.batch.failing) {
      session.deliver({ type: 'ComputerBusy' });
      return;
    }
    const timeControl = { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds };
    const { id, name, standard } = account;
    this.#standard.playComputer(login, { id, name, rating: standard.rating }, { ...message, timeControl });
  }

  move(session: Session, move: number): MoveOutcome {
    const login = this.#logins.get(session);
    if (login && this.#cluster?.move(login, move)) return { kind: 'relayed' };
    const match = login && this.#matches.get(login.accountId);
    if (!login || !match) {
      this.options.log.error({ session: session.id }, 'a move from a player with no game');
      return { kind: 'no-game' };
    }
    const started = performance.now();
    const result = match.play(login, move);
    // The mover's own messages go back through the return value, never into its session while it handles the move.
    const replies = result.ok ? this.#route(match, result.output, login) : [];
    this.events.moveHandled(performance.now() - started, result.ok);
    if (result.ok) return { kind: 'legal', replies };
    this.options.log.debug({ session: session.id, move, problem: result.problem }, 'invalid move');
    return { kind: 'illegal', board: match.boardFor(login) };
  }

  closed(session: Session, reason: CloseReason): void {
    if (reason === 'protocol-error' || reason === 'rate-limit') {
      // Abuse is not a lost connection: the game is forfeited at once.
      this.#leave(session, 'protocol-error');
      return;
    }
    const login = this.#logins.get(session);
    if (!login) return;
    this.#forget(login);
    if (login.version === 2) {
      if (reason !== 'shutdown') this.#standard.dropped(login);
      this.options.log.info({ session: session.id, user: login.name, reason }, 'connection lost');
      return;
    }
    if (reason !== 'node-lost') this.#cluster?.leave(login, 'drop');
    // A lost connection is not a LogOut: the game waits for the player (shutdown keeps it stored).
    if (reason !== 'shutdown') this.#matches.get(login.accountId)?.drop(login);
    this.options.log.info({ session: session.id, user: login.name, reason }, 'connection lost');
  }

  /** A read that storage failed is answered from memory where the caller has a fallback. */
  async #read<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await read();
      this.#readFailing = false;
      return value;
    } catch (error) {
      // Once per outage, not once per tick.
      if (!this.#readFailing) this.options.log.warn({ err: error }, 'storage cannot read; going on without it');
      this.#readFailing = true;
      return undefined;
    }
  }

  /** No account can be checked: the client is told nothing false, and may try again later. */
  #storageUnreadable(session: Session, error: unknown): void {
    this.options.log.error({ session: session.id, err: error }, 'storage cannot read accounts; login refused');
    session.close('storage-outage');
  }

  #leave(session: Session, reason: LeaveReason): void {
    const login = this.#logins.get(session);
    if (!login) return;
    this.#forget(login);
    if (login.version === 2) {
      this.#standard.left(login, reason);
      if (reason === 'logout') this.#standardLogins.revoke(login);
      this.options.log.info({ session: session.id, user: login.name, reason }, 'logged out');
      return;
    }
    this.#cluster?.leave(login, reason);
    this.#matches.get(login.accountId)?.leave(login, reason);
    this.options.log.info({ session: session.id, user: login.name, reason }, 'logged out');
  }

  /** The login is no longer online (the game, if any, keeps its seat). */
  #forget(login: PlayerLogin): void {
    this.#logins.delete(login.session);
    if (this.#online.get(login.accountId) === login) {
      this.#online.delete(login.accountId);
      this.options.cluster?.release(login.accountId);
    }
    if (this.lobby.leave(login)) void this.options.cluster?.leaveQueue(login.accountId);
    if (login.version === 2) this.#standard.forget(login);
  }

  #matchOptions(): MatchOptions {
    return {
      clock: this.options.clock,
      chooser: this.options.chooser,
      timing: this.options.timing,
      changed: (game) => this.#gameChanged(game),
      record: (record) => this.options.batch.finished(record),
      storageDown: () => this.options.batch.failing,
      loginPending: (accountId) => this.#passwordLogins.pending(accountId),
      onFinished: (finished, record) => this.#gameOver(finished, record),
    };
  }

  #gameChanged(game: ChangedGame): void {
    this.options.batch.changed(game);
    const state = game.snapshot();
    if (state) this.events.gameChanged(state);
  }

  #gameOver(match: Match, game: FinishedGame): void {
    this.#finished(match, game);
    this.events.gameOver(match.id, game);
  }

  /**
   * Routes what a move produced, after `Match.play` returned: first the
   * changes to commit (so the turn batch holds every reply until they are
   * stored), then the messages. Those for `mover` are returned, to be sent
   * by its session once it has settled the move; the others are delivered.
   */
  #route(match: Match, output: MatchOutput, mover?: PlayerLogin): Message[] {
    if (output.changed) this.#gameChanged(match);
    if (output.finished) {
      this.options.batch.finished(output.finished.record);
      this.#gameOver(match, output.finished.game);
    }
    const replies: Message[] = [];
    for (const { to, message } of output.outbox) {
      if (to !== mover) to.deliver(message);
      else if (mover.passes(message)) replies.push(message);
    }
    return replies;
  }

  #startMatch(first: LobbyEntry<PlayerLogin>, second: LobbyEntry<PlayerLogin>): void {
    const black = first.link;
    const white = second.link;
    const match = Match.create(this.#nextMatchId++, black.matchSeat(), white.matchSeat(), this.#matchOptions());
    this.#matches.set(black.accountId, match);
    this.#matches.set(white.accountId, match);
    this.options.log.info({ black: black.name, white: white.name }, 'game started');
    this.#started(match);
  }

  #started(match: Match): void {
    match.start();
    const game = match.snapshot();
    if (game) this.events.gameStarted(game);
  }

  #finished(match: Match, record: FinishedGame): void {
    for (const accountId of match.accountIds()) {
      if (this.#matches.get(accountId) === match) this.#matches.delete(accountId);
    }
    this.#cluster?.finished(match);
    this.#ratingsAfter(record, 1);
    this.options.log.info(
      { black: record.black.name, white: record.white.name, winner: record.winner, termination: record.termination },
      'game finished',
    );
  }

  /** The online players of a finished game of `version`'s rules carry their new rating. */
  #ratingsAfter(record: FinishedGame, version: 1 | 2): void {
    for (const player of [record.black, record.white]) {
      const login = this.#online.get(player.accountId);
      if (login?.version === version) login.rating = player.after;
    }
  }

  /** Joins the lobby, and in a cluster the shared queue too. */
  #queue(login: PlayerLogin): void {
    if (this.#cluster) this.#cluster.queue(login);
    else this.lobby.join(login, login.rating.rating);
  }
}

/** A result storage could not take in time, to record as abandoned: same live game, same fencing token. */
export function abandonedRecord(record: GameRecord): GameRecord {
  return { ...record, game: abandonedVersion(record.game) };
}

/** The same game ended with no rating change, because storage could not record it in time. */
function abandonedVersion(game: FinishedGame): FinishedGame {
  const unrated = (player: FinishedGame['black']) => ({ ...player, after: player.before });
  return {
    ...game,
    black: unrated(game.black),
    white: unrated(game.white),
    winner: 'abandoned',
    termination: 'storage-outage',
  };
}
