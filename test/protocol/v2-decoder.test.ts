import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AnyMessage, type DecodeResult, encodeMessage, StreamDecoder } from '../../src/protocol/index.js';
import { anyMessageV2 } from '../support/arbitraries.js';
import { GOLDEN_V2 } from '../support/golden-v2.js';
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

function drain<M extends AnyMessage>(decoder: StreamDecoder<M>, into: M[]): DecodeResult<M> {
  for (;;) {
    const result = decoder.next();
    if (result.kind !== 'message') return result;
    into.push(result.message);
  }
}

/** Feeds `chunks` one by one, draining after each; returns the messages and the last result. */
function feed<M extends AnyMessage>(decoder: StreamDecoder<M>, chunks: readonly Uint8Array[]) {
  const messages: M[] = [];
  let last: DecodeResult<M> = { kind: 'incomplete', buffered: 0 };
  for (const chunk of chunks) {
    decoder.push(chunk);
    last = drain(decoder, messages);
  }
  return { messages, last };
}

const GOLDEN_STREAM = concat(GOLDEN_V2.map(([, , hex]) => fromHex(hex)));
const GOLDEN_MESSAGES = GOLDEN_V2.map(([, message]) => message);

describe('StreamDecoder, version 2', () => {
  it('decodes the golden stream cut at every single point', () => {
    for (let cut = 0; cut <= GOLDEN_STREAM.length; cut++) {
      const { messages, last } = feed(StreamDecoder.forVersion(2), [
        GOLDEN_STREAM.subarray(0, cut),
        GOLDEN_STREAM.subarray(cut),
      ]);
      assert.deepEqual(last, { kind: 'incomplete', buffered: 0 }, `cut at ${cut}`);
      assert.deepEqual(messages, GOLDEN_MESSAGES, `cut at ${cut}`);
    }
  });

  it('decodes the golden stream byte by byte, and cut at every pair of points', () => {
    const oneByOne = Array.from(GOLDEN_STREAM, (byte) => Uint8Array.of(byte));
    assert.deepEqual(feed(StreamDecoder.forVersion(2), oneByOne).messages, GOLDEN_MESSAGES);
    // Pairs of cuts inside the first messages, where every field kind appears (Resume .. YourMove).
    const window = Math.min(GOLDEN_STREAM.length, 200);
    for (let first = 0; first <= window; first += 3) {
      for (let second = first; second <= window; second += 5) {
        const chunks = [
          GOLDEN_STREAM.subarray(0, first),
          GOLDEN_STREAM.subarray(first, second),
          GOLDEN_STREAM.subarray(second),
        ];
        assert.deepEqual(feed(StreamDecoder.forVersion(2), chunks).messages, GOLDEN_MESSAGES, `${first}/${second}`);
      }
    }
  });

  it('any split of a random version-2 stream decodes to the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessageV2, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (messages, cuts) => {
          const stream = concat(messages.map(encodeMessage));
          const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let previous = 0;
          for (const point of [...points, stream.length]) {
            chunks.push(stream.subarray(previous, point));
            previous = point;
          }
          const decoder = StreamDecoder.forVersion(2);
          const result = feed(decoder, chunks);
          assert.deepEqual(result.messages, messages);
          assert.equal(decoder.bufferedBytes, 0);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a version-2 decoder calls version-1-only types unknown, and a version-1 decoder the new ones', () => {
    for (const byte of [0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x16, 0x31, 0x3c]) {
      const result = withBytes(StreamDecoder.forVersion(2), [byte]).next();
      assert.equal(result.kind === 'error' && result.error.text, `unknown message type 0x${hex(byte)}`);
    }
    for (const byte of [0x10, 0x11, 0x13, 0x19, 0x1a, 0x20, 0x27, 0x2b, 0x2c, 0x2d, 0x30, 0x3b]) {
      const result = withBytes(new StreamDecoder(), [byte]).next();
      assert.equal(result.kind === 'error' && result.error.code, 'UNKNOWN_TYPE');
    }
  });

  it('reports a malformed path as BAD_FIELD at the start of its message, whole or split, and stays failed', () => {
    const bad = fromHex(`12130e${'00'.repeat(13)}`); // LeaveQueue, then a MovePath with count 14
    for (let cut = 0; cut <= bad.length; cut++) {
      const decoder = StreamDecoder.forVersion(2);
      const { messages, last } = feed(decoder, [bad.subarray(0, cut), bad.subarray(cut)]);
      assert.deepEqual(messages, [{ type: 'LeaveQueue' }]);
      assert.equal(last.kind, 'error', `cut at ${cut}`);
      if (last.kind !== 'error') continue;
      assert.deepEqual(
        { ...last.error },
        { code: 'BAD_FIELD', byte: 0x13, streamOffset: 1, text: 'bad MovePath.path: path count 14 is outside 2..13' },
      );
      decoder.push(Uint8Array.of(0x12));
      assert.deepEqual(decoder.next(), last);
    }
  });
});

