import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../src/game/position.js';
import type { MessageOfType } from '../../src/protocol/index.js';
import { type ClientProcess, runPiped } from './client-process.js';
import { type FakePeer, FakeServer } from './fake-server.js';

/**
 * What the terminal client's scripted tests share: fake servers closed
 * together after the file, the client piped to one on loopback, and the
 * version-2 messages their scripts send most, with fields a test may change.
 */
export class FakeServers {
  readonly #started: FakeServer[] = [];

  async start(serve: (peer: FakePeer) => void | Promise<void>): Promise<FakeServer> {
    const server = await FakeServer.start(serve);
    this.#started.push(server);
    return server;
  }

  async closeAll(): Promise<void> {
    for (const server of this.#started.splice(0)) await server.close();
  }
}

/** The terminal client on `port` of 127.0.0.1, plain board, stdin piped. */
export function pipedClient(port: number, ...extra: string[]): ClientProcess {
  return runPiped(['--host', '127.0.0.1', '--port', String(port), '--plain', ...extra]);
}

/** The resume token the fake servers hand out. */
export const SCRIPTED_TOKEN = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

export function loggedInV2(flags = 0): MessageOfType<'LoggedIn'> {
  return { type: 'LoggedIn', token: SCRIPTED_TOKEN, rating: 1200, tokenSeconds: 30 * 86_400, flags };
}

/** A 5+3 rated game against jen (1210), the client Black, unless `fields` say otherwise. */
export function gameStartV2(
  fields: Partial<Omit<MessageOfType<'GameStart2'>, 'type'>> = {},
): MessageOfType<'GameStart2'> {
  return {
    type: 'GameStart2',
    opponent: 'jen',
    opponentRating: 1210,
    colour: 0,
    initialSeconds: 300,
    incrementSeconds: 3,
    rated: true,
    gameId: 7,
    ...fields,
  };
}

/** The client's move in the starting position, seen by Black, unless `fields` say otherwise. */
export function yourMoveV2(fields: Partial<Omit<MessageOfType<'YourMove'>, 'type'>> = {}): MessageOfType<'YourMove'> {
  return {
    type: 'YourMove',
    lastPath: null,
    board: toWireBoard(INITIAL_POSITION, BLACK),
    yourClockMs: 300_000,
    opponentClockMs: 297_500,
    flags: 0,
    ...fields,
  };
}
