import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CELL_KING,
  CELL_MINE,
  CELL_PIECE,
  decodeMessageAt,
  encodeMessage,
  encodeMove,
  InvalidLoginReason,
  type Message,
  readBoard,
  WireBoard,
  writeBoard,
} from '../../src/protocol/index.js';
import { fromHex, toHex } from '../support/hex.js';

/** docs/PROTOCOL.md section 10 (section 8 of the original specification), copied byte for byte. */
const START_FIRST = 'a28020140104a28020140104a28020140104a28020140104';
const START_SECOND = '820028100145820028100145820028100145820028100145';
const AFTER_FIRST_MOVE_FIRST = 'a28020140104a28020140104a28020145104a00020140104';
const AFTER_FIRST_MOVE_SECOND = '820028100145820028100145820028104145800028100145';
const KING_AND_MAN = '000000000000000000000000007000000000000000000020';

function boardFromHex(text: string): WireBoard {
  return readBoard(fromHex(text), 0);
}

function boardHex(board: WireBoard): string {
  const bytes = new Uint8Array(24);
  writeBoard(board, bytes, 0);
  return toHex(bytes);
}

/** The starting position built square by square from the diagram in section 2.2. */
function startingBoard(viewer: 'first' | 'second'): WireBoard {
  const board = new WireBoard();
  for (let x = 0; x < 8; x++) {
    for (let y = 0; y < 8; y++) {
      if ((x + y) % 2 !== 0) continue;
      const owner = y >= 5 ? 'first' : y <= 2 ? 'second' : undefined;
      if (owner) board.set(x, y, CELL_PIECE | (owner === viewer ? CELL_MINE : 0));
    }
  }
  return board;
}

describe('golden boards (docs/PROTOCOL.md section 10)', () => {
  it('encodes the starting board for each player', () => {
    assert.equal(boardHex(startingBoard('first')), START_FIRST);
    assert.equal(boardHex(startingBoard('second')), START_SECOND);
  });

  it('decodes the starting board square by square', () => {
    assert.deepEqual(boardFromHex(START_FIRST), startingBoard('first'));
    assert.deepEqual(boardFromHex(START_SECOND), startingBoard('second'));
  });

  it('the two views differ only in the ownership bit', () => {
    assert.equal(boardHex(boardFromHex(START_FIRST).flipOwnership()), START_SECOND);
    assert.equal(boardHex(boardFromHex(AFTER_FIRST_MOVE_FIRST).flipOwnership()), AFTER_FIRST_MOVE_SECOND);
  });

  it('encodes the board after (1,5) -> (2,4)', () => {
    const board = startingBoard('first');
    board.set(1, 5, 0);
    board.set(2, 4, CELL_PIECE | CELL_MINE);
    assert.equal(boardHex(board), AFTER_FIRST_MOVE_FIRST);
    assert.equal(boardHex(board.flipOwnership()), AFTER_FIRST_MOVE_SECOND);
  });

  it('puts a receiver king on (3,4) and an opponent man on (0,1)', () => {
    const board = new WireBoard();
    board.set(3, 4, CELL_PIECE | CELL_KING | CELL_MINE);
    board.set(0, 1, CELL_PIECE);
    assert.equal(boardHex(board), KING_AND_MAN);
    const decoded = boardFromHex(KING_AND_MAN);
    assert.equal(decoded.get(3, 4), 0b111);
    assert.equal(decoded.get(0, 1), 0b100);
    assert.equal(decoded.cells.filter((cell) => cell !== 0).length, 2);
  });
});

describe('golden moves (PROTOCOL.md section 2.1)', () => {
  it('encodes the examples', () => {
    assert.equal(encodeMove({ x: 2, y: 5, dx: 1, dy: 0 }), 0x56);
    assert.equal(encodeMove({ x: 1, y: 5, dx: 1, dy: 0 }), 0x36);
    assert.equal(encodeMove({ x: 0, y: 0, dx: 0, dy: 0 }), 0x00);
  });

  it('rejects a square off the board', () => {
    assert.throws(() => encodeMove({ x: 8, y: 0, dx: 0, dy: 0 }), RangeError);
  });
});

