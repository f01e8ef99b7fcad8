import { fromWireBoard } from '../../src/common/wire.js';
import { BLACK, type Color, WHITE } from '../../src/game/position.js';
import { legalMoves } from '../../src/game/standard.js';
import type { MessageOfType, WireBoard } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from './accounts.js';
import type { ManualClock } from './manual-clock.js';
import { RawClient } from './raw-client.js';
import type { TestServer } from './test-server.js';

/*
 * Raw-bytes version-2 peers for tests: RawClient speaks every version (one
 * message table), these log in, seek and start standard games with it.
 */

let counter = 0;
const MATCHMAKING_TICK_MS = 1000;

/** Connect version 2 with a password; resolves with LoggedIn. */
export async function loginV2(
  client: RawClient,
  username: string,
  password = TEST_PASSWORD,
): Promise<MessageOfType<'LoggedIn'>> {
  client.send({ type: 'Connect', version: 2, username, password });
  return client.expect('LoggedIn');
}

/** Resume with a token; resolves with LoggedIn. */
export async function resumeV2(
  client: RawClient,
  username: string,
  token: Uint8Array,
): Promise<MessageOfType<'LoggedIn'>> {
  client.send({ type: 'Resume', version: 2, username, token });
  return client.expect('LoggedIn');
}

/** Seek and the first QueuePosition. */
export async function seek(
  client: RawClient,
  initialSeconds: number,
  incrementSeconds: number,
): Promise<MessageOfType<'QueuePosition'>> {
  client.send({ type: 'Seek', initialSeconds, incrementSeconds });
  return client.expect('QueuePosition');
}

export interface StandardGameSetup {
  readonly black: RawClient;
  readonly white: RawClient;
  readonly names: [string, string];
  readonly tokens: [Uint8Array, Uint8Array];
  readonly blackStart: MessageOfType<'GameStart2'>;
  readonly whiteStart: MessageOfType<'GameStart2'>;
  /** Black's first YourMove. */
  readonly firstMove: MessageOfType<'YourMove'>;
  close(): void;
}

/** Two fresh accounts log in with version 2 and seek the same time control; the first to seek is Black. */
export async function startStandardGame(
  server: TestServer,
  control: { initialSeconds: number; incrementSeconds: number } = { initialSeconds: 180, incrementSeconds: 2 },
  clock?: ManualClock,
): Promise<StandardGameSetup> {
  counter++;
  const [blackName = '', whiteName = ''] = await addPlayers(server.store, `s${counter}p`, 2);
  const black = await RawClient.connectV2(server.port);
  const blackIn = await loginV2(black, blackName);
  await seek(black, control.initialSeconds, control.incrementSeconds);
  const white = await RawClient.connectV2(server.port);
  const whiteIn = await loginV2(white, whiteName);
  await seek(white, control.initialSeconds, control.incrementSeconds);
  clock?.advance(MATCHMAKING_TICK_MS);
  const blackStart = await black.expect('GameStart2');
  const whiteStart = await white.expect('GameStart2');
  const firstMove = await black.expect('YourMove');
  await white.expect('TheirMove');
  return {
    black,
    white,
    names: [blackName, whiteName],
    tokens: [blackIn.token, whiteIn.token],
    blackStart,
    whiteStart,
    firstMove,
    close() {
      black.close();
      white.close();
    },
  };
}

/** A legal path (squares 1-32) for `color` on `board` (as that player sees it), picked by `pick`. */
export function legalPath(board: WireBoard, color: Color, pick: (count: number) => number = () => 0): number[] {
  const reading = fromWireBoard(board, color, color);
  if (!reading.ok) throw new Error(`unreadable board: ${reading.reason}`);
  const moves = legalMoves(reading.position);
  const move = moves[pick(moves.length)];
  if (!move) throw new Error('no legal move on a YourMove board');
  return [move.from, ...move.path].map((bit) => bit + 1);
}

/**
 * A path that shuffles once it can: the first quiet king move if there is one
 * (so that positions come again), else a random legal path.
 */
export function shufflingPath(board: WireBoard, color: Color, pick: (count: number) => number = () => 0): number[] {
  const reading = fromWireBoard(board, color, color);
  if (!reading.ok) throw new Error(`unreadable board: ${reading.reason}`);
  const { position } = reading;
  const moves = legalMoves(position);
  const quietKing = moves.find((move) => move.captured === 0 && ((position.kings >>> move.from) & 1) === 1);
  const move = quietKing ?? moves[pick(moves.length)];
  if (!move) throw new Error('no legal move on a YourMove board');
  return [move.from, ...move.path].map((bit) => bit + 1);
}

/**
 * Both players move at random (legal paths) until the game ends; resolves
 * with each side's GameOver2, Black's first. Bounded: at most `maxMoves`.
 */
export async function playToTheEnd(
  black: RawClient,
  white: RawClient,
  random: (bound: number) => number,
  firstMove: MessageOfType<'YourMove'>,
  maxMoves = 400,
  choose: typeof legalPath = legalPath,
): Promise<[MessageOfType<'GameOver2'>, MessageOfType<'GameOver2'>]> {
  let mover: RawClient = black;
  let moverColor: Color = BLACK;
  let turn: MessageOfType<'YourMove'> = firstMove;
  for (let moves = 0; moves < maxMoves; moves++) {
    mover.send({ type: 'MovePath', path: choose(turn.board, moverColor, random) });
    const ack = await mover.next(['QueuePosition']);
    if (ack.type !== 'TheirMove') throw new Error(`expected TheirMove, got ${ack.type}`);
    const waiting = mover === black ? white : black;
    const next = await waiting.next();
    if (next.type === 'GameOver2') {
      const own = await mover.expect('GameOver2');
      return mover === black ? [own, next] : [next, own];
    }
    if (next.type !== 'YourMove') throw new Error(`expected YourMove, got ${next.type}`);
    mover = waiting;
    moverColor = moverColor === BLACK ? WHITE : BLACK;
    turn = next;
  }
  throw new Error(`no end within ${maxMoves} moves`);
}
