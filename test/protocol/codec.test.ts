import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeMessageAt,
  definitionForCode,
  encodeMessage,
  FIELD_SIZES,
  MESSAGE_TABLE,
} from '../../src/protocol/index.js';
import { anyMessage } from '../support/arbitraries.js';

/** Section 3 of PROTOCOL.md: type, name, direction, size. */
const SPEC_TABLE = `
| 0x01 | Connect | C→S | 34 |
| 0x02 | InvalidLogin | S→C | 2 |
| 0x0D | InvalidVersion | S→C | 3 |
| 0x03 | QueuePosition | S→C | 13 |
| 0x04 | GameStart | S→C | 21 |
| 0x05 | YourTurn | S→C | 26 |
| 0x06 | MakeMove | C→S | 2 |
| 0x07 | CompulsoryMove | S→C | 26 |
| 0x08 | InvalidMove | S→C | 26 |
| 0x09 | OpponentDisconnect | S→C | 1 |
| 0x0A | GameOver | S→C | 35 |
| 0x0B | ReQueue | C→S | 1 |
| 0x0C | LogOut | C→S | 1 |`;

describe('message table', () => {
  it('matches the 13 messages of section 3', () => {
    const rows = SPEC_TABLE.trim()
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()));
    assert.equal(MESSAGE_TABLE.length, rows.length);
    for (const [, code, name, direction, size] of rows) {
      const definition = definitionForCode(Number(code));
      assert.ok(definition, `${code} is defined`);
      assert.equal(definition.name, name);
      assert.equal(definition.direction, direction === 'C→S' ? 'toServer' : 'toClient');
      assert.equal(definition.size, Number(size));
    }
  });

  it('each declared size equals the type byte plus its fields', () => {
    for (const definition of MESSAGE_TABLE) {
      const fieldBytes = definition.fields.reduce((sum, field) => sum + FIELD_SIZES[field.kind], 0);
      assert.equal(definition.size, 1 + fieldBytes, definition.name);
    }
  });

  it('every other first byte is unknown', () => {
    const known = new Set<number>(MESSAGE_TABLE.map((definition) => definition.code));
    for (let byte = 0; byte < 256; byte++) assert.equal(definitionForCode(byte) !== undefined, known.has(byte));
  });
});

describe('codec properties', () => {
  it('decode(encode(m)) is m for random messages', () => {
    fc.assert(
      fc.property(anyMessage, (message) => {
        const bytes = encodeMessage(message);
        assert.equal(bytes.length, definitionForCode(bytes[0] ?? -1)?.size);
        assert.deepEqual(decodeMessageAt(bytes, 0), message);
      }),
      { numRuns: 5000 },
    );
  });

  it('encode(decode(bytes)) is the bytes for any bytes of a known type without string garbage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...MESSAGE_TABLE.filter((d) => !d.fields.some((f) => f.kind === 'str16' || f.kind === 'bool8')),
        ),
        fc.uint8Array({ minLength: 34, maxLength: 34 }),
        (definition, body) => {
          const bytes = new Uint8Array(definition.size);
          bytes[0] = definition.code;
          bytes.set(body.subarray(0, definition.size - 1), 1);
          assert.deepEqual(encodeMessage(decodeMessageAt(bytes, 0)), bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
