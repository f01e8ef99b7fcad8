import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SeekList } from '../../../src/common/api-types.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { loginV2, seek } from '../../support/v2-game.js';
import { waitUntil } from '../../support/wait.js';

/* GET /api/seeks: who waits in the version-2 queues, from a real server's memory. */

async function seeks(server: TestServer): Promise<{ status: number; body: SeekList }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/seeks`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as SeekList };
}

describe('GET /api/seeks (real server, raw version-2 clients)', () => {
  const clock = new ManualClock();
  let server: TestServer;
  const clients: RawClient[] = [];

  before(async () => {
    server = await startTestServer({ clock });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  it('lists two seekers of different time controls, longest wait first, and not a version-1 player', async () => {
    const [early = '', late = '', classic = ''] = await addPlayers(server.store, 'seeker', 3);
    assert.deepEqual((await seeks(server)).body, { total: 0, seeks: [] });

    const first = await RawClient.connectV2(server.port);
    clients.push(first);
    const earlyIn = await loginV2(first, early);
    await seek(first, 180, 2);
    clock.advance(7000);
    const second = await RawClient.connectV2(server.port);
    clients.push(second);
    const lateIn = await loginV2(second, late);
    await seek(second, 600, 5);
    const version1 = await RawClient.connect(server.port);
    clients.push(version1);
    await version1.login(classic, TEST_PASSWORD);
    clock.advance(3000);

    const answer = await seeks(server);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      total: 2,
      seeks: [
        {
          name: early,
          rating: earlyIn.rating,
          timeControl: { initialSeconds: 180, incrementSeconds: 2 },
          waitingSeconds: 10,
        },
        {
          name: late,
          rating: lateIn.rating,
          timeControl: { initialSeconds: 600, incrementSeconds: 5 },
          waitingSeconds: 3,
        },
      ],
    });

    first.send({ type: 'LeaveQueue' });
    // LeaveQueue has no answer: each look moves the clock past the 1 s answer cache.
    await waitUntil(async () => {
      clock.advance(1001);
      const names = (await seeks(server)).body.seeks.map((waiting) => waiting.name);
      return names.length === 1 && names[0] === late;
    }, 'the player who left the queue is no longer listed');
  });
});
