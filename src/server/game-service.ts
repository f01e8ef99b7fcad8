import type { Logger } from 'pino';
import type { JumpChooser } from '../game/v1.js';
import { InvalidLoginReason, type Message, type MessageOfType } from '../protocol/index.js';
import { isValidUsername } from './accounts.js';
import type { Clock } from './clock.js';
import { Limiter } from './limiter.js';
import { Lobby, type LobbyEntry } from './lobby.js';
import { type LeaveReason, Match } from './match.js';
import type { MatchmakingPolicy } from './matchmaking.js';
import { verifyPassword } from './passwords.js';
import type { PlayerLink } from './player-link.js';
import type { Rating } from './rating.js';
import type { CloseReason, Session, SessionHandler } from './session.js';
import type { FinishedGame, Store } from './store/store.js';

/** The protocol versions this server speaks (PROTOCOL.md section 6). */
export const LOWEST_VERSION = 1;
export const HIGHEST_VERSION = 1;

/** An account logged in on a session. */
class PlayerLogin implements PlayerLink {
  constructor(
    readonly session: Session,
    readonly accountId: number,
    readonly name: string,
    public rating: Rating,
  ) {}

  deliver(message: Message): void {
    this.session.deliver(message);
  }
}

export interface GameServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly chooser: JumpChooser;
  /** 0 = no move clock. */
  readonly moveTimeoutMs: number;
  /** Password hashes computed at once; the rest wait their turn. */
  readonly hashConcurrency: number;
  readonly matchmaking?: MatchmakingPolicy;
}

/**
 * Who is online, the lobby and the matches. Sessions report protocol events
 * here; everything the players are told goes back through their sessions.
 */
export class GameService implements SessionHandler {
  readonly #logins = new Map<Session, PlayerLogin>();
  readonly #online = new Map<number, PlayerLogin>();
  readonly #matches = new Map<PlayerLink, Match>();
  readonly #hashing: Limiter;
  readonly lobby: Lobby<PlayerLogin>;
  #stopTicking: (() => void) | undefined;
  gamesFinished = 0;

  constructor(private readonly options: GameServiceOptions) {
    this.#hashing = new Limiter(options.hashConcurrency);
    this.lobby = new Lobby<PlayerLogin>(
      options.clock,
      (first, second) => this.#startMatch(first, second),
      options.matchmaking,
    );
  }

  get onlineCount(): number {
    return this.#online.size;
  }

  get activeMatches(): number {
    return new Set(this.#matches.values()).size;
  }

  start(): void {
    this.#stopTicking ??= this.options.clock.every(1000, () => this.lobby.tick());
  }

  /** Stops matchmaking and ends every running game with no result (see README, Operations). */
  shutdown(): void {
    this.#stopTicking?.();
    this.#stopTicking = undefined;
    for (const match of new Set(this.#matches.values())) match.abandon('server-shutdown');
  }

  async connect(session: Session, message: MessageOfType<'Connect'>): Promise<void> {
    const { version, username, password } = message;
    if (version < LOWEST_VERSION || version > HIGHEST_VERSION) {
      session.deliver({ type: 'InvalidVersion', highest: HIGHEST_VERSION, lowest: LOWEST_VERSION });
      return;
    }
    const account = isValidUsername(username) ? this.options.store.findAccount(username) : undefined;
    if (!account) {
      session.deliver({ type: 'InvalidLogin', reason: InvalidLoginReason.NoSuchAccount });
      return;
    }
    const correct = await this.#hashing.run(() => verifyPassword(password, account.passwordHash));
    if (session.closed) return;
    if (!correct) {
      this.options.log.info({ session: session.id, user: username }, 'wrong password');
      session.deliver({ type: 'InvalidLogin', reason: InvalidLoginReason.WrongPassword });
      return;
    }
    if (this.#online.has(account.id)) {
      session.deliver({ type: 'InvalidLogin', reason: InvalidLoginReason.AlreadyLoggedIn });
      return;
    }
    const fresh = this.options.store.findAccount(username) ?? account;
    const login = new PlayerLogin(session, fresh.id, fresh.name, fresh.rating);
    this.#logins.set(session, login);
    this.#online.set(fresh.id, login);
    this.options.log.info({ session: session.id, user: fresh.name }, 'logged in');
    this.lobby.join(login, login.rating.rating);
  }

  logout(session: Session): void {
    this.#leave(session, 'logout');
  }

  requeue(session: Session): void {
    const login = this.#logins.get(session);
    if (!login) return;
    login.rating = this.options.store.findAccount(login.name)?.rating ?? login.rating;
    this.lobby.join(login, login.rating.rating);
  }

  move(session: Session, move: number): void {
    const login = this.#logins.get(session);
    const match = login && this.#matches.get(login);
    if (!login || !match) {
      this.options.log.error({ session: session.id }, 'a move from a player with no game');
      session.close('protocol-error');
      return;
    }
    const problem = match.problemWith(login, move);
    if (problem) {
      this.options.log.debug({ session: session.id, move, problem }, 'invalid move');
      session.deliver({ type: 'InvalidMove', move, board: match.boardFor(login) });
      return;
    }
    session.resolve('legal');
    match.play(login, move);
  }

  closed(session: Session, reason: CloseReason): void {
    this.#leave(session, reason === 'protocol-error' ? 'protocol-error' : 'disconnect');
  }

  #leave(session: Session, reason: LeaveReason): void {
    const login = this.#logins.get(session);
    if (!login) return;
    this.#logins.delete(session);
    this.#online.delete(login.accountId);
    this.lobby.leave(login);
    this.#matches.get(login)?.leave(login, reason);
    this.options.log.info({ session: session.id, user: login.name, reason }, 'logged out');
  }

  #startMatch(first: LobbyEntry<PlayerLogin>, second: LobbyEntry<PlayerLogin>): void {
    const black = first.link;
    const white = second.link;
    const match = new Match(
      { link: black, rating: black.rating },
      { link: white, rating: white.rating },
      {
        clock: this.options.clock,
        store: this.options.store,
        chooser: this.options.chooser,
        moveTimeoutMs: this.options.moveTimeoutMs,
        onFinished: (finished, record) => this.#finished(finished, record),
      },
    );
    this.#matches.set(black, match);
    this.#matches.set(white, match);
    this.options.log.info({ black: black.name, white: white.name }, 'game started');
    match.start();
  }

  #finished(match: Match, record: FinishedGame): void {
    this.gamesFinished++;
    for (const link of match.players()) {
      if (this.#matches.get(link) === match) this.#matches.delete(link);
    }
    for (const player of [record.black, record.white]) {
      const login = this.#online.get(player.accountId);
      if (login) login.rating = player.after;
    }
    this.options.log.info(
      { black: record.black.name, white: record.white.name, winner: record.winner, termination: record.termination },
      'game finished',
    );
  }
}
