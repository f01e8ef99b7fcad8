import assert from 'node:assert/strict';
import type { MessageOfType } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from './accounts.js';
import type { ManualClock } from './manual-clock.js';
import { RawClient } from './raw-client.js';
import type { TestServer } from './test-server.js';

let counter = 0;
/** The lobby pairs players once a second. */
const MATCHMAKING_TICK_MS = 1000;

/**
 * Two fresh accounts logged in one after the other and matched. On equal
 * ratings whoever waited longer moves first, so the first is black; black has
 * just received its first YourTurn.
 */
export async function startGame(
  server: TestServer,
  /** The server's manual clock, if it has one: moved on to the next matchmaking tick once both wait. */
  clock?: ManualClock,
): Promise<{
  black: RawClient;
  white: RawClient;
  names: [string, string];
  /** Black's first YourTurn. */
  firstTurn: MessageOfType<'YourTurn'>;
  /** Closes both connections. */
  close(): void;
}> {
  counter++;
  const [blackName = '', whiteName = ''] = await addPlayers(server.store, `g${counter}p`, 2);
  const black = await RawClient.connect(server.port);
  await black.login(blackName, TEST_PASSWORD);
  const white = await RawClient.connect(server.port);
  await white.login(whiteName, TEST_PASSWORD);
  clock?.advance(MATCHMAKING_TICK_MS);
  await black.expect('GameStart');
  await white.expect('GameStart');
  const firstTurn = await black.expect('YourTurn');
  const close = () => {
    black.close();
    white.close();
  };
  return { black, white, names: [blackName, whiteName], firstTurn, close };
}

/** A game between two TCP players; after `abuse` (by someone else), black's move still reaches white. */
export async function assertBystandersUntouched(server: TestServer, abuse: () => Promise<void>): Promise<void> {
  const { black, white, close } = await startGame(server);
  try {
    await abuse();
    black.send({ type: 'MakeMove', move: 0x36 });
    const turn = await white.expect('YourTurn');
    assert.equal(turn.lastMove, 0x36);
  } finally {
    close();
  }
}

/** cam and jen (demo accounts) logged in one after the other on `port` and matched: cam waited longer, so cam is Black. */
export async function matchCamAndJen(port: number): Promise<[RawClient, RawClient]> {
  const cam = await RawClient.connect(port);
  await cam.login('cam', 'mac');
  const jen = await RawClient.connect(port);
  await jen.login('jen', 'nej');
  await cam.expect('GameStart');
  await jen.expect('GameStart');
  return [cam, jen];
}
