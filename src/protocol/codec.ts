import { readBoard, WireBoard, writeBoard } from './board.js';
import {
  definitionFor,
  definitionForCode,
  FIELD_SIZES,
  type FieldKind,
  type Message,
  type MessageDefinition,
} from './messages.js';

/** Length of every string field on the wire. */
export const STRING_BYTES = 16;

/** Encodes one message into a new buffer of exactly its wire size. Throws RangeError on a value the wire cannot carry. */
export function encodeMessage(message: Message): Uint8Array {
  const definition = definitionFor(message.type);
  const bytes = new Uint8Array(definition.size);
  encodeMessageInto(message, bytes, 0);
  return bytes;
}

/** Writes one message at `offset`; returns the number of bytes written. */
export function encodeMessageInto(message: Message, target: Uint8Array, offset: number): number {
  const definition = definitionFor(message.type);
  if (target.length - offset < definition.size) {
    throw new RangeError(`${definition.name} needs ${definition.size} bytes, ${target.length - offset} left`);
  }
  target[offset] = definition.code;
  let at = offset + 1;
  const values = message as unknown as Record<string, unknown>;
  for (const field of definition.fields) {
    writeField(field.kind, values[field.name], target, at, `${definition.name}.${field.name}`);
    at += FIELD_SIZES[field.kind];
  }
  return definition.size;
}

/**
 * Decodes the message that starts at `offset`. The caller guarantees that the
 * type byte is known and that the whole message is present (the streaming
 * decoder does); every byte pattern of the fields then decodes.
 */
export function decodeMessageAt(source: Uint8Array, offset: number): Message {
  const code = source[offset] ?? -1;
  const definition = definitionForCode(code);
  if (!definition) throw new RangeError(`unknown message type 0x${hex(code)}`);
  if (source.length - offset < definition.size) {
    throw new RangeError(`${definition.name} needs ${definition.size} bytes, ${source.length - offset} present`);
  }
  return decodeKnown(definition, source, offset);
}

export function decodeKnown(definition: MessageDefinition, source: Uint8Array, offset: number): Message {
  const message: Record<string, unknown> = { type: definition.name };
  let at = offset + 1;
  for (const field of definition.fields) {
    message[field.name] = readField(field.kind, source, at);
    at += FIELD_SIZES[field.kind];
  }
  return message as unknown as Message;
}

function writeField(kind: FieldKind, value: unknown, target: Uint8Array, at: number, label: string): void {
  switch (kind) {
    case 'u8':
    case 'move':
      target[at] = checkedInteger(value, 0xff, label);
      return;
    case 'bool8':
      if (typeof value !== 'boolean') throw new RangeError(`${label} must be a boolean`);
      target[at] = value ? 1 : 0;
      return;
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
  }
}

function readField(kind: FieldKind, source: Uint8Array, at: number): unknown {
  switch (kind) {
    case 'u8':
    case 'move':
      return source[at] ?? 0;
    case 'bool8':
      return (source[at] ?? 0) !== 0;
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
