import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fenOf } from '../../src/game/fen.js';
import { INITIAL_POSITION } from '../../src/game/position.js';
import type { WorkerReply, WorkerRequest } from '../../src/web/analysis/worker-protocol.js';
import { SHOT_FEN } from '../game/shot-position.js';
import { waitUntil } from '../support/wait.js';

/**
 * The engine worker's message loop, run in this thread: `self` is a stand-in
 * holding what a worker's global scope gives the script (postMessage and
 * onmessage); the search inside is the real one.
 */
const replies: WorkerReply[] = [];
const scope: { postMessage(reply: WorkerReply): void; onmessage: ((event: { data: WorkerRequest }) => void) | null } = {
  postMessage: (reply) => replies.push(reply),
  onmessage: null,
};

function send(request: WorkerRequest): void {
  assert.ok(scope.onmessage, 'the worker listens');
  scope.onmessage({ data: request });
}

const of = (id: number) => replies.filter((reply) => reply.id === id);

describe('the engine worker’s messages', () => {
  before(async () => {
    (globalThis as { self?: unknown }).self = scope;
    await import('../../src/web/analysis/engine-worker.js');
  });

  it('answers each completed depth, then done with the deepest evaluation', async () => {
    send({ type: 'analyse', id: 1, fen: SHOT_FEN, rules: 'standard', maxDepth: 7, timeMs: 60_000 });
    await waitUntil(() => of(1).some((reply) => reply.type === 'done'), 'done', 60_000);
    const progress = of(1).filter((reply) => reply.type === 'progress');
    const depths = progress.map((reply) => (reply.type === 'progress' ? reply.evaluation.depth : 0));
    assert.deepEqual(
      depths,
      [...depths].sort((a, b) => a - b),
      'depths only grow',
    );
    assert.equal(depths[depths.length - 1], 7);
    const done = of(1).at(-1);
    assert.equal(done?.type, 'done');
    assert.equal(done?.type === 'done' ? done.evaluation?.line[0] : '', '27-23');
  });

  it('a cancelled job stops and says nothing more; a newer request replaces the one under way', async () => {
    send({ type: 'analyse', id: 2, fen: fenOf(INITIAL_POSITION), rules: 'standard', maxDepth: 60, timeMs: 60_000 });
    await waitUntil(() => of(2).length > 0, 'a first depth', 60_000);
    send({ type: 'cancel', id: 2 });
    // The slice under way may still finish; after it nothing more comes for job 2.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const afterCancel = of(2).length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(of(2).length, afterCancel, 'no answer after the cancel');
    assert.ok(!of(2).some((reply) => reply.type === 'done'));

    send({ type: 'analyse', id: 3, fen: fenOf(INITIAL_POSITION), rules: 'standard', maxDepth: 60, timeMs: 60_000 });
    send({ type: 'analyse', id: 4, fen: SHOT_FEN, rules: 'standard', maxDepth: 5, timeMs: 60_000 });
    await waitUntil(() => of(4).some((reply) => reply.type === 'done'), 'the newer job done', 60_000);
    assert.deepEqual(of(3), [], 'the replaced job never answers');
  });

  it('a bad position or a version-1 position with a jump pending is an error message, not a crash', async () => {
    send({ type: 'analyse', id: 5, fen: 'B:W33:B1', rules: 'standard', maxDepth: 5, timeMs: 1000 });
    await waitUntil(() => of(5).length > 0, 'an answer', 10_000);
    assert.deepEqual(of(5), [{ type: 'error', id: 5, message: 'no square "33"' }]);
    send({ type: 'analyse', id: 6, fen: 'W:W19:B15', rules: 'v1', maxDepth: 5, timeMs: 1000 });
    await waitUntil(() => of(6).length > 0, 'an answer', 10_000);
    assert.match(of(6)[0]?.type === 'error' ? (of(6)[0] as { message: string }).message : '', /must be settled/);
    // It still works afterwards.
    send({ type: 'analyse', id: 7, fen: SHOT_FEN, rules: 'standard', maxDepth: 3, timeMs: 60_000 });
    await waitUntil(() => of(7).some((reply) => reply.type === 'done'), 'done', 60_000);
  });
});
