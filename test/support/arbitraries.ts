import fc from 'fast-check';
import {
  type FieldDefinition,
  MESSAGE_TABLE,
  MESSAGE_TABLE_V2,
  type Message,
  type MessageV2,
  WireBoard,
} from '../../src/protocol/index.js';

const asciiName = fc
  .array(fc.integer({ min: 1, max: 0x7f }), { maxLength: 16 })
  .map((codes) => String.fromCharCode(...codes));

const u8 = fc.integer({ min: 0, max: 0xff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const board = fc.uint8Array({ minLength: 64, maxLength: 64, max: 7 }).map((cells) => new WireBoard(cells));

const fieldArbitraries = { u8, u32, bool8: fc.boolean(), str16: asciiName, move: u8, board } as const;

/** Any valid version-1 message, built from the message table. */
export const anyMessage: fc.Arbitrary<Message> = fc.oneof(
  ...MESSAGE_TABLE.map((definition) => {
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of definition.fields) fields[field.name] = fieldArbitraries[field.kind];
    return fc.record(fields).map((values) => ({ type: definition.name, ...values }) as unknown as Message);
  }),
);

const square = fc.integer({ min: 1, max: 32 });
const path = fc.array(square, { minLength: 2, maxLength: 13 });

const fieldArbitrariesV2 = {
  ...fieldArbitraries,
  u16: fc.integer({ min: 0, max: 0xffff }),
  token: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  path,
  'path|null': fc.option(path, { nil: null }),
  flag: fc.boolean(),
} as const;

/** Any valid version-2 message (the five shared with version 1 included), built from the message table. */
export const anyMessageV2: fc.Arbitrary<MessageV2> = fc.oneof(
  ...MESSAGE_TABLE_V2.map((definition) => {
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of definition.fields) {
      const max = (field as FieldDefinition).max;
      fields[field.name] = max === undefined ? fieldArbitrariesV2[field.kind] : fc.integer({ min: 0, max });
    }
    return fc.record(fields).map((values) => ({ type: definition.name, ...values }) as unknown as MessageV2);
  }),
);
