import fc from 'fast-check';
import { MESSAGE_TABLE, type Message, WireBoard } from '../../src/protocol/index.js';

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
