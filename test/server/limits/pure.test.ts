import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressBook } from '../../../src/server/limits/address-book.js';
import { addressKey } from '../../../src/server/limits/address-key.js';
import { Limiter } from '../../../src/server/limits/limiter.js';
import { DEFAULT_LIMITS, type ServerLimits } from '../../../src/server/limits/limits.js';
import { TokenBucket } from '../../../src/server/limits/token-bucket.js';

describe('TokenBucket', () => {
  it('allows the burst at once, then one token per 1/rate seconds', () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    for (let i = 0; i < 3; i++) {
      assert.equal(bucket.waitMs(0), 0);
      bucket.take(0);
    }
    assert.equal(bucket.waitMs(0), 500);
    assert.equal(bucket.waitMs(250), 250);
    assert.equal(bucket.waitMs(500), 0);
  });

  it('goes into debt when charged without tokens, and the debt is waited for', () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, 0);
    bucket.take(0);
    bucket.take(0);
    assert.equal(bucket.waitMs(0), 2000);
    assert.equal(bucket.isFull(1999), false);
    assert.equal(bucket.isFull(2000), true);
  });

  it('never holds more than the burst, however long it rests', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, 0);
    let allowed = 0;
    while (bucket.waitMs(1_000_000) === 0 && allowed < 100) {
      bucket.take(1_000_000);
      allowed++;
    }
    assert.equal(allowed, 2);
  });

  it('a rate of 0 means no limit', () => {
    const bucket = new TokenBucket({ perSecond: 0, burst: 0 }, 0);
    for (let i = 0; i < 1000; i++) bucket.take(0);
    assert.equal(bucket.waitMs(0), 0);
    assert.equal(bucket.isFull(0), true);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    assert.equal(addressKey('2001:db8:0:1::5'), '2001:db8:0:1::/64');
    assert.equal(addressKey('2001:0db8:0000:0001:ffff:0:0:9'), '2001:db8:0:1::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.notEqual(addressKey('2001:db8:0:1::5'), addressKey('2001:db8:0:2::5'));
  });
});

describe('Limiter', () => {
  it('never runs more than its concurrency at once', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.run(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
        }),
      ),
    );
    assert.equal(most, 2);
  });

  it('serves waiting keys round-robin, so one flooding address cannot push another to the back', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    const task = (label: string) => () =>
      new Promise<void>((resolve) => {
        order.push(label);
        setImmediate(resolve);
      });
    const flood = Array.from({ length: 50 }, (_, i) => limiter.run(task(`flood${i}`), 'attacker'));
    const honest = limiter.run(task('honest'), 'player');
    await Promise.all([...flood, honest]);
    assert.ok(order.indexOf('honest') <= 2, `honest ran at position ${order.indexOf('honest')}`);
    assert.equal(limiter.queued, 0);
  });
});

function limits(overrides: Partial<ServerLimits>): ServerLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

describe('AddressBook', () => {
  it('refuses connections beyond the per-address bound, and frees the place on release', () => {
    const book = new AddressBook(limits({ maxConnectionsPerAddress: 2 }));
    const first = book.admit('127.0.10.1', 0);
    const second = book.admit('127.0.10.1', 0);
    assert.ok(first.ok && second.ok);
    assert.deepEqual(book.admit('127.0.10.1', 0), { ok: false, reason: 'address-full' });
    assert.ok(book.admit('127.0.10.2', 0).ok, 'another address is not affected');
    first.guard.release();
    first.guard.release();
    assert.ok(book.admit('127.0.10.1', 0).ok);
    assert.equal(book.connections, 3);
  });

  it('refuses every connection beyond the server-wide bound', () => {
    const book = new AddressBook(limits({ maxConnections: 3 }));
    for (let i = 1; i <= 3; i++) assert.ok(book.admit(`127.0.10.${i}`, 0).ok);
    assert.deepEqual(book.admit('127.0.10.9', 0), { ok: false, reason: 'server-full' });
  });

  it('limits the rate of new connections per address, even when earlier ones closed', () => {
    const book = new AddressBook(limits({ connectionRatePerAddress: { perSecond: 1, burst: 2 } }));
    for (let i = 0; i < 2; i++) {
      const admission = book.admit('127.0.10.1', 0);
      assert.ok(admission.ok);
      admission.guard.release();
    }
    book.sweep(0);
    assert.deepEqual(book.admit('127.0.10.1', 0), { ok: false, reason: 'connection-rate' });
    assert.ok(book.admit('127.0.10.1', 1000).ok);
  });

  it('forgets an address only once it holds no connection and its limits are full again', () => {
    const book = new AddressBook(limits({ connectionRatePerAddress: { perSecond: 1, burst: 5 } }));
    const admission = book.admit('127.0.10.1', 0);
    assert.ok(admission.ok);
    book.sweep(10_000);
    assert.equal(book.addressesTracked, 1, 'still connected');
    admission.guard.release();
    book.sweep(500);
    assert.equal(book.addressesTracked, 1, 'its connection bucket is still refilling');
    book.sweep(1000);
    assert.equal(book.addressesTracked, 0);
  });
});

