import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeMessage, type Message } from '../../../src/protocol/index.js';
import { UNLIMITED } from '../../../src/server/limits/token-bucket.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { startGame } from '../../support/game-setup.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { connectWs, type WsPeer } from '../../support/ws-client.js';

/**
 * Raw WebSocket clients that misbehave on /play are closed or slowed exactly
 * as TCP clients are (test/server/abuse-and-endings and limits/server-limits
 * do the same over TCP), and a game between two other players goes on.
 */

/** `count` copies of `messages`, back to back, cut into binary frames of at most `frameBytes`. */
function framed(messages: readonly Message[], count: number, frameBytes = 60 * 1024): Buffer[] {
  const one = Buffer.concat(messages.map((message) => encodeMessage(message)));
  const all = Buffer.concat(Array.from({ length: count }, () => one));
  const frames: Buffer[] = [];
  for (let at = 0; at < all.length; at += frameBytes) frames.push(all.subarray(at, at + frameBytes));
  return frames;
}

/** A game between two TCP players; after `abuse`, black's move still reaches white. */
async function othersUntouched(server: TestServer, abuse: () => Promise<void>): Promise<void> {
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

async function closeOf(peer: WsPeer, withinMs = 10_000): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs);
  });
  return Promise.race([peer.closed, timeout]).finally(() => clearTimeout(timer));
}

describe('protocol errors on /play close the WebSocket with a code and reason', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('garbage bytes: 1002 naming the error, as TCP closes on a decode error', async () => {
    await othersUntouched(server, async () => {
      const intruder = await connectWs(server.port);
      intruder.socket.send(Uint8Array.of(0xff, 0x00, 0x13));
      const close = await closeOf(intruder);
      assert.equal(close.code, 1002);
      assert.match(close.reason, /^protocol-error: .*0xff/);
    });
  });

  it('a message the state machine forbids: 1002', async () => {
    const intruder = await connectWs(server.port);
    intruder.client.send({ type: 'MakeMove', move: 0x36 });
    const close = await closeOf(intruder);
    assert.equal(close.code, 1002);
    assert.match(close.reason, /^protocol-error/);
  });

  it('a half message: closed after the incomplete-message second, like TCP', async () => {
    await othersUntouched(server, async () => {
      const intruder = await connectWs(server.port);
      const sent = Date.now();
      intruder.socket.send(encodeMessage({ type: 'Connect', version: 1, username: 'x', password: 'y' }).subarray(0, 5));
      const close = await closeOf(intruder, 15_000);
      assert.ok(Date.now() - sent >= 900, 'closed before the second was up');
      assert.equal(close.code, 1002);
      assert.match(close.reason, /incomplete message/);
    });
  });

  it('a text frame: 1003; a player in a game forfeits as on any protocol error', async () => {
    await othersUntouched(server, async () => {
      const intruder = await connectWs(server.port);
      intruder.socket.send('GET / HTTP/1.1');
      assert.equal((await closeOf(intruder)).code, 1003);
    });
    const [wsName = '', tcpName = ''] = await addPlayers(server.store, 'wstext', 2);
    const browser = await connectWs(server.port);
    await browser.client.login(wsName, TEST_PASSWORD);
    const opponent = await RawClient.connect(server.port);
    await opponent.login(tcpName, TEST_PASSWORD);
    await opponent.expect('GameStart');
    await browser.client.expect('GameStart');
    browser.socket.send('{"move":"11-15"}');
    assert.equal((await closeOf(browser)).code, 1003);
    await opponent.expect('OpponentDisconnect');
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'protocol-error');
    opponent.close();
  });

  it('a frame over 64 KiB: 1009', async () => {
    await othersUntouched(server, async () => {
      const intruder = await connectWs(server.port);
      intruder.socket.send(Buffer.alloc(64 * 1024 + 1, 0x0c));
      assert.equal((await closeOf(intruder)).code, 1009);
    });
  });
});

describe('a flood over /play', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { throttleLimitMs: 1500 } });
  });
  after(() => server.stop());

  it('a wrong-password flood gets the same few answers as over TCP, then 1008 rate-limit', async () => {
    const [victim = ''] = await addPlayers(server.store, 'wsvictim', 1);
    await othersUntouched(server, async () => {
      const attacker = await connectWs(server.port, { localAddress: '127.0.3.1' });
      for (const frame of framed([{ type: 'Connect', version: 1, username: victim, password: 'guess' }], 10_000)) {
        attacker.socket.send(frame);
      }
      const close = await closeOf(attacker);
      assert.equal(close.code, 1008);
      assert.equal(close.reason, 'rate-limit');
      const answers = attacker.client.pending().filter((message) => message.type === 'InvalidLogin').length;
      assert.ok(answers >= 5 && answers <= 8, `${answers} InvalidLogin answers`);
    });
  });

  it('a Connect/LogOut flood is slowed, then closed, while another game goes on', async () => {
    const [flooder = ''] = await addPlayers(server.store, 'wsflooder', 1);
    await othersUntouched(server, async () => {
      const attacker = await connectWs(server.port, { localAddress: '127.0.3.2' });
      const chain: Message[] = [
        { type: 'Connect', version: 1, username: flooder, password: TEST_PASSWORD },
        { type: 'LogOut' },
      ];
      for (const frame of framed(chain, 50_000)) attacker.socket.send(frame);
      assert.equal((await closeOf(attacker)).code, 1008);
    });
  });
});

describe('a WebSocket client that does not read', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      timing: { reconnectGraceMs: 0 },
      limits: { maxPendingOutputBytes: 16 * 1024, messageRate: UNLIMITED, messageRatePerAddress: UNLIMITED },
    });
  });
  after(() => server.stop());

  it('is closed once its unread output passes the bound, and its opponent wins', async () => {
    const [reader = '', opponent = ''] = await addPlayers(server.store, 'wsslow', 2);
    const stalled = await connectWs(server.port);
    await stalled.client.login(reader, TEST_PASSWORD);
    const other = await RawClient.connect(server.port);
    await other.login(opponent, TEST_PASSWORD);
    await other.expect('GameStart');
    const first = await stalled.client.next(['QueuePosition', 'GameStart']);
    // The WebSocket's player moves first (it waited longer): square 1 stepping off the board is illegal, each
    // earning an InvalidMove with the board, which this client never reads.
    assert.equal(first.type, 'YourTurn');
    stalled.socket.pause();
    for (const frame of framed([{ type: 'MakeMove', move: 0 }], 1_500_000)) stalled.socket.send(frame);
    await other.expect('OpponentDisconnect', 15_000);
    stalled.socket.resume();
    await closeOf(stalled, 15_000);
    // As over TCP: dropped for not reading is a lost connection, which forfeits at once with no grace.
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'disconnect');
    other.close();
  });
});
