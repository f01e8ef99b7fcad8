import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type DecodeResult, encodeMessage, type Message, StreamDecoder } from '../../src/protocol/index.js';
import { anyMessage } from '../support/arbitraries.js';
import { fromHex } from '../support/hex.js';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    total.set(part, at);
    at += part.length;
  }
  return total;
}

/** Cuts `bytes` at the given (unsorted, possibly repeated) positions. */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let previous = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(previous, point));
    previous = point;
  }
  return chunks;
}

function drain(decoder: StreamDecoder, into: Message[]): DecodeResult {
  for (;;) {
    const result = decoder.next();
    if (result.kind !== 'message') return result;
    into.push(result.message);
  }
}

describe('StreamDecoder', () => {
  it('decodes several messages from one chunk', () => {
    const decoder = new StreamDecoder();
    decoder.push(fromHex('0b0c0656'));
    const messages: Message[] = [];
    assert.deepEqual(drain(decoder, messages), { kind: 'incomplete', buffered: 0 });
    assert.deepEqual(messages, [{ type: 'ReQueue' }, { type: 'LogOut' }, { type: 'MakeMove', move: 0x56 }]);
  });

  it('holds a half message and says how many bytes it holds', () => {
    const decoder = new StreamDecoder();
    const connect = fromHex('010163616d000000000000000000000000006d616300000000000000000000000000');
    decoder.push(connect.subarray(0, 10));
    assert.deepEqual(decoder.next(), { kind: 'incomplete', buffered: 10 });
    assert.equal(decoder.bufferedBytes, 10);
    decoder.push(connect.subarray(10, 33));
    assert.deepEqual(decoder.next(), { kind: 'incomplete', buffered: 33 });
    decoder.push(connect.subarray(33));
    const result = decoder.next();
    assert.equal(result.kind, 'message');
    assert.equal(decoder.bufferedBytes, 0);
    assert.deepEqual(decoder.next(), { kind: 'incomplete', buffered: 0 });
  });

  it('reports an unknown type with the offending byte and its offset, and stays failed', () => {
    const decoder = new StreamDecoder();
    decoder.push(fromHex('0b0cff0b'));
    assert.equal(decoder.next().kind, 'message');
    assert.equal(decoder.next().kind, 'message');
    const failure = decoder.next();
    assert.equal(failure.kind, 'error');
    if (failure.kind === 'error') {
      assert.equal(failure.error.code, 'UNKNOWN_TYPE');
      assert.equal(failure.error.byte, 0xff);
      assert.equal(failure.error.streamOffset, 2);
      assert.match(failure.error.text, /0xff/);
    }
    decoder.push(fromHex('0b'));
    assert.deepEqual(decoder.next(), failure);
  });

  it('treats a TLS ClientHello first byte (0x16) and 0x00 as unknown types', () => {
    for (const byte of [0x00, 0x0e, 0x16, 0x80]) {
      const decoder = new StreamDecoder();
      decoder.push(Uint8Array.of(byte));
      const result = decoder.next();
      assert.equal(result.kind === 'error' && result.error.byte, byte);
    }
  });

  it('any split of a concatenated stream decodes to the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (messages, cuts) => {
          const stream = concat(messages.map(encodeMessage));
          const decoder = new StreamDecoder();
          const decoded: Message[] = [];
          for (const chunk of split(stream, cuts)) {
            decoder.push(chunk);
            const result = drain(decoder, decoded);
            assert.equal(result.kind, 'incomplete');
          }
          assert.deepEqual(decoded, messages);
          assert.equal(decoder.bufferedBytes, 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes in arbitrary chunks, and errors exactly at the first unknown type', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const decoder = new StreamDecoder();
        let pushed = 0;
        for (const chunk of chunks) {
          decoder.push(chunk);
          pushed += chunk.length;
          const decoded: Message[] = [];
          const result = drain(decoder, decoded);
          if (result.kind === 'incomplete') assert.ok(result.buffered < 35 && result.buffered <= pushed);
          if (result.kind === 'error') assert.ok(result.error.streamOffset < pushed);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