describe('ConnectionGuard', () => {
  const book = () =>
    new AddressBook(
      limits({
        messageRate: { perSecond: 1, burst: 2 },
        messageRatePerAddress: { perSecond: 1, burst: 3 },
        loginRate: { perSecond: 1, burst: 1 },
        loginRatePerAddress: { perSecond: 1, burst: 10 },
      }),
    );
  const guardOf = (addresses: AddressBook) => {
    const admission = addresses.admit('127.0.10.1', 0);
    assert.ok(admission.ok);
    return admission.guard;
  };

  it('a move the server asked for is free; everything else takes a token', () => {
    const guard = guardOf(book());
    for (let i = 0; i < 100; i++) assert.equal(guard.admit('MakeMove', 'UserMove', 0), 0);
    assert.equal(guard.admit('ReQueue', 'GameEnd', 0), 0);
    assert.equal(guard.admit('MakeMove', 'GameEnd', 0), 0);
    assert.equal(guard.admit('MakeMove', 'GameEnd', 0), 1000);
  });

  it('illegal moves are charged afterwards, and even an asked-for move waits out the debt', () => {
    const guard = guardOf(book());
    for (let i = 0; i < 3; i++) guard.moveRefused(0);
    assert.equal(guard.admit('MakeMove', 'UserMove', 0), 2000);
    assert.equal(guard.admit('LogOut', 'UserMove', 0), 2000);
    assert.equal(guard.admit('MakeMove', 'UserMove', 2000), 0);
  });

  it('logins have their own, stricter bucket', () => {
    const guard = guardOf(book());
    assert.equal(guard.admit('Connect', 'Unauthenticated', 0), 0);
    assert.equal(guard.admit('Connect', 'Unauthenticated', 0), 1000);
    assert.equal(guard.admit('LogOut', 'InQueue', 0), 0, 'other messages still have tokens');
  });

  it('an address holds at most --max-tls-handshakes-per-address handshakes in progress', () => {
    const shared = new AddressBook(
      limits({ maxTlsHandshakesPerAddress: 2, tlsHandshakeRatePerAddress: { perSecond: 5, burst: 20 } }),
    );
    const guards = [guardOf(shared), guardOf(shared), guardOf(shared)];
    const [first, second, third] = guards;
    assert.equal(first?.admitHandshake(0), undefined);
    assert.equal(second?.admitHandshake(0), undefined);
    assert.equal(third?.admitHandshake(0), 'tls-address-busy');
    const elsewhere = shared.admit('127.0.10.2', 0);
    assert.ok(elsewhere.ok);
    assert.equal(elsewhere.guard.admitHandshake(0), undefined, 'another address is not affected');
    first?.handshakeEnded();
    first?.handshakeEnded();
    assert.equal(third?.admitHandshake(0), undefined, 'an ended handshake frees its place, once');
    assert.equal(guardOf(shared).admitHandshake(0), 'tls-address-busy');
    second?.release();
    assert.equal(guardOf(shared).admitHandshake(0), undefined, 'a closed connection frees its place');
  });

  it('the address bucket is shared by all connections from the address', () => {
    const shared = book();
    const [first, second] = [guardOf(shared), guardOf(shared)];
    assert.equal(first.admit('LogOut', 'InQueue', 0), 0);
    assert.equal(first.admit('LogOut', 'InQueue', 0), 0);
    assert.equal(second.admit('LogOut', 'InQueue', 0), 0);
    assert.equal(second.admit('LogOut', 'InQueue', 0), 1000);
  });
});
