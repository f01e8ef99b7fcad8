import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import type { Account } from '../../src/server/domain/players.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { GameEvents, type LoginOutcome } from '../../src/server/game-events.js';
import { Limiter } from '../../src/server/limits/limiter.js';
import { PasswordLogins } from '../../src/server/password-login.js';
import { hashPassword } from '../../src/server/passwords.js';
import type { Session } from '../../src/server/session.js';
import { TEST_HASH_COST } from '../support/accounts.js';
import { ManualClock } from '../support/manual-clock.js';

const RECORD = { rating: DEFAULT_RATING, games: 0, wins: 0, losses: 0, draws: 0 };

function account(id: number, name: string, passwordHash: string, extra: Partial<Account> = {}): Account {
  return { id, name, passwordHash, ...RECORD, standard: RECORD, ...extra };
}

function session(id: number): Session & { closed: boolean } {
  return { id, closed: false, remoteAddress: '127.0.0.1' } as unknown as Session & { closed: boolean };
}

/** PasswordLogins over accounts held in a map (which a test may change between reads), recording refusals. */
function rig(accounts: Map<string, Account>, options: { hashing?: Limiter; houseBotAccountId?: number } = {}) {
  const refused: Array<{ session: number; reason: number; outcome: LoginOutcome }> = [];
  const unreadable: number[] = [];
  const reads: string[] = [];
  let failReads = false;
  const logins = new PasswordLogins({
    store: {
      findAccount: async (name) => {
        reads.push(name);
        if (failReads) throw new Error('database is locked');
        return accounts.get(name);
      },
    },
    hashing: options.hashing ?? new Limiter(1),
    clock: new ManualClock(),
    log: pino({ level: 'silent' }),
    events: new GameEvents(),
    ...(options.houseBotAccountId ? { houseBotAccountId: options.houseBotAccountId } : {}),
    hasGame: () => false,
    refuse: (who, reason, outcome) => refused.push({ session: who.id, reason, outcome }),
    unreadable: (who) => unreadable.push(who.id),
  });
  return {
    logins,
    refused,
    unreadable,
    reads,
    failReads: (on: boolean) => {
      failReads = on;
    },
  };
}

/** A hash queue whose only slot is held until `release`, so checks wait in it: what a test changes meanwhile, they see after. */
function heldQueue() {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hashing = new Limiter(1);
  const held = hashing.run(() => gate, 'someone-else', 'normal');
  return {
    hashing,
    release: async () => {
      release();
      await held;
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the password half of a login', () => {
  it('passes the right password and gives the account read after the check, with the hash it was checked against', async () => {
    const hash = await hashPassword('pw', TEST_HASH_COST);
    const accounts = new Map([['ann', account(1, 'ann', hash)]]);
    const { logins, refused, reads } = rig(accounts);
    const checked = await logins.check(session(1), 'ann', 'pw');
    assert.deepEqual(refused, []);
    assert.equal(checked?.account.id, 1);
    assert.equal(checked?.verifiedHash, hash);
    assert.deepEqual(reads, ['ann', 'ann'], 'read before and after the check');
  });

  it('refuses a wrong password, an unknown name, a guest and the house bot, each with its outcome', async () => {
    const hash = await hashPassword('pw', TEST_HASH_COST);
    const accounts = new Map([
      ['ann', account(1, 'ann', hash)],
      ['guest-12345', account(2, 'guest-12345', hash, { guest: true })],
      ['housebot', account(3, 'housebot', hash)],
    ]);
    const { logins, refused } = rig(accounts, { houseBotAccountId: 3 });
    assert.equal(await logins.check(session(1), 'ann', 'wrong'), undefined);
    assert.equal(await logins.check(session(2), 'nobody', 'pw'), undefined);
    assert.equal(await logins.check(session(3), 'guest-12345', 'pw'), undefined);
    assert.equal(await logins.check(session(4), 'housebot', 'pw'), undefined);
    assert.deepEqual(refused, [
      { session: 1, reason: InvalidLoginReason.WrongPassword, outcome: 'wrong-password' },
      { session: 2, reason: InvalidLoginReason.NoSuchAccount, outcome: 'no-such-account' },
      { session: 3, reason: InvalidLoginReason.WrongPassword, outcome: 'wrong-password' },
      { session: 4, reason: InvalidLoginReason.WrongPassword, outcome: 'house-bot' },
    ]);
  });

  it('refuses an account removed while its password was checked', async () => {
    const hash = await hashPassword('pw', TEST_HASH_COST);
    const accounts = new Map([['ann', account(1, 'ann', hash)]]);
    const queue = heldQueue();
    const { logins, refused } = rig(accounts, { hashing: queue.hashing });
    const checking = logins.check(session(1), 'ann', 'pw');
    await turn();
    accounts.delete('ann');
    await queue.release();
    assert.equal(await checking, undefined);
    assert.deepEqual(refused, [{ session: 1, reason: InvalidLoginReason.NoSuchAccount, outcome: 'no-such-account' }]);
  });

  it('closes an unreadable store before the check, but goes on with the account read before when only the second read fails', async () => {
    const hash = await hashPassword('pw', TEST_HASH_COST);
    const accounts = new Map([['ann', account(1, 'ann', hash)]]);
    const first = rig(accounts);
    first.failReads(true);
    assert.equal(await first.logins.check(session(1), 'ann', 'pw'), undefined);
    assert.deepEqual(first.unreadable, [1]);
    const queue = heldQueue();
    const second = rig(accounts, { hashing: queue.hashing });
    const checking = second.logins.check(session(2), 'ann', 'pw');
    await turn();
    second.failReads(true);
    await queue.release();
    assert.equal((await checking)?.account.id, 1);
    assert.deepEqual(second.unreadable, []);
  });

  it('counts an account as pending while any of its checks runs, and not after, even when a check fails', async () => {
    const hash = await hashPassword('pw', TEST_HASH_COST);
    const accounts = new Map([['ann', account(1, 'ann', hash)]]);
    const queue = heldQueue();
    const { logins } = rig(accounts, { hashing: queue.hashing });
    assert.equal(logins.pending(1), false);
    const right = logins.check(session(1), 'ann', 'pw');
    const wrong = logins.check(session(2), 'ann', 'nope');
    await turn();
    assert.equal(logins.pending(1), true);
    await queue.release();
    const outcomes = await Promise.all([right, wrong]);
    assert.equal(outcomes[0]?.account.id, 1);
    assert.equal(outcomes[1], undefined);
    assert.equal(logins.pending(1), false);
  });
});
