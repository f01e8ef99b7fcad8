import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { MOVE_FLAG_DRAW_OFFERED as DRAW_OFFERED_FLAG } from '../../../src/protocol/index.js';
import { snapshotProblem } from '../../../src/server/play/standard-snapshot.js';
import { kingsOnly, newMatch, only, playAll, restoreAt, snapshotAt, to } from './match-setup.js';

describe('StandardMatch snapshots', () => {
  it('survive JSON and resume the game: position, moves, clocks, a pending draw offer', () => {
    const { match, clock } = newMatch();
    match.start();
    clock.advance(5_000);
    playAll(match, '11-15');
    clock.advance(7_000);
    playAll(match, '22-18');
    match.offerDraw(WHITE);
    clock.advance(3_000);
    const saved = match.snapshot();
    assert.ok(saved);
    assert.deepEqual(saved.clocksMs, [177_000 - 3_000, 175_000], "the mover's clock as it stood when saved");
    const stored = JSON.parse(JSON.stringify(saved));
    assert.equal(snapshotProblem(stored), undefined);
    assert.deepEqual(stored, saved);

    const { match: resumed, clock: later, expiries } = restoreAt(stored);
    assert.deepEqual(resumed.snapshot(), saved);
    const greeting = resumed.greet(BLACK);
    const view = to(greeting, BLACK)[1];
    assert.equal(view?.type, 'YourMove');
    if (view?.type === 'YourMove') {
      assert.deepEqual(view.lastPath, [22, 18]);
      assert.equal(view.flags, DRAW_OFFERED_FLAG);
      assert.equal(view.yourClockMs, 174_000);
    }
    assert.equal(only(resumed.applyPath(BLACK, [9, 13]), BLACK, 'IllegalMove').reason, 1);
    const [captured] = playAll(resumed, '15x22');
    assert.equal(
      only(captured ?? assert.fail(), WHITE, 'YourMove').flags,
      0,
      "the offer lapsed on the opponent's move",
    );
    later.advance(175_000);
    assert.equal(expiries[0]?.finished?.termination, 'out-of-time');
    assert.deepEqual(expiries[0]?.finished?.moves, ['11-15', '22-18', '15x22']);
  });

  it('carry the repetition history across a restart', () => {
    const { match } = restoreAt(snapshotAt(kingsOnly));
    playAll(match, '5-9', '28-24', '9-5', '24-28', '5-9', '28-24');
    const saved = JSON.parse(JSON.stringify(match.snapshot()));
    const { match: resumed } = restoreAt(saved);
    const [, last] = playAll(resumed, '9-5', '24-28');
    assert.equal(last?.finished?.termination, 'threefold-repetition');
  });

  it('a damaged snapshot is refused with what is wrong', () => {
    const good = snapshotAt(kingsOnly);
    assert.equal(snapshotProblem(good), undefined);
    const cases: Array<[unknown, string]> = [
      [null, 'not an object'],
      [{ ...good, id: -1 }, 'no game id'],
      [{ ...good, white: { name: 'x' } }, 'white: not a player'],
      [{ ...good, control: { initialSeconds: 60, incrementSeconds: 0 } }, 'no supported time control'],
      [{ ...good, position: { ...good.position, white: good.position.black } }, 'a square holds both colours'],
      [{ ...good, position: { ...good.position, turn: 2 } }, 'no side to move'],
      [{ ...good, seen: [] }, 'no repetition history'],
      [{ ...good, lastPath: [0, 40] }, 'a last path that is not squares 1-32'],
      [{ ...good, clocksMs: [1] }, 'no clocks'],
      [{ ...good, drawOffer: 3 }, 'a draw offer by no seat'],
      [{ ...good, startedAt: 'yesterday' }, 'no start time'],
    ];
    for (const [value, problem] of cases) assert.equal(snapshotProblem(value), problem);
    assert.throws(
      () => restoreAt({ ...good, position: { ...good.position, white: good.position.black } }),
      /game 9 cannot be resumed: a square holds both colours/,
    );
  });
});
