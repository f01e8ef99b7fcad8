import { decodeKnown, fieldProblem, hasCheckedFields, hex } from './codec.js';
import {
  type AnyMessage,
  definitionForCodeIn,
  MAX_MESSAGE_SIZE,
  type Message,
  type MessageDefinition,
  type MessageV2,
  type ProtocolVersion,
} from './messages.js';

const EMPTY = new Uint8Array(0);

/**
 * Which type bytes a decoder accepts: one version's, or 'login' for a server
 * connection before login (every version-1 type, so that a version-1 client
 * meets exactly today's decoder, plus Resume and Guest, whose version byte
 * picks the session's version like Connect's).
 */
export type DecoderCodes = ProtocolVersion | 'login';

type CodeLookup = readonly (MessageDefinition | undefined)[];

function lookupFor(codes: DecoderCodes): CodeLookup {
  const lookup: (MessageDefinition | undefined)[] = [];
  for (let code = 0; code < 256; code++) {
    lookup.push(
      codes === 'login'
        ? (definitionForCodeIn(code, 1) ?? (LOGIN_CODES_V2.has(code) ? definitionForCodeIn(code, 2) : undefined))
        : definitionForCodeIn(code, codes),
    );
  }
  return lookup;
}

/** The version-2 logins a connection may open with besides Connect: Resume (0x10) and Guest (0x1a). */
export const LOGIN_CODES_V2: ReadonlySet<number> = new Set([0x10, 0x1a]);
const LOOKUPS: Readonly<Record<DecoderCodes, CodeLookup>> = {
  1: lookupFor(1),
  2: lookupFor(2),
  login: lookupFor('login'),
};
const CHECKED = new Set<MessageDefinition>(
  [...LOOKUPS[1], ...LOOKUPS[2]].filter((d): d is MessageDefinition => d !== undefined && hasCheckedFields(d)),
);

/**
 * UNKNOWN_TYPE: a type byte the accepted codes lack. BAD_FIELD: a whole
 * message with a malformed field (a path, a flag, or a value above its field's max).
 */
export type DecodeErrorCode = 'UNKNOWN_TYPE' | 'BAD_FIELD';

export interface DecodeError {
  readonly code: DecodeErrorCode;
  /** The offending type byte. */
  readonly byte: number;
  /** Position of that byte counted from the first byte ever pushed. */
  readonly streamOffset: number;
  readonly text: string;
}

export type DecodeResult<M extends AnyMessage = Message> =
  | { readonly kind: 'message'; readonly message: M }
  /** No whole message is buffered; `buffered` bytes of an incomplete one are held. */
  | { readonly kind: 'incomplete'; readonly buffered: number }
  | { readonly kind: 'error'; readonly error: DecodeError };

/**
 * Turns any chunking of a byte stream into messages. `new StreamDecoder()`
 * decodes version 1 exactly as it always has; `StreamDecoder.forVersion(2)`
 * and `StreamDecoder.beforeLogin()` make the others, and `useCodes` switches
 * the accepted type bytes (a server does so once a login fixes the version,
 * before it asks for the next message: the codes apply to messages not yet
 * started).
 *
 * It keeps references to pushed chunks and copies only a message that spans
 * two chunks, into one fixed scratch buffer of the largest message size, so it
 * allocates nothing in proportion to its input beyond what the caller pushes;
 * callers bound that by reading again only once `next()` has drained the
 * chunks. It never throws on input: an unknown type byte or a malformed
 * field is reported as an error, and the decoder stays in that error from
 * then on.
 */
export class StreamDecoder<M extends AnyMessage = Message> {
  /** A decoder of one version's messages (a client knows its version from the start). */
  static forVersion(version: 1): StreamDecoder<Message>;
  static forVersion(version: 2): StreamDecoder<MessageV2>;
  static forVersion(version: ProtocolVersion): StreamDecoder<AnyMessage>;
  static forVersion(version: ProtocolVersion): StreamDecoder<AnyMessage> {
    return new StreamDecoder<AnyMessage>(version);
  }

  /** A server connection's decoder before login: version 1's types plus Resume and Guest. */
  static beforeLogin(): StreamDecoder<AnyMessage> {
    return new StreamDecoder('login');
  }

  #lookup: CodeLookup;
  #codes: DecoderCodes;
  readonly #chunks: Uint8Array[] = [];
  #chunkIndex = 0;
  #offset = 0;
  readonly #partial = new Uint8Array(MAX_MESSAGE_SIZE);
  #partialLength = 0;
  #consumed = 0;
  /** The definition of the message in the scratch buffer, fixed by the codes accepted when it began. */
  #partialDefinition: MessageDefinition | undefined;
  #error: DecodeError | undefined;

  constructor(codes: DecoderCodes = 1) {
    this.#codes = codes;
    this.#lookup = LOOKUPS[codes];
  }

  get codes(): DecoderCodes {
    return this.#codes;
  }

  /** Accepts `codes`' type bytes from the next message not yet started on. */
  useCodes(codes: DecoderCodes): void {
    this.#codes = codes;
    this.#lookup = LOOKUPS[codes];
  }

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

  next(): DecodeResult<M> {
    if (this.#error) return { kind: 'error', error: this.#error };
    if (this.#partialLength > 0) return this.#continuePartial();
    const chunk = this.#currentChunk();
    if (!chunk) return { kind: 'incomplete', buffered: 0 };
    const code = chunk[this.#offset] ?? 0;
    const definition = this.#lookup[code];
    if (!definition) return this.#fail(code, this.#consumed);
    if (chunk.length - this.#offset >= definition.size) {
      const result = this.#decodeWhole(definition, chunk, this.#offset, this.#consumed);
      if (result.kind === 'message') this.#advance(definition.size);
      return result;
    }
    return this.#continuePartial();
  }

  #decodeWhole(
    definition: MessageDefinition,
    source: Uint8Array,
    offset: number,
    streamStart: number,
  ): DecodeResult<M> {
    if (CHECKED.has(definition)) {
      const problem = fieldProblem(definition, source, offset);
      if (problem) return this.#fail(definition.code, streamStart, 'BAD_FIELD', problem);
    }
    return { kind: 'message', message: decodeKnown(definition, source, offset) as M };
  }

  /** Moves bytes into the scratch buffer until the message there is whole or the chunks run out. */
  #continuePartial(): DecodeResult<M> {
    for (;;) {
      const chunk = this.#currentChunk();
      const code = this.#partialLength > 0 ? (this.#partial[0] ?? 0) : (chunk?.[this.#offset] ?? 0);
      const size = this.#partialDefinition?.size ?? this.#lookup[code]?.size ?? 1;
      if (this.#partialLength === size) {
        this.#partialLength = 0;
        const definition = this.#partialDefinition ?? this.#lookup[code];
        this.#partialDefinition = undefined;
        if (!definition) return this.#fail(code, this.#consumed);
        return this.#decodeWhole(definition, this.#partial, 0, this.#consumed - size);
      }
      if (!chunk) return { kind: 'incomplete', buffered: this.#partialLength };
      if (this.#partialLength === 0) this.#partialDefinition = this.#lookup[code];
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

  #fail(byte: number, streamOffset: number, code: DecodeErrorCode = 'UNKNOWN_TYPE', text?: string): DecodeResult<M> {
    this.#error = { code, byte, streamOffset, text: text ?? `unknown message type 0x${hex(byte)}` };
    return { kind: 'error', error: this.#error };
  }
}
