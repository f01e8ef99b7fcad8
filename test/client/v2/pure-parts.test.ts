import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextPhase2, readLine2, scriptLineReady2 } from '../../../src/client/v2/commands.js';
import { clockText, GameClocks } from '../../../src/client/v2/game-clocks.js';
import { legalPathTexts, readPath } from '../../../src/client/v2/path-input.js';
import { describeTimeControl, parseTimeControl } from '../../../src/client/v2/time-control.js';
import { INITIAL_POSITION, type Position, positionFromSquares, WHITE } from '../../../src/game/position.js';

describe('time controls for --time-control and the prompt', () => {
  it('reads the offered ones and none, and refuses others with the list', () => {
    assert.deepEqual(parseTimeControl('5+3'), { ok: true, timeControl: { initialSeconds: 300, incrementSeconds: 3 } });
    assert.deepEqual(parseTimeControl(' 15 + 10 '), {
      ok: true,
      timeControl: { initialSeconds: 900, incrementSeconds: 10 },
    });
    assert.deepEqual(parseTimeControl('none'), { ok: true, timeControl: { initialSeconds: 0, incrementSeconds: 0 } });
    const refused = parseTimeControl('4+4');
    assert.equal(refused.ok, false);
    assert.match(
      refused.ok ? '' : refused.reason,
      /4\+4 is not offered: the server offers 3\+2, 5\+3, 10\+5, 15\+10, none/,
    );
    assert.equal(parseTimeControl('blitz').ok, false);
    assert.equal(describeTimeControl({ initialSeconds: 180, incrementSeconds: 2 }), '3+2');
    assert.equal(describeTimeControl({ initialSeconds: 0, incrementSeconds: 0 }), 'no clock');
  });
});

describe('both clocks of a game', () => {
  it('counts down only the side to move, and stops', () => {
    const clocks = new GameClocks(true);
    clocks.update(300_000, 299_000, 'me', 1000);
    assert.equal(clocks.status('jen', 1000), 'you *5:00 | jen 4:59');
    assert.equal(clocks.status('jen', 6000), 'you *4:55 | jen 4:59');
    clocks.update(296_000, 299_000, 'opponent', 6000);
    assert.equal(clocks.status('jen', 8500), 'you 4:56 | jen *4:57');
    clocks.stop(8500);
    assert.equal(clocks.status('jen', 60_000), 'you 4:56 | jen 4:57');
  });

  it('warns once at 30 s and once at 10 s on the own clock, only while it runs', () => {
    const clocks = new GameClocks(true);
    clocks.update(31_000, 5000, 'opponent', 0);
    assert.deepEqual(clocks.warningsDue(5000), [], 'the opponent running low is not our warning');
    clocks.update(31_000, 5000, 'me', 0);
    assert.deepEqual(clocks.warningsDue(500), []);
    assert.deepEqual(clocks.warningsDue(1000), [30]);
    assert.deepEqual(clocks.warningsDue(2000), []);
    // Both thresholds passed at once: only the later one is said.
    clocks.update(9000, 5000, 'me', 3000);
    assert.deepEqual(clocks.warningsDue(3000), [10]);
    assert.deepEqual(new GameClocks(false).warningsDue(0), [], 'a no-clock game warns through its move clock instead');
  });

  it('shows tenths under ten seconds and never a negative time', () => {
    assert.equal(clockText(9_450), '0:09.4');
    assert.equal(clockText(-5), '0:00.0');
    assert.equal(clockText(61_001), '1:02');
    assert.equal(clockText(60_000), '1:00');
  });
});

