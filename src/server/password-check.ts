import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Account } from './domain/players.js';
import type { AccountGuesses } from './limits/account-guesses.js';
import { addressKey } from './limits/address-key.js';
import type { Limiter, Priority } from './limits/limiter.js';
import { verifyPassword } from './passwords.js';

/** How a presented password fared: right, wrong, or not checked because the account's guessing budget is spent. */
export type PasswordCheck = 'right' | 'wrong' | 'guess-limited';

export interface PasswordChecker {
  /** The server's hash queue. */
  readonly hashing: Limiter;
  /** Each account's budget of wrong passwords; undefined = none. */
  readonly guesses?: AccountGuesses;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface PasswordPresented {
  readonly account: Account;
  readonly password: string;
  readonly address: string;
  /** `first` for a player whose game waits for them. */
  readonly priority: Priority;
  /** Fields for the log lines (the session, or the route). */
  readonly logFields: Readonly<Record<string, unknown>>;
  /** Whether the asker has gone meanwhile (a closed connection): then no hash is computed. */
  readonly gone?: () => boolean;
}

/**
 * Checks a password presented by any way of logging in (a version-1 Connect,
 * the web's password change), alike: the account's guessing budget first
 * (spent: not checked, logged), then the hash in the server's queue, in the
 * turn of the asker's address; a wrong password spends the budget and is
 * logged (`wrong password`), a right one makes the address its owner's.
 */
export async function checkPassword(checker: PasswordChecker, presented: PasswordPresented): Promise<PasswordCheck> {
  const { account, address, logFields } = presented;
  const { guesses, clock, log } = checker;
  const wait = guesses?.waitMs(account.id, address, clock.now()) ?? 0;
  if (wait > 0) {
    log.info(
      { ...logFields, user: account.name, address, retryAfterMs: wait },
      'login refused: too many wrong passwords for this account',
    );
    return 'guess-limited';
  }
  const right = await checker.hashing.run(
    () => (presented.gone?.() ? Promise.resolve(false) : verifyPassword(presented.password, account.passwordHash)),
    addressKey(address),
    presented.priority,
  );
  if (presented.gone?.()) return 'wrong';
  if (!right) {
    guesses?.failed(account.id, clock.now());
    log.info({ ...logFields, user: account.name, address }, 'wrong password');
    return 'wrong';
  }
  guesses?.succeeded(account.id, address);
  return 'right';
}
