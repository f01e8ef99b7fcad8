import type { Logger } from 'pino';
import type { PasswordChanged, SignedUp, SiteFacts } from '../../../common/api-types.js';
import { isValidUsername, passwordProblem, usernameProblem } from '../../accounts.js';
import type { Clock } from '../../clock.js';
import { wireRating } from '../../domain/rating.js';
import type { LoginOutcome } from '../../game-events.js';
import { isHouseBotAccount } from '../../house-bot.js';
import type { AccountGuesses } from '../../limits/account-guesses.js';
import { addressKey } from '../../limits/address-key.js';
import type { Limiter } from '../../limits/limiter.js';
import { RateGate } from '../../limits/rate-gate.js';
import type { RateLimit } from '../../limits/token-bucket.js';
import { checkPassword } from '../../password-check.js';
import { type HashCost, hashPassword } from '../../passwords.js';
import type { AccountStore } from '../../store/store.js';
import type { ApiRequest, ApiResponse, ApiRoute } from '../http-types.js';
import { ok, refusal, tooMany } from './answers.js';

export type Registration = 'open' | 'closed';

export interface AccountRoutesOptions {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** `closed` (the default): accounts come from the operator only, and sign-up answers 403. */
  readonly registration: Registration;
  readonly signupRatePerAddress: RateLimit;
  readonly signupRate: RateLimit;
  /** The guessing budgets that version-1 logins spend too: one per address and one per account. */
  readonly passwordAttempts: PasswordAttempts;
  /** The server's password-hash queue, shared with logins (round-robin between addresses). */
  readonly hashQueue: Limiter;
  readonly hashCost: HashCost;
}

/** The server's guessing budgets, shared by every way of presenting a password (version-1 logins too). */
export interface PasswordAttempts {
  /** Takes a token of the address's login limit (AddressBook.admitLogin): 0 if admitted, else ms to wait. */
  admitAddress(address: string, now: number): number;
  /** Each account's budget of wrong passwords. */
  readonly accounts: AccountGuesses;
  /** Counts a refused password as a version-1 login's (checkers_logins_total). */
  refused(outcome: LoginOutcome): void;
}

/** The named fields of a JSON object body, each a string, or the 400 that says which is missing. */
function stringFields<K extends string>(
  body: unknown,
  names: readonly K[],
): { ok: true; fields: Record<K, string> } | { ok: false; response: ApiResponse } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, response: refusal(400, `send a JSON object with ${names.join(', ')}`) };
  }
  const fields = {} as Record<K, string>;
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value !== 'string') return { ok: false, response: refusal(400, `${name} is missing (a string)`) };
    fields[name] = value;
  }
  return { ok: true, fields };
}

/** What both account routes share: the options, the rate gates, the hash queue by address. */
interface AccountContext extends AccountRoutesOptions {
  readonly signups: RateGate;
}

/** Runs a hash through the server's hash queue, in the turn of the request's address. */
function hashed<T>(context: AccountContext, request: ApiRequest, work: () => Promise<T>): Promise<T> {
  return context.hashQueue.run(work, addressKey(request.remoteAddress));
}

/**
 * `POST /api/accounts` (sign-up) and `POST /api/password` (change password):
 * the operator's rules for names and passwords (version 1 carries 16 ASCII
 * bytes of each), names unique whatever their case, every hash through the
 * server's hash queue, and rate limits per address and for the server.
 */
export function accountRoutes(options: AccountRoutesOptions): ApiRoute[] {
  const now = options.clock.now();
  const context: AccountContext = {
    ...options,
    signups: new RateGate(options.signupRatePerAddress, options.signupRate, now),
  };
  return [
    {
      method: 'GET',
      pattern: '/api/site',
      handle: () => ({ status: 200, body: { registration: context.registration } satisfies SiteFacts }),
    },
    { method: 'POST', pattern: '/api/accounts', handle: (request) => signUp(context, request) },
    { method: 'POST', pattern: '/api/password', handle: (request) => changePassword(context, request) },
  ];
}

async function signUp(context: AccountContext, request: ApiRequest): Promise<ApiResponse> {
  const { store, clock, log } = context;
  if (context.registration === 'closed') {
    return refusal(403, 'sign-up is closed on this server: ask its operator for an account');
  }
  const body = stringFields(request.body, ['name', 'password'] as const);
  if (!body.ok) return body.response;
  const { name, password } = body.fields;
  const problem = usernameProblem(name) ?? passwordProblem(password);
  if (problem) return refusal(400, problem);
  if (isHouseBotAccount(name)) return refusal(409, `the name ${JSON.stringify(name)} is reserved; choose another`);
  const admitted = context.signups.admit(request.remoteAddress, clock.now());
  if (!admitted.ok) {
    return tooMany(
      admitted.scope === 'address' ? 'too many sign-ups from your address' : 'too many sign-ups on this server',
      admitted.retryAfterMs,
    );
  }
  const taken = (existing: string) =>
    refusal(
      409,
      `the name ${JSON.stringify(existing)} is taken${existing === name ? '' : ' (names ignore case)'}; choose another`,
    );
  const existing = await store.findAccount(name);
  if (existing) return taken(existing.name);
  const hash = await hashed(context, request, () => hashPassword(password, context.hashCost));
  try {
    const account = await store.createAccount(name, hash);
    log.info({ user: account.name, address: request.remoteAddress }, 'account signed up');
    return ok<SignedUp>({ name: account.name, rating: wireRating(account.rating.rating) }, 201);
  } catch (error) {
    // Another sign-up took the name while this one hashed.
    const winner = await store.findAccount(name);
    if (winner) return taken(winner.name);
    throw error;
  }
}

async function changePassword(context: AccountContext, request: ApiRequest): Promise<ApiResponse> {
  const { store, clock, log } = context;
  const body = stringFields(request.body, ['name', 'password', 'newPassword'] as const);
  if (!body.ok) return body.response;
  const { name, password, newPassword } = body.fields;
  const problem = passwordProblem(newPassword);
  if (problem) return refusal(400, `the new password cannot be used: ${problem}`);
  const attempts = context.passwordAttempts;
  const address = request.remoteAddress;
  const addressWait = attempts.admitAddress(address, clock.now());
  if (addressWait > 0) return tooMany('too many password attempts from your address', addressWait);
  const account = isValidUsername(name) ? await store.findAccount(name) : undefined;
  if (!account) return refusal(404, `no account named ${JSON.stringify(name)}`);
  if (isHouseBotAccount(account.name, account.passwordHash)) {
    return refusal(403, "the house bot's account has no password to change");
  }
  const checker = { hashing: context.hashQueue, guesses: attempts.accounts, clock, log };
  const presented = { account, password, address, priority: 'normal', logFields: { route: '/api/password' } } as const;
  const check = await checkPassword(checker, presented);
  if (check === 'guess-limited') {
    attempts.refused('account-guess-limit');
    return tooMany(
      'too many wrong passwords for this account',
      attempts.accounts.waitMs(account.id, address, clock.now()),
    );
  }
  if (check === 'wrong') {
    attempts.refused('wrong-password');
    return refusal(403, 'wrong password; the password was not changed');
  }
  const hash = await hashed(context, request, () => hashPassword(newPassword, context.hashCost));
  // The account as verified: changed or removed meanwhile, it is left alone.
  if ((await store.findAccount(account.name))?.passwordHash !== account.passwordHash) {
    return refusal(409, 'the account changed meanwhile; try again');
  }
  await store.setPassword(account.name, hash);
  log.info({ user: account.name, address: request.remoteAddress }, 'password changed from the web');
  return ok<PasswordChanged>({ name: account.name, changed: true });
}
