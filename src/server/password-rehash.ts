import type { Logger } from 'pino';
import { addressKey } from './limits/address-key.js';
import type { Limiter } from './limits/limiter.js';
import { describeCost, type HashCost, hashPassword, needsRehash } from './passwords.js';
import type { AccountStore } from './store/store.js';

export interface Rehasher {
  /** The server's hash queue. */
  readonly hashing: Limiter;
  readonly store: AccountStore;
  readonly log: Logger;
  /** A stored hash weaker than this is replaced; undefined = never. */
  readonly target: HashCost | undefined;
}

/**
 * After a login, replaces a hash weaker than the target cost (made before the
 * cost was raised, or scrypt). It runs after the reply, in the same queue as
 * login checks but after every waiting one (a restart storm of old hashes is
 * not doubled); a failure only leaves the old hash, which still verifies.
 */
export function rehashLater(
  { hashing, store, log, target }: Rehasher,
  login: { readonly name: string; readonly password: string; readonly verified: string; readonly address: string },
): void {
  const { name, password, verified, address } = login;
  if (!target || !needsRehash(verified, target)) return;
  hashing
    .run(() => hashPassword(password, target), addressKey(address), 'last')
    .then(async (hash) => {
      // A password changed meanwhile (`user passwd`) must stay changed.
      if ((await store.findAccount(name))?.passwordHash !== verified) return;
      // The same password: the sessions' resume tokens stay valid.
      await store.setPassword(name, hash, { keepResumeTokens: true });
      log.info({ user: name, cost: describeCost(target) }, 'password rehashed at the current cost');
    })
    .catch((error: unknown) =>
      log.warn(
        { user: name, err: (error as Error).message },
        'could not store a rehashed password; the old hash stays',
      ),
    );
}
