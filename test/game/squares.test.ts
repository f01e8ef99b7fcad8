import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BIT_COORDINATES,
  bitCount,
  bitOf,
  DIRECTIONS,
  JUMP,
  lowestBit,
  opposite,
  STEP,
  shift,
} from '../../src/game/squares.js';

const at = (square: number) => BIT_COORDINATES[square - 1];

describe('square numbering (docs/development.md)', () => {
  it('places squares 1-8 and 29-32 as written', () => {
    assert.deepEqual([1, 2, 3, 4].map(at), [
      { x: 1, y: 7 },
      { x: 3, y: 7 },
      { x: 5, y: 7 },
      { x: 7, y: 7 },
    ]);
    assert.deepEqual([5, 6, 7, 8].map(at), [
      { x: 0, y: 6 },
      { x: 2, y: 6 },
      { x: 4, y: 6 },
      { x: 6, y: 6 },
    ]);
    assert.deepEqual([29, 30, 31, 32].map(at), [
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 4, y: 0 },
      { x: 6, y: 0 },
    ]);
  });

  it('"11-15" is (5,5) to (4,4)', () => {
    assert.deepEqual(at(11), { x: 5, y: 5 });
    assert.deepEqual(at(15), { x: 4, y: 4 });
  });

  it('covers exactly the dark squares, each once', () => {
    const seen = new Set(BIT_COORDINATES.map(({ x, y }) => 8 * x + y));
    assert.equal(seen.size, 32);
    for (let x = 0; x < 8; x++) {
      for (let y = 0; y < 8; y++) {
        const bit = bitOf(x, y);
        assert.equal(bit >= 0, (x + y) % 2 === 0, `(${x},${y})`);
        if (bit >= 0) assert.deepEqual(BIT_COORDINATES[bit], { x, y });
      }
    }
    assert.equal(bitOf(8, 0), -1);
    assert.equal(bitOf(-1, 1), -1);
  });
});

describe('neighbour tables and shifts', () => {
  it('a step and its opposite step return to the start', () => {
    for (const direction of DIRECTIONS) {
      for (let bit = 0; bit < 32; bit++) {
        const to = STEP[direction]?.[bit] ?? -1;
        if (to >= 0) assert.equal(STEP[opposite(direction)]?.[to], bit);
        const land = JUMP[direction]?.[bit] ?? -1;
        if (land >= 0) assert.equal(STEP[direction]?.[to], land);
      }
    }
  });

  it('the bit-parallel shift agrees with the tables for every square', () => {
    for (const direction of DIRECTIONS) {
      for (let bit = 0; bit < 32; bit++) {
        const to = STEP[direction]?.[bit] ?? -1;
        assert.equal(shift((1 << bit) >>> 0, direction), to < 0 ? 0 : (1 << to) >>> 0, `bit ${bit} dir ${direction}`);
      }
    }
  });

  it('counts and finds bits', () => {
    assert.equal(bitCount(0xffffffff), 32);
    assert.equal(bitCount(0x80000001), 2);
    assert.equal(lowestBit(0x80000000), 31);
    assert.equal(lowestBit(0b1100), 2);
  });
});
