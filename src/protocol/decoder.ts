import { decodeKnown, hex } from './codec.js';
import { definitionForCode, MAX_MESSAGE_SIZE, type Message } from './messages.js';

const EMPTY = new Uint8Array(0);

export type DecodeErrorCode = 'UNKNOWN_TYPE';

export interface DecodeError {
  readonly code: DecodeErrorCode;
  /** The offending type byte. */
  readonly byte: number;
  /** Position of that byte counted from the first byte ever pushed. */
  readonly streamOffset: number;
  readonly text: string;
}

export type DecodeResult =
  | { readonly kind: 'message'; readonly message: Message }
  /** No whole message is buffered; `buffered` bytes of an incomplete one are held. */
  | { readonly kind: 'incomplete'; readonly buffered: number }
  | { readonly kind: 'error'; readonly error: DecodeError };

/**
 * Turns any chunking of a version-1 byte stream into messages.
 *
 * It keeps references to pushed chunks and copies only a message that spans
 * two chunks, into one fixed scratch buffer of the largest message size, so it
 * allocates nothing in proportion to its input beyond what the caller pushes;
 * callers bound that by reading again only once `next()` has drained the
 * chunks. It never throws on input: an unknown type byte is reported as an
 * error, and the decoder stays in that error from then on.
 */
export class StreamDecoder {
  readonly #chunks: Uint8Array[] = [];
  #chunkIndex = 0;
  #offset = 0;
  readonly #partial = new Uint8Array(MAX_MESSAGE_SIZE);
  #partialLength = 0;
  #consumed = 0;
  #error: DecodeError | undefined;

  push(chunk: Uint8Array): void {
    if (chunk.length > 0) this.#chunks.push(chunk);
  }

  /** Bytes held that have not yet been returned as messages. */
  get bufferedBytes(): number {
    let total = this.#partialLength;
    for (let i = this.#chunkIndex; i < this.#chunks.length; i++) {
      total += (this.#chunks[i]?.length ?? 0) - (i === this.#chunkIndex ? this.#offset : 0);
    }
    return total;
  }

  get failed(): DecodeError | undefined {
    return this.#error;
  }

  next(): DecodeResult {
    if (this.#error) return { kind: 'error', error: this.#error };
    if (this.#partialLength > 0) return this.#continuePartial();
    const chunk = this.#currentChunk();
    if (!chunk) return { kind: 'incomplete', buffered: 0 };
    const code = chunk[this.#offset] ?? 0;
    const definition = definitionForCode(code);
    if (!definition) return this.#fail(code);
    if (chunk.length - this.#offset >= definition.size) {
      const message = decodeKnown(definition, chunk, this.#offset);
      this.#advance(definition.size);
      return { kind: 'message', message };
    }
    return this.#continuePartial();
  }

  /** Moves bytes into the scratch buffer until the message there is whole or the chunks run out. */
  #continuePartial(): DecodeResult {
    for (;;) {
      const chunk = this.#currentChunk();
      const code = this.#partialLength > 0 ? (this.#partial[0] ?? 0) : (chunk?.[this.#offset] ?? 0);
      const size = definitionForCode(code)?.size ?? 1;
      if (this.#partialLength === size) {
        this.#partialLength = 0;
        const definition = definitionForCode(code);
        if (!definition) return this.#fail(code);
        return { kind: 'message', message: decodeKnown(definition, this.#partial, 0) };
      }
      if (!chunk) return { kind: 'incomplete', buffered: this.#partialLength };
      const take = Math.min(size - this.#partialLength, chunk.length - this.#offset);
      this.#partial.set(chunk.subarray(this.#offset, this.#offset + take), this.#partialLength);
      this.#partialLength += take;
      this.#advance(take);
    }
  }

  #currentChunk(): Uint8Array | undefined {
    for (;;) {
      const chunk = this.#chunks[this.#chunkIndex];
      if (!chunk) {
        this.#chunks.length = 0;
        this.#chunkIndex = 0;
        this.#offset = 0;
        return undefined;
      }
      if (this.#offset < chunk.length) return chunk;
      this.#chunks[this.#chunkIndex] = EMPTY;
      this.#chunkIndex++;
      this.#offset = 0;
    }
  }

  #advance(bytes: number): void {
    this.#offset += bytes;
    this.#consumed += bytes;
  }

  #fail(byte: number): DecodeResult {
    this.#error = {
      code: 'UNKNOWN_TYPE',
      byte,
      streamOffset: this.#consumed,
      text: `unknown message type 0x${hex(byte)}`,
    };
    return { kind: 'error', error: this.#error };
  }
}
