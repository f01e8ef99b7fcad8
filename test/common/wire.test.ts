import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWireBoard, moveByteOf, readMoveByte, toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { DIRECTIONS } from '../../src/game/squares.js';
import { legalSteps, newV1Game, playV1Step } from '../../src/game/v1.js';
import { readBoard, type WireBoard, writeBoard } from '../../src/protocol/index.js';
import { fromHex, toHex } from '../support/hex.js';
import { seededRandom } from '../support/random.js';

const hexOf = (board: WireBoard) => {
  const bytes = new Uint8Array(24);
  writeBoard(board, bytes, 0);
  return toHex(bytes);
};

describe('positions on the wire (docs/PROTOCOL.md section 10)', () => {
  it('the initial position is the golden starting board for each player', () => {
    assert.equal(hexOf(toWireBoard(INITIAL_POSITION, BLACK)), 'a28020140104a28020140104a28020140104a28020140104');
    assert.equal(hexOf(toWireBoard(INITIAL_POSITION, WHITE)), '820028100145820028100145820028100145820028100145');
  });

  it('after the first player moves (1,5) -> (2,4), both views are the golden boards', () => {
    const from = readMoveByte(0x36);
    assert.deepEqual(from, { from: 8, direction: 2 });
    const outcome = playV1Step(newV1Game(), from.from, from.direction);
    assert.ok(outcome.ok);
    const after = outcome.game.position;
    assert.equal(hexOf(toWireBoard(after, BLACK)), 'a28020140104a28020140104a28020145104a00020140104');
    assert.equal(hexOf(toWireBoard(after, WHITE)), '820028100145820028100145820028104145800028100145');
  });

  it('reads the golden starting board back into the initial position', () => {
    const board = readBoard(fromHex('820028100145820028100145820028100145820028100145'), 0);
    assert.deepEqual(fromWireBoard(board, WHITE, BLACK), { ok: true, position: INITIAL_POSITION });
  });

  it('refuses a board with pieces on light squares, as in the (3,4)/(0,1) golden vector', () => {
    const board = readBoard(fromHex('000000000000000000000000007000000000000000000020'), 0);
    const reading = fromWireBoard(board, BLACK, BLACK);
    assert.equal(reading.ok, false);
    assert.match(reading.ok ? '' : reading.reason, /light square/);
  });

  it('a position survives the trip through either view', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      let game = newV1Game(positionFromSquares({ black: [1, 2, 10, 11], white: [22, 23, 30], kings: [2, 30] }));
      for (let ply = 0; ply < 30 && !game.result; ply++) {
        for (const viewer of [BLACK, WHITE] as const) {
          const reading = fromWireBoard(toWireBoard(game.position, viewer), viewer, game.position.turn);
          assert.deepEqual(reading, { ok: true, position: game.position });
        }
        const steps = legalSteps(game);
        const choice = steps[random(steps.length)];
        if (!choice) break;
        const outcome = playV1Step(game, choice.from, choice.direction);
        assert.ok(outcome.ok);
        game = outcome.game;
      }
    }
  });
});

describe('moves on the wire', () => {
  it('every square and direction survives the trip through a Move byte', () => {
    for (let bit = 0; bit < 32; bit++) {
      for (const direction of DIRECTIONS)
        assert.deepEqual(readMoveByte(moveByteOf(bit, direction)), { from: bit, direction });
    }
  });

  it('a Move on a light square names no playing square (0x56 is x=2, y=5)', () => {
    assert.equal(readMoveByte(0x56), undefined);
  });
});
