import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEnvelope, type Envelope, encodeEnvelope } from '../../../src/server/cluster/envelope.js';
import { RelayGuard } from '../../../src/server/cluster/relay-guard.js';
import {
  AppliedSequences,
  isAfter,
  PlayerStreamNumbering,
  type RelaySequence,
  RelaySession,
  SessionEpochs,
  streamOf,
} from '../../../src/server/cluster/relay-order.js';

const toPlayer = (epoch: number, position: number): RelaySequence => ({ epoch, position, direction: 'to-player' });
const toReferee = (epoch: number, position: number): RelaySequence => ({ epoch, position, direction: 'to-referee' });

describe('relay order: sequences', () => {
  it('orders by epoch first, then position', () => {
    assert.ok(isAfter(toPlayer(5, 2), toPlayer(5, 1)));
    assert.ok(isAfter(toPlayer(6, 1), toPlayer(5, 90)), 'a larger token comes after everything of a smaller one');
    assert.ok(!isAfter(toPlayer(5, 2), toPlayer(5, 2)));
    assert.ok(!isAfter(toPlayer(4, 99), toPlayer(5, 1)));
  });

  it('drops a message at or before the last one applied on its stream, and keeps streams apart', () => {
    const applied = new AppliedSequences();
    const white = streamOf('to-player', 7, 'alpha');
    assert.ok(applied.admit(1, white, toPlayer(3, 1)));
    assert.ok(applied.admit(1, white, toPlayer(3, 2)));
    assert.ok(!applied.admit(1, white, toPlayer(3, 2)), 'the same message again');
    assert.ok(!applied.admit(1, white, toPlayer(3, 1)), 'an older one, read again');
    assert.ok(applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 1)), 'another player');
    assert.ok(applied.admit(2, white, toPlayer(3, 1)), 'another game');
    assert.ok(applied.admit(1, streamOf('to-referee', 7, 'beta'), toReferee(3, 1)), 'the other direction');
    assert.ok(applied.admit(1, white, toPlayer(4, 1)), 'a takeover: the new referee starts again under a larger token');
    assert.ok(!applied.admit(1, white, toPlayer(3, 3)), 'the fenced-off referee, late');
  });

  it('keys the stream to the referee by sending node, whose session epochs need not agree with other nodes', () => {
    assert.notEqual(streamOf('to-referee', 7, 'beta'), streamOf('to-referee', 7, 'gamma'));
    assert.equal(streamOf('to-player', 7, 'alpha'), streamOf('to-player', 7, 'delta'), 'tokens order all referees');
    const applied = new AppliedSequences();
    assert.ok(applied.admit(1, streamOf('to-referee', 7, 'beta'), toReferee(2_000, 4)));
    assert.ok(applied.admit(1, streamOf('to-referee', 7, 'gamma'), toReferee(1_000, 0)), 'a clock behind beta');
  });

  it('forgets a game, or one player of it; and at most the given number of games, oldest first', () => {
    const applied = new AppliedSequences(2);
    const stream = streamOf('to-player', 7, 'alpha');
    applied.admit(1, stream, toPlayer(3, 5));
    applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 5));
    applied.forgetPlayer(1, 7);
    assert.ok(applied.admit(1, stream, toPlayer(3, 1)), 'player 7 forgotten');
    assert.ok(!applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 5)), 'player 8 kept');
    applied.forgetGame(1);
    assert.equal(applied.gameCount, 0);
    applied.admit(10, stream, toPlayer(1, 1));
    applied.admit(11, stream, toPlayer(1, 1));
    applied.admit(12, stream, toPlayer(1, 1));
    assert.equal(applied.gameCount, 2);
    assert.ok(applied.admit(10, stream, toPlayer(1, 1)), 'the oldest game went');
    assert.ok(!applied.admit(12, stream, toPlayer(1, 1)), 'the newest stays');
  });

  it('numbers a player stream from 1 under the fencing token', () => {
    const numbering = new PlayerStreamNumbering(12);
    assert.deepEqual([numbering.next(), numbering.next()], [toPlayer(12, 1), toPlayer(12, 2)]);
  });

  it('opens relay sessions with strictly increasing epochs, even if the clock stands still or steps back', () => {
    const epochs = new SessionEpochs();
    assert.deepEqual(
      [epochs.next(1_000), epochs.next(1_000), epochs.next(900), epochs.next(5_000.7)],
      [1_000, 1_001, 1_002, 5_000],
    );
    const session = new RelaySession(1_001);
    assert.deepEqual(
      [session.opening(), session.next(), session.next()],
      [toReferee(1_001, 0), toReferee(1_001, 1), toReferee(1_001, 2)],
    );
  });
});

describe('relay order: the guard', () => {
  it('passes every envelope once and unnumbered envelopes always', () => {
    let now = 50;
    const guard = new RelayGuard(() => now);
    const message: Envelope = { t: 'msg', g: 4, a: 7, from: 'alpha', b: 'AA==', sequence: toPlayer(2, 1) };
    assert.ok(guard.admit(message));
    assert.ok(!guard.admit(message), 'resent');
    const unnumbered: Envelope = { t: 'gone', g: 4, a: 7, from: 'gamma' };
    assert.ok(guard.admit(unnumbered) && guard.admit(unnumbered));
    const first = guard.openSession();
    now = 10;
    const second = guard.openSession();
    assert.ok(second.epoch > first.epoch, 'a later session of this node comes after, whatever the clock did');
    const join: Envelope = { t: 'join', g: 4, a: 9, from: 'beta', sequence: second.opening() };
    const move: Envelope = { t: 'move', g: 4, a: 9, from: 'beta', m: 3, sequence: second.next() };
    assert.ok(guard.admit(join) && guard.admit(move));
    assert.ok(!guard.admit(join) && !guard.admit(move), 'an inbox read again');
    guard.forgetPlayer(4, 7);
    assert.ok(guard.admit(message), "player 7's result was delivered: its stream is forgotten");
    guard.forgetGame(4);
    assert.ok(guard.admit(move), 'the game ended here');
  });
});

describe('envelope: the sequence on the wire', () => {
  it('writes the sequence as q: [epoch, position, direction] and reads it back', () => {
    const envelope: Envelope = { t: 'move', g: 4, a: 9, from: 'beta', m: 3, sequence: toReferee(1_733_500_000_123, 7) };
    const text = encodeEnvelope(envelope);
    assert.deepEqual(JSON.parse(text), { t: 'move', g: 4, a: 9, from: 'beta', m: 3, q: [1_733_500_000_123, 7, 1] });
    assert.deepEqual(decodeEnvelope(text), envelope);
    const plain: Envelope = { t: 'takeover', a: 9 };
    assert.deepEqual(decodeEnvelope(encodeEnvelope(plain)), plain);
  });

  it('refuses a malformed sequence', () => {
    for (const q of ['[1,2]', '[1,-1,0]', '[1,2,2]', '[1.5,2,0]', '"x"', '[1,2,"0"]'])
      assert.equal(decodeEnvelope(`{"t":"msg","g":1,"a":2,"from":"x","b":"","q":${q}}`), undefined, q);
  });
});
