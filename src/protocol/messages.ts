import type { WireBoard } from './board.js';
import type { MoveByte } from './move.js';
import type { Path } from './path.js';

/** The protocol versions this code speaks; a session's version is fixed by its accepted Connect or Resume. */
export type ProtocolVersion = 1 | 2;
export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [1, 2];
export const LOWEST_VERSION: ProtocolVersion = 1;
export const HIGHEST_VERSION: ProtocolVersion = 2;

/**
 * The one table of messages of both versions (docs/PROTOCOL.md sections 3
 * and 12). Each row says which versions use it; encoding, decoding, sizes,
 * directions and the message types below are all driven from it. Every
 * message has a fixed size per type.
 */
export type FieldKind =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'bool8'
  /** A u8 that must be 0 or 1 (any other value is a malformed field), read as a boolean. */
  | 'flag'
  | 'str16'
  | 'move'
  | 'board'
  | 'token'
  | 'path'
  | 'path|null';

/** Which way a message travels (not the game's diagonal `Direction` of src/game/squares.ts). */
export type MessageDirection = 'toServer' | 'toClient';

export interface FieldDefinition {
  readonly name: string;
  readonly kind: FieldKind;
  /** A u8 above this is a malformed field (a protocol error), like a malformed path. */
  readonly max?: number;
}

export interface MessageDefinition {
  readonly code: number;
  readonly name: string;
  /** The protocol versions in which this message exists. */
  readonly versions: readonly ProtocolVersion[];
  readonly direction: MessageDirection;
  /** Total size in bytes, type byte included. */
  readonly size: number;
  readonly fields: readonly FieldDefinition[];
}

/** Bytes of a resume token. */
export const TOKEN_BYTES = 16;
/** Bytes of a path: the count, then 13 squares. */
export const PATH_BYTES = 14;

export const FIELD_SIZES: Readonly<Record<FieldKind, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  bool8: 1,
  flag: 1,
  str16: 16,
  move: 1,
  board: 24,
  token: TOKEN_BYTES,
  path: PATH_BYTES,
  'path|null': PATH_BYTES,
};