describe('StreamDecoder before login (a server connection)', () => {
  it('accepts every version-1 type and Resume, nothing else of version 2', () => {
    const login = StreamDecoder.beforeLogin();
    login.push(fromHex(`0b${'10'}02${'00'.repeat(32)}0c`));
    const messages: AnyMessage[] = [];
    assert.deepEqual(drain(login, messages), { kind: 'incomplete', buffered: 0 });
    assert.deepEqual(
      messages.map((m) => m.type),
      ['ReQueue', 'Resume', 'LogOut'],
    );
    const seek = withBytes(StreamDecoder.beforeLogin(), [0x11, 0x2c, 0x01, 0x03]).next();
    assert.equal(seek.kind === 'error' && seek.error.text, 'unknown message type 0x11');
  });

  it('switches to the session version for the next message: a version-2 login then a Seek', () => {
    const decoder = StreamDecoder.beforeLogin();
    const resume = encodeMessage({ type: 'Resume', version: 2, username: 'cam', token: new Uint8Array(16) });
    decoder.push(concat([resume, fromHex('112c01'), fromHex('03')]));
    assert.equal(decoder.next().kind === 'message' && decoder.codes, 'login');
    decoder.useCodes(2);
    const seek = decoder.next();
    assert.deepEqual(seek, { kind: 'message', message: { type: 'Seek', initialSeconds: 300, incrementSeconds: 3 } });
  });

  it('after a version-1 login it is exactly the version-1 decoder: Resume is unknown again', () => {
    const decoder = StreamDecoder.beforeLogin();
    decoder.push(encodeMessage({ type: 'Connect', version: 1, username: 'cam', password: 'mac' }));
    assert.equal(decoder.next().kind, 'message');
    decoder.useCodes(1);
    decoder.push(Uint8Array.of(0x10));
    const result = decoder.next();
    assert.deepEqual(result.kind === 'error' && { ...result.error }, {
      code: 'UNKNOWN_TYPE',
      byte: 0x10,
      streamOffset: 34,
      text: 'unknown message type 0x10',
    });
  });

  it('a message begun under one set of codes finishes under it', () => {
    const decoder = StreamDecoder.beforeLogin();
    const resume = encodeMessage({ type: 'Resume', version: 2, username: 'cam', token: new Uint8Array(16) });
    decoder.push(resume.subarray(0, 5));
    assert.equal(decoder.next().kind, 'incomplete');
    decoder.useCodes(1);
    decoder.push(resume.subarray(5));
    const result = decoder.next();
    assert.equal(result.kind === 'message' && result.message.type, 'Resume');
  });
});

describe('StreamDecoder on arbitrary bytes', () => {
  for (const [label, make] of [
    ['version 2', () => StreamDecoder.forVersion(2)],
    ['before login', () => StreamDecoder.beforeLogin()],
  ] as const) {
    it(`${label}: never throws, holds less than the largest message, errors only on bytes pushed`, () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 20 }), (chunks) => {
          const decoder: StreamDecoder<AnyMessage> = make();
          let pushed = 0;
          for (const chunk of chunks) {
            decoder.push(chunk);
            pushed += chunk.length;
            const result = drain(decoder, []);
            if (result.kind === 'incomplete') assert.ok(result.buffered < 50 && result.buffered <= pushed);
            if (result.kind === 'error') assert.ok(result.error.streamOffset < pushed);
          }
        }),
        { numRuns: 2000 },
      );
    });
  }
});

function withBytes<M extends AnyMessage>(decoder: StreamDecoder<M>, bytes: number[]): StreamDecoder<M> {
  decoder.push(Uint8Array.from(bytes));
  return decoder;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