describe('typed paths against the standard rules', () => {
  const capture: Position = positionFromSquares({ black: [13], white: [17, 26], kings: [], turn: 0 });

  it('takes a legal step and a whole capture path', () => {
    assert.deepEqual(readPath(INITIAL_POSITION, '11-15'), { ok: true, squares: [11, 15], text: '11-15' });
    assert.deepEqual(readPath(INITIAL_POSITION, '11 15'), { ok: true, squares: [11, 15], text: '11-15' });
    assert.deepEqual(readPath(capture, '13x22x31'), { ok: true, squares: [13, 22, 31], text: '13x22x31' });
  });

  it('explains a capture path that stops short', () => {
    const reading = readPath(capture, '13x22');
    assert.equal(reading.ok, false);
    assert.match(
      reading.ok ? '' : reading.reason,
      /13x22 stops short: the capture can go on, so give the whole path \(13x22x31\)/,
    );
  });

  it('says a capture is compulsory, with the captures to choose from', () => {
    const reading = readPath(capture, '13-18');
    assert.match(reading.ok ? '' : reading.reason, /a capture is compulsory; you can play 13x22x31/);
  });

  it('says which pieces can move', () => {
    const reading = readPath(INITIAL_POSITION, '1-6');
    assert.match(reading.ok ? '' : reading.reason, /1-6 is not legal; the pieces that can move are on 9, 10, 11 or 12/);
    const from11 = readPath(INITIAL_POSITION, '11-18');
    assert.match(from11.ok ? '' : from11.reason, /the piece on 11 can play 11-15 or 11-16/);
    assert.equal(readPath(INITIAL_POSITION, 'x').ok, false);
    assert.equal(legalPathTexts({ ...INITIAL_POSITION, turn: WHITE }).length, 7);
  });
});

describe("the version-2 terminal client's phases and commands", () => {
  it('game -> game-end -> a rematch or a new seek; a drop resumes into either', () => {
    assert.equal(nextPhase2('queue', 'game-started'), 'game');
    assert.equal(nextPhase2('game', 'game-ended'), 'game-end');
    assert.equal(nextPhase2('game-end', 'game-started'), 'game', 'a rematch');
    assert.equal(nextPhase2('game-end', 'sought'), 'queue');
    assert.equal(nextPhase2('game', 'connection-lost'), 'reconnecting');
    assert.equal(nextPhase2('reconnecting', 'game-started'), 'game');
    assert.equal(nextPhase2('reconnecting', 'game-gone'), 'game-end');
    assert.equal(nextPhase2('queue', 'leave-asked'), undefined, 'leaving the queue needs no question');
    assert.equal(nextPhase2('done', 'finished'), undefined);
  });

  it('reads resign, draw, accept, decline in a game and rematch after it', () => {
    for (const command of ['resign', 'draw', 'accept', 'decline'] as const) {
      assert.deepEqual(readLine2('game', command), { kind: command });
    }
    assert.equal(readLine2('queue', 'resign').kind, 'say');
    assert.equal(readLine2('queue', 'draw').kind, 'say');
    // In the queue, accept and decline answer a challenge (test/client/v2/friends.test.ts).
    assert.deepEqual(readLine2('game', '13x22x31'), { kind: 'move', text: '13x22x31' });
    assert.deepEqual(readLine2('game-end', 'rematch'), { kind: 'rematch' });
    assert.deepEqual(readLine2('game-end', ''), { kind: 'seek' });
    assert.deepEqual(readLine2('game-end', 'n'), { kind: 'quit' });
    assert.deepEqual(readLine2('game', 'quit'), { kind: 'leave' });
    assert.deepEqual(readLine2('confirm-quit', 'y'), { kind: 'quit' });
    assert.deepEqual(readLine2('confirm-quit', 'n'), { kind: 'play-on' });
  });

  it('a script waits with moves for its turn and with accept for an offer', () => {
    const idle = { awaitingMyMove: false, drawOffered: false };
    assert.equal(scriptLineReady2('game', '11-15', idle), false);
    assert.equal(scriptLineReady2('game', '11-15', { ...idle, awaitingMyMove: true }), true);
    assert.equal(scriptLineReady2('game', 'accept', idle), false);
    assert.equal(scriptLineReady2('game', 'accept', { ...idle, drawOffered: true }), true);
    assert.equal(scriptLineReady2('game', 'resign', idle), true);
    assert.equal(scriptLineReady2('queue', '11-15', idle), false);
    assert.equal(scriptLineReady2('reconnecting', 'board', idle), false);
    assert.equal(scriptLineReady2('game', 'rematch', { ...idle, awaitingMyMove: true }), false);
    assert.equal(scriptLineReady2('game-end', 'rematch', idle), true);
    assert.equal(
      scriptLineReady2('game', 'draw', { ...idle, moveInFlight: true }),
      false,
      'the move awaits its answer',
    );
  });
});
