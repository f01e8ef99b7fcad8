import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountGuesses } from '../../../src/server/limits/account-guesses.js';

describe('AccountGuesses (pure, time passed in)', () => {
  it('holds an account after its burst of wrong passwords from any addresses, until a token is back', () => {
    const guesses = new AccountGuesses({ perSecond: 0.05, burst: 2 });
    guesses.failed(7, 0);
    guesses.failed(7, 0);
    assert.equal(guesses.waitMs(7, '127.1.1.1', 0), 20_000);
    assert.equal(guesses.waitMs(7, '127.1.1.2', 5000), 15_000, 'another address: the same budget');
    assert.equal(guesses.waitMs(8, '127.1.1.1', 0), 0, 'another account: its own budget');
    assert.equal(guesses.waitMs(7, '127.1.1.2', 20_000), 0);
  });

  it('does not hold the last addresses the account logged in from, and forgets the oldest past four', () => {
    const guesses = new AccountGuesses({ perSecond: 0.05, burst: 1 });
    for (let i = 1; i <= 5; i++) guesses.succeeded(7, `127.1.2.${i}`);
    guesses.failed(7, 0);
    assert.equal(guesses.waitMs(7, '127.1.2.5', 0), 0);
    assert.equal(guesses.waitMs(7, '127.1.2.2', 0), 0);
    assert.ok(guesses.waitMs(7, '127.1.2.1', 0) > 0, 'the fifth address back is forgotten');
    assert.ok(guesses.waitMs(7, '127.1.3.1', 0) > 0);
  });

  it('takes nothing for a right password', () => {
    const guesses = new AccountGuesses({ perSecond: 0.05, burst: 1 });
    guesses.succeeded(9, '127.1.4.1');
    assert.equal(guesses.accountsTracked, 0);
    assert.equal(guesses.waitMs(9, '127.1.4.2', 0), 0);
  });
});
