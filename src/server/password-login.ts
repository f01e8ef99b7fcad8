import type { Logger } from 'pino';
import { InvalidLoginReason } from '../protocol/index.js';
import { isValidUsername } from './accounts.js';
import type { Clock } from './clock.js';
import type { Account } from './domain/players.js';
import type { GameEvents, LoginOutcome } from './game-events.js';
import { isHouseBotAccount } from './house-bot.js';
import type { AccountGuesses } from './limits/account-guesses.js';
import type { Limiter } from './limits/limiter.js';
import { checkPassword } from './password-check.js';
import type { Session } from './session.js';
import type { AccountStore } from './store/store.js';

/** What the game service lends the password login. */
export interface PasswordLoginContext {
  readonly store: Pick<AccountStore, 'findAccount'>;
  readonly hashing: Limiter;
  readonly guesses?: AccountGuesses;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: GameEvents;
  /** The house bot's account id on this server, if it has one: nobody logs in as it. */
  readonly houseBotAccountId?: number;
  /** A player whose game waits for them: their hash goes first. */
  hasGame(accountId: number): boolean;
  refuse(session: Session, reason: number, outcome: LoginOutcome): void;
  /** Storage cannot read: the connection closes, nothing false is told. */
  unreadable(session: Session, error: unknown): void;
}

/** A password login that passed: the account as read after the check, and the hash the password was checked against. */
export interface CheckedLogin {
  readonly account: Account;
  readonly verifiedHash: string;
}

/**
 * The password half of a Connect (either version): the account is read, a
 * guest or the house bot is refused without a hash, the password is checked
 * in the server's hash queue, and the account is read again, since `user
 * remove` (another process) may have removed it meanwhile. Refusals are
 * answered here; a connection that closes on the way gets nothing.
 */
export class PasswordLogins {
  /** Accounts with a login waiting for its password check, and how many: their games wait for the answer. */
  readonly #checking = new Map<number, number>();

  constructor(private readonly context: PasswordLoginContext) {}

  /** Whether a password login of this account is being checked. */
  pending(accountId: number): boolean {
    return this.#checking.has(accountId);
  }

  async check(session: Session, username: string, password: string): Promise<CheckedLogin | undefined> {
    const { context } = this;
    let account: Account | undefined;
    try {
      account = isValidUsername(username) ? await context.store.findAccount(username) : undefined;
    } catch (error) {
      context.unreadable(session, error);
      context.events.login('storage-outage');
      return undefined;
    }
    if (session.closed) return undefined;
    if (!account) {
      context.refuse(session, InvalidLoginReason.NoSuchAccount, 'no-such-account');
      return undefined;
    }
    // A guest has no password: it comes back with its resume token only.
    if (account.guest) {
      context.refuse(session, InvalidLoginReason.WrongPassword, 'wrong-password');
      return undefined;
    }
    // The house bot's account, whatever its stored hash: answered as a wrong password (no password is right
    // for it), at once and without a hash, as for any password that cannot match.
    if (isHouseBotAccount(account.name, account.passwordHash) || account.id === context.houseBotAccountId) {
      context.log.info({ session: session.id, user: account.name }, 'login to the house bot refused');
      context.refuse(session, InvalidLoginReason.WrongPassword, 'house-bot');
      return undefined;
    }
    const check = await this.#checked(account.id, () =>
      checkPassword(context, {
        account,
        password,
        address: session.remoteAddress,
        // A connection that closed while waiting for its turn costs no hash. A player whose game waits
        // (across a restart, or after a dropped connection) is checked before new logins.
        priority: context.hasGame(account.id) ? 'first' : 'normal',
        logFields: { session: session.id },
        gone: () => session.closed,
      }),
    );
    if (session.closed) return undefined;
    if (check !== 'right') {
      // Version 1 has no answer for "try later": an unchecked password is answered as a wrong one.
      context.refuse(
        session,
        InvalidLoginReason.WrongPassword,
        check === 'wrong' ? 'wrong-password' : 'account-guess-limit',
      );
      return undefined;
    }
    try {
      const now = await context.store.findAccount(username);
      if (session.closed) return undefined;
      if (now?.id !== account.id) {
        context.refuse(session, InvalidLoginReason.NoSuchAccount, 'no-such-account');
        return undefined;
      }
      return { account: now, verifiedHash: account.passwordHash };
    } catch (error) {
      context.log.warn({ err: error }, 'storage cannot read; the login goes on with the account as read before');
      return { account, verifiedHash: account.passwordHash };
    }
  }

  async #checked<T>(accountId: number, check: () => Promise<T>): Promise<T> {
    this.#checking.set(accountId, (this.#checking.get(accountId) ?? 0) + 1);
    try {
      return await check();
    } finally {
      const left = (this.#checking.get(accountId) ?? 1) - 1;
      if (left > 0) this.#checking.set(accountId, left);
      else this.#checking.delete(accountId);
    }
  }
}
