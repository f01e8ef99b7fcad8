import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeMessageAt,
  definitionFor,
  definitionForCode,
  definitionForCodeIn,
  encodeMessage,
  FIELD_SIZES,
  MAX_MESSAGE_SIZE,
  MESSAGE_TABLE,
  MESSAGE_TABLE_V2,
  PROTOCOL_MESSAGES,
} from '../../src/protocol/index.js';
import { firstByteKind } from '../../src/server/web/http-detect.js';
import { anyMessageV2 } from '../support/arbitraries.js';
import { tableRows } from '../support/protocol-doc.js';

/** docs/PROTOCOL.md 12.2: code, name, direction, size of every version-2 message. */
function documentedV2(): Array<{ code: number; name: string; direction: string; size: number }> {
  const [header, ...rows] = tableRows('### 12.2 Messages');
  assert.deepEqual(header?.slice(0, 4), ['type', 'name', 'direction', 'size']);
  return rows.map(([code = '', name = '', direction = '', size = '']) => ({
    code: Number(code.replace(/`/g, '')),
    name,
    direction: direction === 'C→S' ? 'toServer' : 'toClient',
    size: Number(size),
  }));
}

describe('version-2 message table against docs/PROTOCOL.md 12.2', () => {
  it('has exactly the documented messages, with their codes, directions and sizes', () => {
    const documented = documentedV2();
    assert.equal(documented.length, 41);
    assert.deepEqual(
      MESSAGE_TABLE_V2.map((d) => ({ code: d.code, name: d.name, direction: d.direction, size: d.size })).sort(
        (a, b) => a.code - b.code,
      ),
      documented.sort((a, b) => a.code - b.code),
    );
  });

  it('every declared size, of both versions, equals the type byte plus its fields', () => {
    for (const definition of PROTOCOL_MESSAGES) {
      const fieldBytes = definition.fields.reduce((sum, field) => sum + FIELD_SIZES[field.kind], 0);
      assert.equal(definition.size, 1 + fieldBytes, definition.name);
    }
  });

  it('shares exactly five version-1 messages, unchanged, and puts new codes in 0x10..0x3f without 0x16', () => {
    const shared = MESSAGE_TABLE_V2.filter((d) => (d.versions as readonly number[]).includes(1)).map((d) => d.name);
    assert.deepEqual(shared.sort(), ['Connect', 'InvalidLogin', 'InvalidVersion', 'LogOut', 'QueuePosition']);
    for (const name of shared)
      assert.equal(
        MESSAGE_TABLE.find((d) => d.name === name),
        definitionFor(name),
      );
    for (const definition of MESSAGE_TABLE_V2.filter((d) => !(d.versions as readonly number[]).includes(1))) {
      assert.ok(definition.code >= 0x10 && definition.code <= 0x3f, definition.name);
      assert.notEqual(definition.code, 0x16);
      assert.equal(definitionForCode(definition.code), undefined, `${definition.name} is unknown to version 1`);
    }
  });

  it('a connection that opens with any version-2 message (a Resume, say) is a plain session, not TLS or HTTP', () => {
    for (const definition of MESSAGE_TABLE_V2) assert.equal(firstByteKind(definition.code), 'v1', definition.name);
  });

  it('names and codes are unique within each version', () => {
    assert.equal(new Set(PROTOCOL_MESSAGES.map((d) => d.name)).size, PROTOCOL_MESSAGES.length);
    for (const table of [MESSAGE_TABLE, MESSAGE_TABLE_V2]) {
      assert.equal(new Set(table.map((d) => d.code)).size, table.length);
    }
  });

  it('looks codes up per version: version-1 game messages are unknown to version 2', () => {
    for (const code of [0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b]) {
      assert.ok(definitionForCodeIn(code, 1));
      assert.equal(definitionForCodeIn(code, 2), undefined);
    }
    for (let code = 0; code < 256; code++) {
      assert.equal(definitionForCodeIn(code, 1), definitionForCode(code));
      const v2 = definitionForCodeIn(code, 2);
      assert.equal(
        v2 !== undefined,
        MESSAGE_TABLE_V2.some((d) => d.code === code),
      );
    }
  });

  it('MAX_MESSAGE_SIZE is the largest size of any version (GameOver2, 50 bytes)', () => {
    assert.equal(MAX_MESSAGE_SIZE, 50);
    assert.equal(definitionFor('GameOver2').size, 50);
  });
});

describe('version-2 codec properties', () => {
  it('decode(encode(m)) is m for random version-2 messages', () => {
    fc.assert(
      fc.property(anyMessageV2, (message) => {
        const bytes = encodeMessage(message);
        assert.equal(bytes.length, definitionForCodeIn(bytes[0] ?? -1, 2)?.size);
        assert.deepEqual(decodeMessageAt(bytes, 0, 2), message);
      }),
      { numRuns: 3000 },
    );
  });

  it('any bytes of a version-2 type either decode and re-encode to the same bytes, or are a malformed path', () => {
    const exact = MESSAGE_TABLE_V2.filter((d) => !d.fields.some((f) => f.kind === 'str16' || f.kind === 'bool8'));
    fc.assert(
      fc.property(
        fc.constantFrom(...exact),
        fc.uint8Array({ minLength: 49, maxLength: 49 }),
        fc.integer({ min: 0, max: 14 }),
        (definition, body, count) => {
          const bytes = new Uint8Array(definition.size);
          bytes[0] = definition.code;
          bytes.set(body.subarray(0, definition.size - 1), 1);
          // Half the time make the first path field plausible, so both branches are exercised.
          const pathAt = [0x13, 0x22, 0x23, 0x24].includes(definition.code) ? 1 : -1;
          if (pathAt > 0 && count % 2 === 0) {
            bytes[pathAt] = 2 + (count % 12);
            for (let i = 0; i < 13; i++)
              bytes[pathAt + 1 + i] = i < (bytes[pathAt] ?? 0) ? 1 + ((body[i] ?? 0) % 32) : 0;
          }
          let decoded: ReturnType<typeof decodeMessageAt> | undefined;
          try {
            decoded = decodeMessageAt(bytes, 0, 2);
          } catch (error) {
            assert.match(String(error), /^RangeError: bad \w+\.\w+: /);
            return;
          }
          assert.deepEqual(encodeMessage(decoded), bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('u16 is little-endian, and a token comes back as a copy', () => {
    const bytes = encodeMessage({ type: 'OpponentAway', graceSeconds: 0x1234 });
    assert.deepEqual([...bytes], [0x2a, 0x34, 0x12]);
    const token = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    const resume = encodeMessage({ type: 'Resume', version: 2, username: 'cam', token });
    const decoded = decodeMessageAt(resume, 0, 2);
    assert.ok(decoded.type === 'Resume');
    resume.fill(0);
    assert.deepEqual(decoded.token, token);
  });

  it('decoding a version-2 code as version 1 (the default) is an unknown type', () => {
    assert.throws(() => decodeMessageAt(Uint8Array.of(0x14), 0), /unknown message type 0x14/);
    assert.throws(() => decodeMessageAt(Uint8Array.of(0x0b), 0, 2), /unknown message type 0x0b/);
  });
});
