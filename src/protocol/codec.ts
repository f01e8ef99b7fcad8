import { readBoard, WireBoard, writeBoard } from './board.js';
import {
  type AnyMessage,
  definitionFor,
  definitionForCodeIn,
  FIELD_SIZES,
  type FieldDefinition,
  type FieldKind,
  type Message,
  type MessageDefinition,
  type MessageV2,
  type ProtocolVersion,
  TOKEN_BYTES,
} from './messages.js';
import { pathBytesProblem, readPath, writePath } from './path.js';

/** Length of every string field on the wire. */
export const STRING_BYTES = 16;

/** Encodes one message into a new buffer of exactly its wire size. Throws RangeError on a value the wire cannot carry. */
export function encodeMessage(message: AnyMessage): Uint8Array {
  const definition = definitionFor(message.type);
  const bytes = new Uint8Array(definition.size);
  encodeMessageInto(message, bytes, 0);
  return bytes;
}

/** Writes one message at `offset`; returns the number of bytes written. */
export function encodeMessageInto(message: AnyMessage, target: Uint8Array, offset: number): number {
  const definition = definitionFor(message.type);
  if (target.length - offset < definition.size) {
    throw new RangeError(`${definition.name} needs ${definition.size} bytes, ${target.length - offset} left`);
  }
  target[offset] = definition.code;
  let at = offset + 1;
  const values = message as unknown as Record<string, unknown>;
  for (const field of definition.fields) {
    writeField(field, values[field.name], target, at, `${definition.name}.${field.name}`);
    at += FIELD_SIZES[field.kind];
  }
  return definition.size;
}

/**
 * Decodes the message of `version` (1 unless given) that starts at `offset`.
 * Throws RangeError on an unknown type byte, a short buffer or a malformed
 * field (a path, a flag other than 0 or 1, or a u8 above its field's `max`).
 */
export function decodeMessageAt(source: Uint8Array, offset: number): Message;
export function decodeMessageAt(source: Uint8Array, offset: number, version: 1): Message;
export function decodeMessageAt(source: Uint8Array, offset: number, version: 2): MessageV2;
export function decodeMessageAt(source: Uint8Array, offset: number, version: ProtocolVersion): AnyMessage;
export function decodeMessageAt(source: Uint8Array, offset: number, version: ProtocolVersion = 1): AnyMessage {
  const code = source[offset] ?? -1;
  const definition = definitionForCodeIn(code, version);
  if (!definition) throw new RangeError(`unknown message type 0x${hex(code)}`);
  if (source.length - offset < definition.size) {
    throw new RangeError(`${definition.name} needs ${definition.size} bytes, ${source.length - offset} present`);
  }
  const problem = fieldProblem(definition, source, offset);
  if (problem) throw new RangeError(problem);
  return decodeKnown(definition, source, offset);
}

const CHECKED_KINDS: ReadonlySet<FieldKind> = new Set<FieldKind>(['path', 'path|null', 'flag']);

function isChecked(field: FieldDefinition): boolean {
  return CHECKED_KINDS.has(field.kind) || field.max !== undefined;
}

/** Whether some field of this message can hold a malformed byte pattern (so fieldProblem must be asked). */
export function hasCheckedFields(definition: MessageDefinition): boolean {
  return definition.fields.some(isChecked);
}

/**
 * Why the whole message at `offset` has a malformed field, or undefined:
 * "bad MovePath.path: path count 14 is outside 2..13", "bad Challenge.colour: 3 is outside 0..2".
 */
export function fieldProblem(definition: MessageDefinition, source: Uint8Array, offset: number): string | undefined {
  let at = offset + 1;
  for (const field of definition.fields) {
    if (isChecked(field)) {
      const problem = valueProblem(field, source, at);
      if (problem) return `bad ${definition.name}.${field.name}: ${problem}`;
    }
    at += FIELD_SIZES[field.kind];
  }
  return undefined;
}

function valueProblem(field: FieldDefinition, source: Uint8Array, at: number): string | undefined {
  if (field.kind === 'path' || field.kind === 'path|null')
    return pathBytesProblem(source, at, field.kind === 'path|null');
  const value = source[at] ?? 0;
  const max = field.kind === 'flag' ? 1 : field.max;
  if (max !== undefined && value > max) return `${value} is outside 0..${max}`;
  return undefined;
}

