import type { Logger } from 'pino';
import { InvalidLoginReason, LOGGED_IN_GAME_IN_PROGRESS, type MessageOfType } from '../../protocol/index.js';
import { isValidUsername } from '../accounts.js';
import type { Clock } from '../clock.js';
import type { Account } from '../domain/players.js';
import { wireRating } from '../domain/rating.js';
import type { GameEvents, LoginOutcome } from '../game-events.js';
import type { PlayerLink } from '../player-link.js';
import {
  type IssuedToken,
  issueResumeToken,
  type ResumeDeps,
  resumeLogin,
  revokeResumeToken,
} from '../resume/resume-login.js';
import type { Session } from '../session.js';
import type { AccountStore } from '../store/store.js';
import { createGuest, GUEST_TOKEN_LIFETIME_MS } from './guests.js';

/** A version-2 login as this module needs it. */
export interface StandardLogin extends PlayerLink {
  readonly session: Session;
  readonly rating: { readonly rating: number };
  token: Uint8Array | undefined;
  /** A guest (play/guests.ts): no rating on the wire. */
  readonly guest?: boolean;
}

/** What the game service lends the version-2 login steps. */
export interface StandardLoginContext<L extends StandardLogin> {
  readonly store: ResumeDeps['store'] & Pick<AccountStore, 'createAccount'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: GameEvents;
  /** The account takes its place online (a takeover, or refused: undefined, answered). */
  seat(session: Session, account: Account): L | undefined;
  refuse(session: Session, reason: number, outcome: LoginOutcome): void;
  /** Storage cannot read: the connection closes, nothing false is told. */
  unreadable(session: Session, error: unknown): void;
  hasGame(accountId: number): boolean;
  /** After LoggedIn: the game in progress, if any, takes the player back. */
  admit(login: L): void;
  /** Guest logins are allowed (`--guests on`). */
  readonly guests: boolean;
  /** Draws guest names (default Math.random). */
  readonly random?: () => number;
}

/**
 * The steps of a version-2 login (src/server/resume/ keeps the tokens): a
 * Resume checks the token, which costs no password hash; a password login is
 * given a new token, stored before LoggedIn tells it (nothing is acknowledged
 * that is not stored); LoggedIn carries the token, the standard rating and
 * whether a game waits; LogOut revokes the session's token.
 */
export class StandardLogins<L extends StandardLogin> {
  constructor(private readonly context: StandardLoginContext<L>) {}

  async resume(session: Session, message: MessageOfType<'Resume'>): Promise<void> {
    const { context } = this;
    let outcome: Awaited<ReturnType<typeof resumeLogin>>;
    try {
      outcome = isValidUsername(message.username)
        ? await resumeLogin(context, message.username, message.token)
        : { ok: false, reason: 'no-such-account' };
    } catch (error) {
      context.unreadable(session, error);
      context.events.login('storage-outage');
      return;
    }
    if (session.closed) return;
    if (!outcome.ok) {
      if (outcome.reason === 'no-such-account')
        context.refuse(session, InvalidLoginReason.NoSuchAccount, 'no-such-account');
      else context.refuse(session, InvalidLoginReason.ResumeRefused, 'token-refused');
      return;
    }
    const login = context.seat(session, outcome.account);
    if (!login) return;
    this.loggedIn(login, { token: message.token, expiresAt: outcome.expiresAt, validSeconds: outcome.validSeconds });
  }

  /**
   * Guest: a new guest account under a generated name and its token, valid
   * 24 hours; GuestLoggedIn tells both. Refused (InvalidLogin 4) with
   * `--guests off`, or should no name be free.
   */
  async guest(session: Session): Promise<void> {
    const { context } = this;
    if (!context.guests) {
      context.refuse(session, InvalidLoginReason.GuestsOff, 'guests-off');
      return;
    }
    let account: Account | undefined;
    try {
      account = await createGuest(context.store, context.random);
    } catch (error) {
      context.unreadable(session, error);
      context.events.login('storage-outage');
      return;
    }
    if (session.closed) return;
    if (!account) {
      context.log.error({ session: session.id }, 'no guest name was free after several draws; guest login refused');
      context.refuse(session, InvalidLoginReason.GuestsOff, 'guests-off');
      return;
    }
    const token = await this.issue(session, account, GUEST_TOKEN_LIFETIME_MS);
    if (!token) return;
    const login = context.seat(session, account);
    if (!login) return;
    login.token = token.token;
    login.session.deliver({
      type: 'GuestLoggedIn',
      name: account.name,
      token: token.token,
      tokenSeconds: token.validSeconds,
    });
    context.admit(login);
  }

  /** A password or guest login's new token; undefined if the login cannot go on (the session was answered or closed). */
  async issue(session: Session, account: Account, lifetimeMs?: number): Promise<IssuedToken | undefined> {
    const { context } = this;
    let token: IssuedToken | undefined;
    try {
      token = await issueResumeToken(context, account, lifetimeMs);
    } catch (error) {
      context.log.error({ session: session.id, err: error }, 'storage cannot store a resume token; login refused');
      session.close('storage-outage');
      context.events.login('storage-outage');
      return undefined;
    }
    if (session.closed) return undefined;
    if (!token) context.refuse(session, InvalidLoginReason.NoSuchAccount, 'no-such-account');
    return token;
  }

  /** LoggedIn, then the game in progress, if any (GameStart2 and the position). */
  loggedIn(login: L, token: IssuedToken): void {
    login.token = token.token;
    login.session.deliver({
      type: 'LoggedIn',
      token: token.token,
      rating: login.guest ? 0 : wireRating(login.rating.rating),
      tokenSeconds: token.validSeconds,
      flags: this.context.hasGame(login.accountId) ? LOGGED_IN_GAME_IN_PROGRESS : 0,
    });
    this.context.admit(login);
  }

  /** LogOut revokes the session's token; a failure leaves it to expire, and is logged. */
  revoke(login: L): void {
    const token = login.token;
    if (!token) return;
    revokeResumeToken(this.context, token).catch((error: unknown) =>
      this.context.log.warn({ user: login.name, err: (error as Error).message }, 'could not revoke a resume token'),
    );
  }
}
