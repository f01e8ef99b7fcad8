import { fromWireBoard, moveByteOf } from '../../src/common/wire.js';
import { BLACK, type Color, WHITE } from '../../src/game/position.js';
import { legalSteps, newV1Game } from '../../src/game/v1.js';
import { type Message, type MessageOfType, NO_MOVE, type WireBoard } from '../../src/protocol/index.js';
import type { RawClient } from './raw-client.js';

/** A legal step for `color` on `board` (as that player sees it), picked by `pick`. */
export function legalMoveByte(board: WireBoard, color: Color, pick: (count: number) => number = () => 0): number {
  const reading = fromWireBoard(board, color, color);
  if (!reading.ok) throw new Error(`unreadable board: ${reading.reason}`);
  const steps = legalSteps(newV1Game(reading.position));
  const step = steps[pick(steps.length)];
  if (!step) throw new Error('no legal step on a YourTurn board');
  return moveByteOf(step.from, step.direction);
}

export interface GameLog {
  readonly gameOver: MessageOfType<'GameOver'> | undefined;
  readonly opponentLeft: boolean;
  readonly color: Color;
  readonly moves: number;
}

/**
 * Plays one game after GameStart: answers every YourTurn with a legal step,
 * until GameOver or OpponentDisconnect. Unless `knownColor` is given (a game
 * joined midway), the first player is the one whose first message is a
 * YourTurn carrying "no previous move".
 */
export async function playGame(
  client: RawClient,
  pick?: (count: number) => number,
  timeoutMs = 10_000,
  knownColor?: Color,
): Promise<GameLog> {
  let color: Color | undefined = knownColor;
  let moves = 0;
  for (;;) {
    const message = await client.next(['QueuePosition'], timeoutMs);
    if (color === undefined && message.type !== 'GameStart') {
      color = message.type === 'YourTurn' && message.lastMove === NO_MOVE ? BLACK : WHITE;
    }
    switch (message.type) {
      case 'YourTurn':
        client.send({ type: 'MakeMove', move: legalMoveByte(message.board, color ?? BLACK, pick) });
        moves++;
        break;
      case 'GameOver':
        return { gameOver: message, opponentLeft: false, color: color ?? BLACK, moves };
      case 'OpponentDisconnect':
        return { gameOver: undefined, opponentLeft: true, color: color ?? BLACK, moves };
      case 'CompulsoryMove':
      case 'GameStart':
        break;
      default:
        throw new Error(`unexpected ${message.type} during a game`);
    }
  }
}

/**
 * Plays the first `turns` moves of a game that has just started, answering
 * whichever client has a YourTurn waiting. The first to get one is black.
 * Returns each client's colour.
 */
export async function playOpeningTurns(
  clients: readonly [RawClient, RawClient],
  turns: number,
): Promise<readonly [Color, Color]> {
  let blackIndex: number | undefined;
  for (let played = 0; played < turns; ) {
    const index = clients.findIndex((client) => client.pending().some((message) => message.type === 'YourTurn'));
    const client = clients[index];
    if (!client) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    blackIndex ??= index;
    const turn = await client.expect('YourTurn');
    client.send({ type: 'MakeMove', move: legalMoveByte(turn.board, index === blackIndex ? BLACK : WHITE) });
    played++;
  }
  return blackIndex === 0 ? [BLACK, WHITE] : [WHITE, BLACK];
}

/** Waits until one of the clients receives YourTurn (skipping forced captures); returns which, and the turn. */
export async function nextTurn(
  clients: readonly RawClient[],
  timeoutMs = 15_000,
): Promise<{ index: number; turn: Extract<Message, { type: 'YourTurn' }> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const [index, client] of clients.entries()) {
      if (client.pending().some((message) => message.type === 'YourTurn')) {
        for (;;) {
          const message = await client.next(['QueuePosition', 'CompulsoryMove']);
          if (message.type === 'YourTurn') return { index, turn: message };
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`nobody got a turn within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