export const PROTOCOL_MESSAGES = [
  {
    code: 0x01,
    name: 'Connect',
    versions: [1, 2],
    direction: 'toServer',
    size: 34,
    fields: [
      { name: 'version', kind: 'u8' },
      { name: 'username', kind: 'str16' },
      { name: 'password', kind: 'str16' },
    ],
  },
  {
    code: 0x02,
    name: 'InvalidLogin',
    versions: [1, 2],
    direction: 'toClient',
    size: 2,
    fields: [{ name: 'reason', kind: 'u8' }],
  },
  {
    code: 0x0d,
    name: 'InvalidVersion',
    versions: [1, 2],
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
    versions: [1, 2],
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
    versions: [1],
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
    versions: [1],
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'lastMove', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  {
    code: 0x06,
    name: 'MakeMove',
    versions: [1],
    direction: 'toServer',
    size: 2,
    fields: [{ name: 'move', kind: 'move' }],
  },
  {
    code: 0x07,
    name: 'CompulsoryMove',
    versions: [1],
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
    versions: [1],
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'move', kind: 'move' },
      { name: 'board', kind: 'board' },
    ],
  },
  { code: 0x09, name: 'OpponentDisconnect', versions: [1], direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x0a,
    name: 'GameOver',
    versions: [1],
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
  { code: 0x0b, name: 'ReQueue', versions: [1], direction: 'toServer', size: 1, fields: [] },
  { code: 0x0c, name: 'LogOut', versions: [1, 2], direction: 'toServer', size: 1, fields: [] },

  {
    code: 0x10,
    name: 'Resume',
    versions: [2],
    direction: 'toServer',
    size: 34,
    fields: [
      { name: 'version', kind: 'u8' },
      { name: 'username', kind: 'str16' },
      { name: 'token', kind: 'token' },
    ],
  },
  {
    code: 0x20,
    name: 'LoggedIn',
    versions: [2],
    direction: 'toClient',
    size: 26,
    fields: [
      { name: 'token', kind: 'token' },
      { name: 'rating', kind: 'u32' },
      { name: 'tokenSeconds', kind: 'u32' },
      { name: 'flags', kind: 'u8' },
    ],
  },
  {
    code: 0x11,
    name: 'Seek',
    versions: [2],
    direction: 'toServer',
    size: 4,
    fields: [
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
    ],
  },
  { code: 0x12, name: 'LeaveQueue', versions: [2], direction: 'toServer', size: 1, fields: [] },
  {
    code: 0x21,
    name: 'GameStart2',
    versions: [2],
    direction: 'toClient',
    size: 30,
    fields: [
      { name: 'opponent', kind: 'str16' },
      { name: 'opponentRating', kind: 'u32' },
      { name: 'colour', kind: 'u8' },
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
      { name: 'rated', kind: 'bool8' },
      { name: 'gameId', kind: 'u32' },
    ],
  },
  {
    code: 0x22,
    name: 'YourMove',
    versions: [2],
    direction: 'toClient',
    size: 48,
    fields: [
      { name: 'lastPath', kind: 'path|null' },
      { name: 'board', kind: 'board' },
      { name: 'yourClockMs', kind: 'u32' },
      { name: 'opponentClockMs', kind: 'u32' },
      { name: 'flags', kind: 'u8' },
    ],
  },
  {
    code: 0x23,
    name: 'TheirMove',
    versions: [2],
    direction: 'toClient',
    size: 48,
    fields: [
      { name: 'lastPath', kind: 'path|null' },
      { name: 'board', kind: 'board' },
      { name: 'yourClockMs', kind: 'u32' },
      { name: 'opponentClockMs', kind: 'u32' },
      { name: 'flags', kind: 'u8' },
    ],
  },
  {
    code: 0x13,
    name: 'MovePath',
    versions: [2],
    direction: 'toServer',
    size: 15,
    fields: [{ name: 'path', kind: 'path' }],
  },
  {
    code: 0x24,
    name: 'IllegalMove',
    versions: [2],
    direction: 'toClient',
    size: 16,
    fields: [
      { name: 'path', kind: 'path' },
      { name: 'reason', kind: 'u8' },
    ],
  },
  { code: 0x14, name: 'Resign', versions: [2], direction: 'toServer', size: 1, fields: [] },
  { code: 0x15, name: 'OfferDraw', versions: [2], direction: 'toServer', size: 1, fields: [] },
  {
    code: 0x17,
    name: 'AnswerDraw',
    versions: [2],
    direction: 'toServer',
    size: 2,
    fields: [{ name: 'accept', kind: 'bool8' }],
  },
  { code: 0x25, name: 'DrawOffered', versions: [2], direction: 'toClient', size: 1, fields: [] },
  { code: 0x26, name: 'DrawDeclined', versions: [2], direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x27,
    name: 'GameOver2',
    versions: [2],
    direction: 'toClient',
    size: 50,
    fields: [
      { name: 'result', kind: 'u8' },
      { name: 'reason', kind: 'u8' },
      { name: 'newRating', kind: 'u32' },
      { name: 'oldRating', kind: 'u32' },
      { name: 'rated', kind: 'bool8' },
      { name: 'lastPath', kind: 'path|null' },
      { name: 'board', kind: 'board' },
    ],
  },
  { code: 0x18, name: 'Rematch', versions: [2], direction: 'toServer', size: 1, fields: [] },
  { code: 0x28, name: 'RematchOffered', versions: [2], direction: 'toClient', size: 1, fields: [] },
  { code: 0x29, name: 'RematchGone', versions: [2], direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x2a,
    name: 'OpponentAway',
    versions: [2],
    direction: 'toClient',
    size: 3,
    fields: [{ name: 'graceSeconds', kind: 'u16' }],
  },
  { code: 0x2b, name: 'OpponentBack', versions: [2], direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x19,
    name: 'PlayComputer',
    versions: [2],
    direction: 'toServer',
    size: 8,
    fields: [
      { name: 'level', kind: 'u8' },
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
      { name: 'rated', kind: 'bool8' },
      { name: 'colour', kind: 'u8', max: 2 },
      { name: 'opening', kind: 'u8', max: 1 },
    ],
  },
  { code: 0x2c, name: 'ComputerBusy', versions: [2], direction: 'toClient', size: 1, fields: [] },
  {
    code: 0x1a,
    name: 'Guest',
    versions: [2],
    direction: 'toServer',
    size: 2,
    fields: [{ name: 'version', kind: 'u8' }],
  },
  {
    code: 0x2d,
    name: 'GuestLoggedIn',
    versions: [2],
    direction: 'toClient',
    size: 37,
    fields: [
      { name: 'name', kind: 'str16' },
      { name: 'token', kind: 'token' },
      { name: 'tokenSeconds', kind: 'u32' },
    ],
  },
  {
    code: 0x1b,
    name: 'Challenge',
    versions: [2],
    direction: 'toServer',
    size: 23,
    fields: [
      { name: 'opponent', kind: 'str16' },
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
      { name: 'colour', kind: 'u8', max: 2 },
      { name: 'rated', kind: 'bool8' },
      { name: 'opening', kind: 'u8', max: 1 },
    ],
  },
  {
    code: 0x2e,
    name: 'ChallengeOffered',
    versions: [2],
    direction: 'toClient',
    size: 31,
    fields: [
      { name: 'challengeId', kind: 'u32' },
      { name: 'challenger', kind: 'str16' },
      { name: 'challengerRating', kind: 'u32' },
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
      { name: 'colour', kind: 'u8', max: 2 },
      { name: 'rated', kind: 'bool8' },
      { name: 'opening', kind: 'u8', max: 1 },
    ],
  },
  {
    code: 0x1c,
    name: 'AnswerChallenge',
    versions: [2],
    direction: 'toServer',
    size: 6,
    fields: [
      { name: 'challengeId', kind: 'u32' },
      { name: 'accept', kind: 'flag' },
    ],
  },
  {
    code: 0x2f,
    name: 'ChallengeGone',
    versions: [2],
    direction: 'toClient',
    size: 5,
    fields: [{ name: 'challengeId', kind: 'u32' }],
  },
  {
    code: 0x38,
    name: 'ChallengeDeclined',
    versions: [2],
    direction: 'toClient',
    size: 2,
    fields: [{ name: 'reason', kind: 'u8' }],
  },
  { code: 0x1d, name: 'WithdrawOffer', versions: [2], direction: 'toServer', size: 1, fields: [] },
  {
    code: 0x1e,
    name: 'CreateInvite',
    versions: [2],
    direction: 'toServer',
    size: 7,
    fields: [
      { name: 'initialSeconds', kind: 'u16' },
      { name: 'incrementSeconds', kind: 'u8' },
      { name: 'colour', kind: 'u8', max: 2 },
      { name: 'rated', kind: 'bool8' },
      { name: 'opening', kind: 'u8', max: 1 },
    ],
  },
  {
    code: 0x39,
    name: 'InviteCreated',
    versions: [2],
    direction: 'toClient',
    size: 21,
    fields: [
      { name: 'code', kind: 'token' },
      { name: 'validSeconds', kind: 'u32' },
    ],
  },
  {
    code: 0x1f,
    name: 'JoinInvite',
    versions: [2],
    direction: 'toServer',
    size: 17,
    fields: [{ name: 'code', kind: 'token' }],
  },
  {
    code: 0x3a,
    name: 'InviteRefused',
    versions: [2],
    direction: 'toClient',
    size: 2,
    fields: [{ name: 'reason', kind: 'u8' }],
  },
  { code: 0x30, name: 'Hint', versions: [2], direction: 'toServer', size: 1, fields: [] },
  {
    code: 0x3b,
    name: 'HintMove',
    versions: [2],
    direction: 'toClient',
    size: 15,
    fields: [{ name: 'path', kind: 'path|null' }],
  },
] as const satisfies readonly MessageDefinition[];

