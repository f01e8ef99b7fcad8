import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerCache } from '../../../src/server/web/answer-cache.js';
import type { ApiResponse } from '../../../src/server/web/http-types.js';

/** A computation that counts its calls and answers `status` with the call's number. */
function counter(status = 200): { compute: () => Promise<ApiResponse>; calls: () => number } {
  let calls = 0;
  return {
    compute: async () => {
      calls++;
      return { status, body: { call: calls } };
    },
    calls: () => calls,
  };
}

describe('the answer cache of public pages', () => {
  it('answers the same key from one computation during its lifetime, as JSON text, then computes again', async () => {
    const cache = new AnswerCache();
    const { compute, calls } = counter();
    const first = await cache.answer('/api/live', 0, 1000, compute);
    assert.equal(first.body, '{"call":1}');
    assert.equal(first.headers?.['Content-Type'], 'application/json; charset=utf-8');
    assert.equal((await cache.answer('/api/live', 999, 1000, compute)).body, '{"call":1}');
    assert.equal(calls(), 1);
    assert.equal((await cache.answer('/api/live', 1000, 1000, compute)).body, '{"call":2}');
    assert.equal((await cache.answer('/api/live?limit=5', 1000, 1000, compute)).body, '{"call":3}');
  });

  it('requests that arrive while an answer is computed share it', async () => {
    const cache = new AnswerCache();
    const { compute, calls } = counter();
    const answers = await Promise.all([0, 1, 2].map(() => cache.answer('/api/games', 0, 1000, compute)));
    assert.equal(calls(), 1);
    assert.deepEqual(
      answers.map((answer) => answer.body),
      Array(3).fill('{"call":1}'),
    );
  });

  it('keeps no server error and no failure', async () => {
    const cache = new AnswerCache();
    const failing = counter(503);
    await cache.answer('/api/games', 0, 1000, failing.compute);
    await cache.answer('/api/games', 1, 1000, failing.compute);
    assert.equal(failing.calls(), 2);
    await assert.rejects(cache.answer('/api/live', 0, 1000, () => Promise.reject(new Error('disk'))));
    const { compute, calls } = counter();
    await cache.answer('/api/live', 1, 1000, compute);
    assert.equal(calls(), 1);
  });

  it('holds at most its bound of answers, dropping the oldest', async () => {
    const cache = new AnswerCache(3);
    const { compute } = counter();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await cache.answer(`/api/players/${name}`, 0, 60_000, compute);
    assert.equal(cache.size, 3);
    const again = counter();
    await cache.answer('/api/players/e', 1, 60_000, again.compute);
    await cache.answer('/api/players/a', 1, 60_000, again.compute);
    assert.equal(again.calls(), 1, 'the newest answer was kept, the oldest dropped');
  });
});
