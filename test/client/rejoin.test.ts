import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../src/game/position.js';
import { type Message, NO_MOVE } from '../../src/protocol/index.js';
import { runPiped } from '../support/client-process.js';
import { FakeServer } from '../support/fake-server.js';

const queued: Message = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
const jen: Message = { type: 'GameStart', opponent: 'jen', opponentRating: 1250 };
const firstTurn: Message = { type: 'YourTurn', lastMove: NO_MOVE, board: toWireBoard(INITIAL_POSITION, BLACK) };

describe('the client logging in again after a dropped game', () => {
  let server: FakeServer | undefined;
  after(() => server?.close());

  it('goes back to the queue when the game ended while it was away', async () => {
    server = await FakeServer.start(async (peer) => {
      await peer.next('Connect');
      if (server?.peers.length === 1) {
        peer.send(queued, jen, firstTurn);
        await new Promise((resolve) => setTimeout(resolve, 100));
        peer.close();
      } else {
        // The login's answer, then (no GameStart: the game is over) the queue as it stands.
        peer.send(queued);
        await new Promise((resolve) => setTimeout(resolve, 100));
        peer.send({ type: 'QueuePosition', queueSize: 2, position: 2, rating: 1190 });
      }
    });
    const player = runPiped([
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--plain',
      '--protocol',
      '1',
      '--username',
      'cam',
      '--password',
      'mac',
    ]);
    try {
      await player.waitFor(/Reconnected; logging in again/);
      const stdout = await player.waitFor(/Waiting for an opponent: 2nd of 2 in the queue, your rating 1190/);
      assert.match(stdout, /Your game ended while you were away; you are back in the queue\.\nWaiting for an opponent/);
      assert.doesNotMatch(stdout.slice(stdout.indexOf('Reconnected')), /Back in your game/);
      player.child.stdin?.end();
      assert.equal(await player.exited, 0);
    } finally {
      player.child.kill('SIGKILL');
    }
  });
});