type Row = (typeof PROTOCOL_MESSAGES)[number];
/** The rows of one version. */
type RowOf<V extends ProtocolVersion> = Row extends infer R
  ? R extends Row
    ? V extends R['versions'][number]
      ? R
      : never
    : never
  : never;
type Definition = RowOf<1>;
type DefinitionV2 = RowOf<2>;

interface FieldValues {
  u8: number;
  u16: number;
  u32: number;
  bool8: boolean;
  flag: boolean;
  str16: string;
  move: MoveByte;
  board: WireBoard;
  token: Uint8Array;
  path: Path;
  'path|null': Path | null;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type MessageOf<D extends Row> = Simplify<
  { readonly type: D['name'] } & {
    readonly [F in D['fields'][number] as F['name']]: FieldValues[F['kind']];
  }
>;

type MessagesOf<R extends Row> = R extends Row ? MessageOf<R> : never;

/** The version-1 message table (the rows of PROTOCOL_MESSAGES whose versions include 1). */
export const MESSAGE_TABLE: readonly Definition[] = PROTOCOL_MESSAGES.filter((row): row is Definition =>
  (row.versions as readonly ProtocolVersion[]).includes(1),
);
/** The version-2 message table. */
export const MESSAGE_TABLE_V2: readonly DefinitionV2[] = PROTOCOL_MESSAGES.filter((row): row is DefinitionV2 =>
  (row.versions as readonly ProtocolVersion[]).includes(2),
);

export type MessageName = Definition['name'];
export type MessageNameV2 = DefinitionV2['name'];
export type AnyMessageName = Row['name'];

/** Any version-1 message, discriminated by `type`. */
export type Message = MessagesOf<Definition>;
/** Any version-2 message (the five shared with version 1 included). */
export type MessageV2 = MessagesOf<DefinitionV2>;
/** A message of either version. */
export type AnyMessage = MessagesOf<Row>;

export type MessageOfType<N extends AnyMessageName> = Extract<AnyMessage, { type: N }>;

export const MESSAGE_NAMES: readonly MessageName[] = MESSAGE_TABLE.map((definition) => definition.name);
export const MESSAGE_NAMES_V2: readonly MessageNameV2[] = MESSAGE_TABLE_V2.map((definition) => definition.name);

/** Largest message size of any version; the most a decoder ever copies for one message. */
export const MAX_MESSAGE_SIZE = Math.max(...PROTOCOL_MESSAGES.map((definition) => definition.size));

function codeTable(rows: readonly MessageDefinition[]): readonly (MessageDefinition | undefined)[] {
  const byCode: (MessageDefinition | undefined)[] = new Array(256).fill(undefined);
  for (const definition of rows) byCode[definition.code] = definition;
  return byCode;
}

const byVersion: Readonly<Record<ProtocolVersion, readonly (MessageDefinition | undefined)[]>> = {
  1: codeTable(MESSAGE_TABLE),
  2: codeTable(MESSAGE_TABLE_V2),
};
const byName = new Map<string, MessageDefinition>();
for (const definition of PROTOCOL_MESSAGES) byName.set(definition.name, definition);

/** The version-1 message with this type byte, if any. */
export function definitionForCode(code: number): MessageDefinition | undefined {
  return byVersion[1][code];
}

/** The message of `version` with this type byte, if any. */
export function definitionForCodeIn(code: number, version: ProtocolVersion): MessageDefinition | undefined {
  return byVersion[version][code];
}

export function definitionFor(name: AnyMessageName): MessageDefinition {
  const definition = byName.get(name);
  if (!definition) throw new Error(`no message named ${name}`);
  return definition;
}

/** The messages a server sends. */
export type ServerMessageName = Extract<Definition, { direction: 'toClient' }>['name'];
export type ServerMessageNameV2 = Extract<DefinitionV2, { direction: 'toClient' }>['name'];

export const SERVER_MESSAGE_NAMES: readonly ServerMessageName[] = MESSAGE_TABLE.flatMap((definition) =>
  definition.direction === 'toClient' ? [definition.name] : [],
);
export const SERVER_MESSAGE_NAMES_V2: readonly ServerMessageNameV2[] = MESSAGE_TABLE_V2.flatMap((definition) =>
  definition.direction === 'toClient' ? [definition.name] : [],
);

export const InvalidLoginReason = {
  NoSuchAccount: 0,
  WrongPassword: 1,
  AlreadyLoggedIn: 2,
  /** Version 2 only: the resume token is unknown, expired or revoked. */
  ResumeRefused: 3,
  /** Version 2 only: the answer to Guest on a server run with `--guests off`. */
  GuestsOff: 4,
} as const;

const LOGIN_REFUSALS: Readonly<Record<number, string>> = {
  [InvalidLoginReason.NoSuchAccount]: 'there is no account with that name',
  [InvalidLoginReason.WrongPassword]: 'wrong password',
  [InvalidLoginReason.AlreadyLoggedIn]: 'that account is already logged in elsewhere',
  [InvalidLoginReason.ResumeRefused]: 'the saved login has expired or was revoked; log in with your password',
  [InvalidLoginReason.GuestsOff]: 'this server does not allow guests; log in or sign up',
};

/** What an InvalidLogin reason tells a player (docs/PROTOCOL.md section 7), for every client that shows one. */
export function loginRefusalText(reason: number): string {
  return LOGIN_REFUSALS[reason] ?? `reason ${reason}`;
}
