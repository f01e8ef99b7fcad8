import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { other } from '../../../src/game/position.js';
import { legalMoves } from '../../../src/game/standard.js';
import { decodeMessageAt, encodeMessage } from '../../../src/protocol/index.js';
import type { MatchOutput } from '../../../src/server/play/standard-match.js';
import { seededRandom } from '../../support/random.js';
import { newMatch } from './match-setup.js';

/** Every message of an output survives the version-2 codec unchanged. */
function assertEncodable(output: MatchOutput): void {
  for (const { message } of output.outbox) {
    assert.deepEqual(decodeMessageAt(encodeMessage(message), 0, 2), message);
  }
}

/** The whole path of a legal move, as squares 1-32. */
const pathOf = (move: { from: number; path: readonly number[] }) => [move.from, ...move.path].map((bit) => bit + 1);

describe('StandardMatch: random games', () => {
  it('every legal path is played, garbage is refused without a change, and every game ends with GameOver2 to both; every message encodes', () => {
    const terminations = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const { match, clock, expiries } = newMatch({ control: { initialSeconds: 300, incrementSeconds: 3 } });
      assertEncodable(match.start());
      let last: MatchOutput | undefined;
      for (let ply = 0; !match.finished; ply++) {
        assert.ok(ply < 3000, `seed ${seed} does not end`);
        const seat = match.turn;
        const before = match.snapshot();
        const garbage = [1 + random(32), 1 + random(32)];
        const refused = match.applyPath(seat, garbage);
        if (refused.played) {
          last = refused;
          continue;
        }
        assert.equal(refused.changed, false);
        assert.equal(refused.outbox[0]?.message.type, 'IllegalMove');
        assertEncodable(refused);
        assert.deepEqual(match.snapshot(), before, `seed ${seed}: a refused path changes nothing`);
        const snapshot = match.snapshot();
        assert.ok(snapshot);
        const moves = legalMoves(snapshot.position);
        const move = moves[random(moves.length)];
        assert.ok(move);
        clock.advance(random(2_000));
        if (random(50) === 0) {
          const offer = match.offerDraw(random(2) === 0 ? seat : other(seat));
          if (offer.finished) {
            last = offer;
            break;
          }
        }
        last = match.applyPath(seat, pathOf(move));
        assert.ok(last.played, `seed ${seed}: a legal move is played`);
        assertEncodable(last);
        for (const ms of match.clocks()) assert.ok(ms >= 0);
      }
      const output = expiries[0] ?? last;
      assert.ok(output?.finished, `seed ${seed}: the game finished with a record`);
      assertEncodable(output);
      const overs = output.outbox.filter((entry) => entry.message.type === 'GameOver2');
      assert.deepEqual(overs.map((entry) => entry.seat).sort(), [0, 1], `seed ${seed}: ${output.finished.termination}`);
      terminations.add(output.finished.termination);
      assert.equal(clock.pending, 0, `seed ${seed}: no timer outlives the game`);
      assert.equal(match.snapshot(), undefined);
    }
    assert.ok(terminations.size >= 3, `games end in several ways: ${[...terminations].join(', ')}`);
  });
});
