import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextPhase, type Phase, readLine, scriptLineReady } from '../../src/client/input-phase.js';

describe("the terminal client's input phases", () => {
  it('a game goes queue -> game -> play-again -> queue, and asks before leaving', () => {
    assert.equal(nextPhase('queue', 'game-started'), 'game');
    assert.equal(nextPhase('game', 'leave-asked'), 'confirm-quit');
    assert.equal(nextPhase('confirm-quit', 'play-on'), 'game');
    assert.equal(nextPhase('confirm-quit', 'game-ended'), 'play-again');
    assert.equal(nextPhase('play-again', 'requeued'), 'queue');
    // Leaving outside a game needs no question.
    assert.equal(nextPhase('queue', 'leave-asked'), undefined);
  });

  it('a dropped game reconnects, logs in again, and takes the game back or finds it gone', () => {
    for (const phase of ['game', 'confirm-quit', 'rejoining', 'rejoined', 'reconnecting', 'ask-reconnect'] as const) {
      assert.equal(nextPhase(phase, 'reconnect-waiting'), 'reconnecting', phase);
    }
    assert.equal(nextPhase('reconnecting', 'relogging-in'), 'rejoining');
    assert.equal(nextPhase('reconnecting', 'reconnects-exhausted'), 'ask-reconnect');
    assert.equal(nextPhase('rejoining', 'relogged-in'), 'rejoined');
    assert.equal(nextPhase('rejoined', 'game-started'), 'game');
    assert.equal(nextPhase('rejoined', 'game-gone'), 'queue');
    // The login's own QueuePosition is not yet news that the game is gone.
    assert.equal(nextPhase('rejoining', 'game-gone'), undefined);
    assert.equal(nextPhase('queue', 'reconnect-waiting'), undefined);
  });

  it('nothing leaves done', () => {
    for (const event of [
      'game-started',
      'game-ended',
      'reconnect-waiting',
      'reconnects-exhausted',
      'finished',
    ] as const) {
      assert.equal(nextPhase('done', event), undefined, event);
    }
    assert.equal(nextPhase('play-again', 'finished'), 'done');
  });

  it('reads a line by the phase it is typed in', () => {
    const kind = (phase: Phase, line: string) => readLine(phase, line).kind;
    assert.equal(kind('play-again', ''), 'requeue');
    assert.equal(kind('play-again', 'No'), 'quit');
    assert.deepEqual(readLine('play-again', 'maybe'), { kind: 'say', text: 'Please answer y or n.' });
    assert.equal(kind('confirm-quit', 'y'), 'quit');
    assert.equal(kind('confirm-quit', ''), 'play-on');
    assert.equal(kind('ask-reconnect', 'yes'), 'reconnect');
    assert.equal(kind('ask-reconnect', 'n'), 'give-up');
    assert.equal(kind('rejoining', 'quit'), 'give-up');
    assert.equal(kind('reconnecting', 'board'), 'say');
    assert.equal(kind('game', 'RESIGN'), 'leave');
    assert.equal(kind('queue', '?'), 'help');
    assert.deepEqual(readLine('game', '11-15'), { kind: 'move', text: '11-15' });
  });

  it('holds a scripted move until it is the player’s turn, and everything while reconnecting', () => {
    const waiting = { awaitingMyMove: false, stuck: false };
    assert.equal(scriptLineReady('queue', 'moves', waiting), true);
    assert.equal(scriptLineReady('queue', '11-15', waiting), false);
    assert.equal(scriptLineReady('game', '11-15', waiting), false);
    assert.equal(scriptLineReady('game', '11-15', { awaitingMyMove: true, stuck: false }), true);
    assert.equal(scriptLineReady('game', '11-15', { awaitingMyMove: false, stuck: true }), true);
    assert.equal(scriptLineReady('reconnecting', 'quit', waiting), false);
    assert.equal(scriptLineReady('play-again', 'y', waiting), true);
  });
});
