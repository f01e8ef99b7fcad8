import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenHistory } from '../../src/game/engine/seen-history.js';
import { positionFromFen } from '../../src/game/fen.js';
import { BLACK, type Position } from '../../src/game/position.js';
import { applyMove, legalMoves, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

describe('the history a player rebuilds from the boards of its turns', () => {
  it('matches the game: the 40-move count and the positions since the last capture or man move', () => {
    let compared = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const pick = seededRandom(seed);
      let position = positionFromFen('B:W20,21,K27,K30:B5,9,K14,K23');
      let quiet = 0;
      let positions: Position[] = [];
      let captureSince = false;
      const seen = new SeenHistory();
      for (let ply = 0; ply < 60 && !standardResult(position); ply++) {
        if (position.turn === BLACK) {
          const history = seen.observe(position);
          assert.deepEqual(seen.observe(position), history, 'the same board again changes nothing');
          // After a capture the count restarts at this turn (one ply short if the reply was a king's step).
          if (captureSince) {
            quiet = 0;
            positions = [];
          }
          assert.equal(history.quietPlies, quiet, `seed ${seed} ply ${ply}`);
          assert.deepEqual(history.positions, positions, `seed ${seed} ply ${ply}`);
          if (quiet > 0) compared++;
          captureSince = false;
        }
        const moves = legalMoves(position);
        const move = moves[pick(moves.length)];
        assert.ok(move);
        const kingStep = move.captured === 0 && (position.kings >>> move.from) & 1;
        captureSince ||= move.captured !== 0;
        quiet = kingStep ? quiet + 1 : 0;
        positions = kingStep ? [...positions, position] : [];
        position = applyMove(position, move);
      }
    }
    assert.ok(compared > 100, `${compared} turns compared with a count above 0`);
  });
});
