import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGuest, GUEST_NAME_ATTEMPTS, guestName, isGuestName } from '../../../src/server/play/guests.js';
import { SqliteStore } from '../../../src/server/store/sqlite-store.js';

/** A random source that returns these values in turn (each in [0, 1)). */
function sequence(...values: number[]): () => number {
  let next = 0;
  return () => {
    const value = values[next % values.length] as number;
    next += 1;
    return value;
  };
}

describe('guest names', () => {
  it('are guest- and five digits, from guest-10000 to guest-99999', () => {
    assert.equal(
      guestName(() => 0),
      'guest-10000',
    );
    assert.equal(
      guestName(() => 0.5),
      'guest-55000',
    );
    assert.equal(
      guestName(() => 0.999999999),
      'guest-99999',
    );
    for (let i = 0; i < 200; i++) assert.match(guestName(Math.random), /^guest-[1-9]\d{4}$/);
  });

  it('with nine digits still fit a name (16 bytes)', () => {
    assert.equal(
      guestName(() => 0, 9),
      'guest-100000000',
    );
    assert.equal(
      guestName(() => 0.999999999, 9),
      'guest-999999999',
    );
  });

  it('are recognised in any case', () => {
    assert.ok(isGuestName('guest-12345'));
    assert.ok(isGuestName('GUEST-12345'));
    assert.ok(!isGuestName('guest12345'));
    assert.ok(!isGuestName('cam'));
  });
});

describe('createGuest', () => {
  it('draws another name while the drawn one is an account, in any case, and marks the new account a guest', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    // An account created before the rule, and a guest already playing: both names are drawn first.
    await store.createAccount('Guest-55000', 'hash');
    await store.createAccount('guest-10000', 'no hash', undefined, { guest: true });
    const guest = await createGuest(store, sequence(0.5, 0, 0.25));
    assert.equal(guest?.name, 'guest-32500');
    assert.equal(guest?.guest, true);
    assert.equal((await store.findAccount('guest-32500'))?.guest, true);
  });

  it('draws nine digits once ten short names collided (the short names fill over the years)', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    await store.createAccount('guest-10000', 'no hash', undefined, { guest: true });
    const guest = await createGuest(store, () => 0);
    assert.equal(guest?.name, 'guest-100000000');
  });

  it('gives up (undefined) when every name drawn is taken, creating nothing', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    await store.createAccount('guest-10000', 'no hash', undefined, { guest: true });
    await store.createAccount('guest-100000000', 'no hash', undefined, { guest: true });
    let draws = 0;
    const guest = await createGuest(store, () => {
      draws += 1;
      return 0;
    });
    assert.equal(guest, undefined);
    assert.equal(draws, GUEST_NAME_ATTEMPTS);
    assert.equal((await store.listAccounts()).length, 2);
  });

  it('draws again when the name is taken between the look-up and the insert (another node)', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    let raced = false;
    const racing = {
      findAccount: (name: string) => store.findAccount(name),
      createAccount: async (...args: Parameters<typeof store.createAccount>) => {
        if (!raced) {
          raced = true;
          await store.createAccount(args[0], 'someone else');
        }
        return store.createAccount(...args);
      },
    };
    const guest = await createGuest(racing, sequence(0, 0.5));
    assert.equal(guest?.name, 'guest-55000');
    assert.equal((await store.findAccount('guest-10000'))?.passwordHash, 'someone else');
  });
});
