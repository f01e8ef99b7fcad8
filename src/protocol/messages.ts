import type { WireBoard } from './board.js';
import type { MoveByte } from './move.js';

/**
 * The one table of version-1 messages (PROTOCOL.md section 3). Encoding,
 * decoding, sizes, directions and the message types below are all driven
 * from it.
 */
export type FieldKind = 'u8' | 'u32' | 'bool8' | 'str16' | 'move' | 'board';

/** Which way a message travels (not the game's diagonal `Direction` of src/game/squares.ts). */
export type MessageDirection = 'toServer' | 'toClient';

export interface FieldDefinition {
  readonly name: string;
  readonly kind: FieldKind;
}

export interface MessageDefinition {
  readonly code: number;
  readonly name: string;
  readonly direction: MessageDirection;
  /** Total size in bytes, type byte included. */
  readonly size: number;
  readonly fields: readonly FieldDefinition[];
}

export const FIELD_SIZES: Readonly<Record<FieldKind, number>> = {
  u8: 1,
  u32: 4,
  bool8: 1,
  str16: 16,
  move: 1,
  board: 24,
};

export const MESSAGE_TABLE = [
  {
    code: 0x01,
    name: 'Connect',
    direction: 'toServer',
    size: 34,
    fields: [
      { name: 'version', kind: 'u8' },
      { name: 'username', kind: 'str16' },
      { name: 'password', kind: 'str16' },
    ],
  },
  { code: 0x02, name: 'InvalidLogin', direction: 'toClient', size: 2, fields: [{ name: 'reason', kind: 'u8' }] },
  {
    code: 0x0d,
    name: 'InvalidVersion',
    direction: 'toClient',
    size: 3,
    fields: [
      { name: 'highest', kind: 'u8' },
      { name: 'lowest', kind: 'u8' },
    ],
  },
  {
    code: 0x03,
    name: 'QueuePosition',
    direction: 'toClient',
    size: 13,
    fields: [
      { name: 'queueSize', kind: 'u32' },
      { name: 'position', kind: 'u32' },
      { name: 'rating', kind: 'u32' },
    ],
  },
  {
    code: 0x04,
    name: 'GameStart',
    direction: 'toClient',
    size: 21,
    fields: [
      { name: 'opponent', kind: 'str16' },
      { name: 'opponentRating', kind: 'u32' },
    ],
  },
  {
    code: 0x05,
    name: 'YourTurn',
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'lastMove', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  { code: 0x06, name: 'MakeMove', direction: 'toServer', size: 2, fields: [{ name: 'move', kind: 'move' }] },
  {
    code: 0x07,
    name: 'CompulsoryMove',
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'move', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  {
    code: 0x08,
    name: 'InvalidMove',
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'move', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  { code: 0x09, name: 'OpponentDisconnect', direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x0a,
    name: 'GameOver',
    direction: 'toClient',
    size: 35,
    fields: [
      { name: 'won', kind: 'bool8' },
      { name: 'newRating', kind: 'u32' },
      { name: 'oldRating', kind: 'u32' },
      { name: 'lastMove', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  { code: 0x0b, name: 'ReQueue', direction: 'toServer', size: 1, fields: [] },
  { code: 0x0c, name: 'LogOut', direction: 'toServer', size: 1, fields: [] },
] as const satisfies readonly MessageDefinition[];

type Definition = (typeof MESSAGE_TABLE)[number];

interface FieldValues {
  u8: number;
  u32: number;
  bool8: boolean;
  str16: string;
  move: MoveByte;
  board: WireBoard;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type MessageOf<D extends Definition> = Simplify<
  { readonly type: D['name'] } & {
    readonly [F in D['fields'][number] as F['name']]: FieldValues[F['kind']];
  }
>;

export type MessageName = Definition['name'];

/** Any version-1 message, discriminated by `type`. */
export type Message = Definition extends infer D ? (D extends Definition ? MessageOf<D> : never) : never;

export type MessageOfType<N extends MessageName> = Extract<Message, { type: N }>;

export const MESSAGE_NAMES: readonly MessageName[] = MESSAGE_TABLE.map((definition) => definition.name);

/** Largest message size; the most a decoder ever copies for one message. */
export const MAX_MESSAGE_SIZE = Math.max(...MESSAGE_TABLE.map((definition) => definition.size));

const byCode: (MessageDefinition | undefined)[] = new Array(256).fill(undefined);
const byName = new Map<string, MessageDefinition>();
for (const definition of MESSAGE_TABLE) {
  byCode[definition.code] = definition;
  byName.set(definition.name, definition);
}

export function definitionForCode(code: number): MessageDefinition | undefined {
  return byCode[code];
}

export function definitionFor(name: MessageName): MessageDefinition {
  const definition = byName.get(name);
  if (!definition) throw new Error(`no message named ${name}`);
  return definition;
}

/** The messages a server sends. */
export type ServerMessageName = Extract<Definition, { direction: 'toClient' }>['name'];

export const SERVER_MESSAGE_NAMES: readonly ServerMessageName[] = MESSAGE_TABLE.flatMap((definition) =>
  definition.direction === 'toClient' ? [definition.name] : [],
);

export const InvalidLoginReason = {
  NoSuchAccount: 0,
  WrongPassword: 1,
  AlreadyLoggedIn: 2,
} as const;

const LOGIN_REFUSALS: Readonly<Record<number, string>> = {
  [InvalidLoginReason.NoSuchAccount]: 'there is no account with that name',
  [InvalidLoginReason.WrongPassword]: 'wrong password',
  [InvalidLoginReason.AlreadyLoggedIn]: 'that account is already logged in elsewhere',
};

/** What an InvalidLogin reason tells a player (docs/PROTOCOL.md section 7), for every client that shows one. */
export function loginRefusalText(reason: number): string {
  return LOGIN_REFUSALS[reason] ?? `reason ${reason}`;
}
