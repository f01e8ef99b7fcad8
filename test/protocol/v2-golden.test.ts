import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessageAt, encodeMessage, type MessageV2 } from '../../src/protocol/index.js';
import { GOLDEN_V2, NO_PATH, START_FIRST } from '../support/golden-v2.js';
import { fromHex, toHex } from '../support/hex.js';
import { protocolDocument } from '../support/protocol-doc.js';

describe('version-2 golden messages (docs/PROTOCOL.md 12.6)', () => {
  it('cover every version-2 message type', () => {
    const types = new Set(GOLDEN_V2.map(([, message]) => message.type));
    assert.equal(types.size, 41);
  });

  it('every vector is in the document', () => {
    const document = protocolDocument();
    const section = document.slice(document.indexOf('### 12.6 Test vectors'));
    for (const [label, , bytes] of GOLDEN_V2)
      assert.ok(section.includes(`\`${bytes}\``), `12.6 lists ${label}: ${bytes}`);
  });

  for (const [label, message, bytes] of GOLDEN_V2) {
    it(`encodes ${label}`, () => {
      assert.equal(toHex(encodeMessage(message)), bytes);
    });
    it(`decodes ${label}`, () => {
      assert.deepEqual(decodeMessageAt(fromHex(bytes), 0, 2), message);
    });
  }
});

/** A MovePath (or YourMove when `lastPath`) with its 14 path bytes replaced. */
function withPathBytes(pathBytes: number[], lastPath = false): Uint8Array {
  const bytes = lastPath ? fromHex(`22${NO_PATH}${START_FIRST}000000000000000000`) : fromHex(`13${NO_PATH}`);
  bytes.set(pathBytes, 1);
  return bytes;
}

describe('path validation', () => {
  const refusals: ReadonlyArray<readonly [string, number[], RegExp]> = [
    ['count 0 where a path is required', [0], /MovePath\.path: path count 0 is outside 2\.\.13/],
    ['count 1', [1, 9], /path count 1 is outside 2\.\.13/],
    ['count 14', [14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], /path count 14 is outside 2\.\.13/],
    ['square 0 among the first n', [2, 9, 0], /path square 0 is outside 1\.\.32/],
    ['square 33', [2, 33, 9], /path square 33 is outside 1\.\.32/],
    ['a non-zero padding byte', [2, 9, 14, 0, 0, 7], /path padding byte 5 is 7, not 0/],
    ['a non-zero last padding byte', [2, 9, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], /padding byte 13 is 1/],
  ];
  for (const [label, pathBytes, error] of refusals) {
    it(`decoding refuses ${label}`, () => {
      assert.throws(() => decodeMessageAt(withPathBytes(pathBytes), 0, 2), error);
    });
  }

  it('accepts 2 and 13 squares, and squares 1 and 32', () => {
    const longest = [13, 1, 10, 19, 28, 19, 10, 1, 10, 19, 28, 19, 10, 32];
    assert.deepEqual(decodeMessageAt(withPathBytes(longest), 0, 2), { type: 'MovePath', path: longest.slice(1) });
    assert.deepEqual(decodeMessageAt(withPathBytes([2, 32, 1]), 0, 2), { type: 'MovePath', path: [32, 1] });
  });

  it('a lastPath may be all zero (no move yet) but not count 0 with squares', () => {
    const none = decodeMessageAt(withPathBytes([0], true), 0, 2);
    assert.equal(none.type === 'YourMove' && none.lastPath, null);
    assert.throws(
      () => decodeMessageAt(withPathBytes([0, 9, 14], true), 0, 2),
      /YourMove\.lastPath: a path with count 0 \(no move\) must be all zero/,
    );
  });

  it('encoding refuses what the wire cannot carry', () => {
    const refused: unknown[] = [[9], [], Array.from({ length: 14 }, () => 1), [0, 9], [9, 33], [9, 1.5], null];
    for (const path of refused) {
      assert.throws(() => encodeMessage({ type: 'MovePath', path } as MessageV2), RangeError, JSON.stringify(path));
    }
    assert.throws(
      () => encodeMessage({ type: 'Resume', version: 2, username: 'cam', token: new Uint8Array(15) }),
      /Resume\.token must be 16 bytes/,
    );
    assert.throws(() => encodeMessage({ type: 'Seek', initialSeconds: 0x10000, incrementSeconds: 0 }), RangeError);
  });
});