const GOLDEN_MESSAGES: ReadonlyArray<readonly [string, Message, string]> = [
  [
    'Connect(version 1, "cam", "mac")',
    { type: 'Connect', version: 1, username: 'cam', password: 'mac' },
    '010163616d000000000000000000000000006d616300000000000000000000000000',
  ],
  ['InvalidLogin(wrong password)', { type: 'InvalidLogin', reason: InvalidLoginReason.WrongPassword }, '0201'],
  ['InvalidVersion(1, 1)', { type: 'InvalidVersion', highest: 1, lowest: 1 }, '0d0101'],
  [
    'QueuePosition(size 3, position 2, rating 1200)',
    { type: 'QueuePosition', queueSize: 3, position: 2, rating: 1200 },
    '030300000002000000b0040000',
  ],
  [
    'GameStart("jen", 1210)',
    { type: 'GameStart', opponent: 'jen', opponentRating: 1210 },
    '046a656e00000000000000000000000000ba040000',
  ],
  [
    'YourTurn(0x00, starting board first player view)',
    { type: 'YourTurn', lastMove: 0x00, board: startingBoard('first') },
    `0500${START_FIRST}`,
  ],
  ['MakeMove(0x56)', { type: 'MakeMove', move: 0x56 }, '0656'],
  [
    'GameOver(won, new 1210, old 1200, 0x56, starting board)',
    { type: 'GameOver', won: true, newRating: 1210, oldRating: 1200, lastMove: 0x56, board: startingBoard('first') },
    `0a01ba040000b004000056${START_FIRST}`,
  ],
  ['OpponentDisconnect', { type: 'OpponentDisconnect' }, '09'],
  ['ReQueue', { type: 'ReQueue' }, '0b'],
  ['LogOut', { type: 'LogOut' }, '0c'],
];

describe('golden messages (docs/PROTOCOL.md section 10)', () => {
  for (const [label, message, bytes] of GOLDEN_MESSAGES) {
    it(`encodes ${label}`, () => {
      assert.equal(toHex(encodeMessage(message)), bytes);
    });
    it(`decodes ${label}`, () => {
      assert.deepEqual(decodeMessageAt(fromHex(bytes), 0), message);
    });
  }

  it('reads any non-zero "you won" byte as won', () => {
    const bytes = fromHex(`0a07ba040000b004000056${START_FIRST}`);
    const message = decodeMessageAt(bytes, 0);
    assert.equal(message.type === 'GameOver' && message.won, true);
  });

  it('a 16-character name has no NUL and round-trips', () => {
    const message: Message = { type: 'GameStart', opponent: 'abcdefghijklmnop', opponentRating: 1 };
    const bytes = encodeMessage(message);
    assert.equal(bytes.length, 21);
    assert.ok(!bytes.subarray(1, 17).includes(0));
    assert.deepEqual(decodeMessageAt(bytes, 0), message);
  });

  it('a reader stops at the first NUL of a string', () => {
    const bytes = fromHex('046a656e00414243000000000000000000ba040000');
    assert.deepEqual(decodeMessageAt(bytes, 0), { type: 'GameStart', opponent: 'jen', opponentRating: 1210 });
  });

  it('refuses to encode what the wire cannot carry', () => {
    assert.throws(() => encodeMessage({ type: 'GameStart', opponent: 'x'.repeat(17), opponentRating: 1 }), RangeError);
    assert.throws(() => encodeMessage({ type: 'GameStart', opponent: 'caf\u00e9', opponentRating: 1 }), RangeError);
    assert.throws(() => encodeMessage({ type: 'QueuePosition', queueSize: -1, position: 1, rating: 1 }), RangeError);
    assert.throws(
      () => encodeMessage({ type: 'QueuePosition', queueSize: 2 ** 32, position: 1, rating: 1 }),
      RangeError,
    );
    assert.throws(() => encodeMessage({ type: 'MakeMove', move: 256 }), RangeError);
  });
});
