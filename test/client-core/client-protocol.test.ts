import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientProtocol } from '../../src/client-core/client-protocol.js';
import { encodeMessage, type Message } from '../../src/protocol/index.js';

const QUEUED: Message = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
const GAME_START: Message = { type: 'GameStart', opponent: 'jen', opponentRating: 1200 };

describe('the client role of version 1, without I/O', () => {
  it('encodes what the state machine allows and refuses the rest with a reason', () => {
    const protocol = new ClientProtocol();
    assert.equal(protocol.canSend('MakeMove'), false);
    const refused = protocol.send({ type: 'MakeMove', move: 0x36 });
    assert.equal(refused.ok, false);
    const connect: Message = { type: 'Connect', version: 1, username: 'cam', password: 'mac' };
    const sent = protocol.send(connect);
    assert.ok(sent.ok);
    assert.deepEqual(sent.bytes, encodeMessage(connect));
  });

  it('delivers what the server may send, and calls anything else a violation', () => {
    const protocol = new ClientProtocol();
    assert.equal(protocol.receive(GAME_START).kind, 'violation');
    const other = new ClientProtocol();
    other.send({ type: 'Connect', version: 1, username: 'cam', password: 'mac' });
    assert.deepEqual(other.receive(QUEUED), { kind: 'deliver' });
  });

  it('after its LogOut drops what the server had already sent, until it logs in again', () => {
    const protocol = new ClientProtocol();
    protocol.send({ type: 'Connect', version: 1, username: 'cam', password: 'mac' });
    protocol.receive(QUEUED);
    protocol.send({ type: 'LogOut' });
    assert.equal(protocol.state, 'Unauthenticated');
    assert.deepEqual(protocol.receive(QUEUED), { kind: 'drop' });
    assert.deepEqual(protocol.receive(GAME_START), { kind: 'drop' });
    protocol.send({ type: 'Connect', version: 1, username: 'cam', password: 'mac' });
    assert.deepEqual(protocol.receive(QUEUED), { kind: 'deliver' });
  });
});