/** Decodes a whole message whose type is known and whose fields fieldProblem accepted. */
export function decodeKnown(definition: MessageDefinition, source: Uint8Array, offset: number): AnyMessage {
  const message: Record<string, unknown> = { type: definition.name };
  let at = offset + 1;
  for (const field of definition.fields) {
    message[field.name] = readField(field.kind, source, at);
    at += FIELD_SIZES[field.kind];
  }
  return message as unknown as AnyMessage;
}

function writeField(field: FieldDefinition, value: unknown, target: Uint8Array, at: number, label: string): void {
  switch (field.kind) {
    case 'u8':
    case 'move':
      target[at] = checkedInteger(value, field.max ?? 0xff, label);
      return;
    case 'bool8':
    case 'flag':
      if (typeof value !== 'boolean') throw new RangeError(`${label} must be a boolean`);
      target[at] = value ? 1 : 0;
      return;
    case 'u16': {
      const n = checkedInteger(value, 0xffff, label);
      target[at] = n & 0xff;
      target[at + 1] = n >>> 8;
      return;
    }
    case 'u32': {
      const n = checkedInteger(value, 0xffffffff, label);
      target[at] = n & 0xff;
      target[at + 1] = (n >>> 8) & 0xff;
      target[at + 2] = (n >>> 16) & 0xff;
      target[at + 3] = n >>> 24;
      return;
    }
    case 'str16':
      writeString(value, target, at, label);
      return;
    case 'board':
      if (!(value instanceof WireBoard)) throw new RangeError(`${label} must be a WireBoard`);
      writeBoard(value, target, at);
      return;
    case 'token':
      if (!(value instanceof Uint8Array) || value.length !== TOKEN_BYTES) {
        throw new RangeError(`${label} must be ${TOKEN_BYTES} bytes`);
      }
      target.set(value, at);
      return;
    case 'path':
      if (value === null) throw new RangeError(`${label} must be a path, not null`);
      writePath(value as number[], target, at, label);
      return;
    case 'path|null':
      writePath(value as number[] | null, target, at, label);
      return;
  }
}

function readField(kind: FieldKind, source: Uint8Array, at: number): unknown {
  switch (kind) {
    case 'u8':
    case 'move':
      return source[at] ?? 0;
    case 'bool8':
    case 'flag':
      return (source[at] ?? 0) !== 0;
    case 'u16':
      return (source[at] ?? 0) | ((source[at + 1] ?? 0) << 8);
    case 'u32':
      return (
        ((source[at] ?? 0) |
          ((source[at + 1] ?? 0) << 8) |
          ((source[at + 2] ?? 0) << 16) |
          ((source[at + 3] ?? 0) << 24)) >>>
        0
      );
    case 'str16':
      return readString(source, at);
    case 'board':
      return readBoard(source, at);
    case 'token':
      return source.slice(at, at + TOKEN_BYTES);
    case 'path':
    case 'path|null':
      return readPath(source, at);
  }
}

function checkedInteger(value: unknown, max: number, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${label} must be an integer in 0..${max}, got ${String(value)}`);
  }
  return value;
}

/** ASCII, right-padded with NUL; a 16-character string has no NUL. */
function writeString(value: unknown, target: Uint8Array, at: number, label: string): void {
  if (typeof value !== 'string') throw new RangeError(`${label} must be a string`);
  if (value.length > STRING_BYTES) throw new RangeError(`${label} is longer than ${STRING_BYTES} characters`);
  for (let i = 0; i < STRING_BYTES; i++) {
    if (i >= value.length) {
      target[at + i] = 0;
      continue;
    }
    const code = value.charCodeAt(i);
    if (code === 0 || code > 0x7f) throw new RangeError(`${label} must be ASCII without NUL`);
    target[at + i] = code;
  }
}

/** Reads up to the first NUL. Bytes above 0x7f come through as Latin-1 so that callers can reject them. */
function readString(source: Uint8Array, at: number): string {
  let text = '';
  for (let i = 0; i < STRING_BYTES; i++) {
    const code = source[at + i] ?? 0;
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

export function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
