import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEnvelope, type Envelope, encodeEnvelope } from '../../../src/server/cluster/envelope.js';
import { RelayGuard } from '../../../src/server/cluster/relay-guard.js';
import {
  AppliedSequences,
  isAfter,
  NOTHING,
  nothingLost,
  PlayerStreamNumbering,
  type RelaySequence,
  RelaySession,
  SessionEpochs,
  streamOf,
} from '../../../src/server/cluster/relay-order.js';
import { DEFAULT_RATING } from '../../../src/server/domain/rating.js';

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
    assert.ok(applied.admit(1, white, toPlayer(3, 1)).admitted);
    assert.ok(applied.admit(1, white, toPlayer(3, 2)).admitted);
    assert.ok(!applied.admit(1, white, toPlayer(3, 2)).admitted, 'the same message again');
    assert.ok(!applied.admit(1, white, toPlayer(3, 1)).admitted, 'an older one, read again');
    assert.ok(applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 1)).admitted, 'another player');
    assert.ok(applied.admit(2, white, toPlayer(3, 1)).admitted, 'another game');
    assert.ok(applied.admit(1, streamOf('to-referee', 7, 'beta'), toReferee(3, 1)).admitted, 'the other direction');
    assert.ok(
      applied.admit(1, white, toPlayer(4, 1)).admitted,
      'a takeover: the new referee starts again under a larger token',
    );
    assert.ok(!applied.admit(1, white, toPlayer(3, 3)).admitted, 'the fenced-off referee, late');
  });

  it('keys the stream to the referee by sending node, whose session epochs need not agree with other nodes', () => {
    assert.notEqual(streamOf('to-referee', 7, 'beta'), streamOf('to-referee', 7, 'gamma'));
    assert.equal(streamOf('to-player', 7, 'alpha'), streamOf('to-player', 7, 'delta'), 'tokens order all referees');
    const applied = new AppliedSequences();
    assert.ok(applied.admit(1, streamOf('to-referee', 7, 'beta'), toReferee(2_000, 4)).admitted);
    assert.ok(
      applied.admit(1, streamOf('to-referee', 7, 'gamma'), toReferee(1_000, 0)).admitted,
      'a clock behind beta',
    );
  });

  it('forgets a game, or one player of it; and at most the given number of games, oldest first', () => {
    const applied = new AppliedSequences(2);
    const stream = streamOf('to-player', 7, 'alpha');
    applied.admit(1, stream, toPlayer(3, 5)).admitted;
    applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 5)).admitted;
    applied.forgetPlayer(1, 7);
    assert.ok(applied.admit(1, stream, toPlayer(3, 1)).admitted, 'player 7 forgotten');
    assert.ok(!applied.admit(1, streamOf('to-player', 8, 'alpha'), toPlayer(3, 5)).admitted, 'player 8 kept');
    applied.forgetGame(1);
    assert.equal(applied.gameCount, 0);
    applied.admit(10, stream, toPlayer(1, 1)).admitted;
    applied.admit(11, stream, toPlayer(1, 1)).admitted;
    applied.admit(12, stream, toPlayer(1, 1)).admitted;
    assert.equal(applied.gameCount, 2);
    assert.ok(applied.admit(10, stream, toPlayer(1, 1)).admitted, 'the oldest game went');
    assert.ok(!applied.admit(12, stream, toPlayer(1, 1)).admitted, 'the newest stays');
  });

  it('tells, with a message it admits, the last one applied before it', () => {
    const applied = new AppliedSequences();
    const stream = streamOf('to-player', 7, 'alpha');
    assert.deepEqual(applied.admit(1, stream, toPlayer(3, 1)), { admitted: true, previous: undefined });
    assert.deepEqual(applied.admit(1, stream, toPlayer(3, 2)), { admitted: true, previous: toPlayer(3, 1) });
    assert.deepEqual(applied.admit(1, stream, toPlayer(3, 2)), { admitted: false });
  });

  it('after Redis lost its data, keeps a relayed game only if nothing was lost either way', () => {
    const synced = toPlayer(5, 9);
    const intact = { sentBeforeSync: 3, receivedBeforeSync: 3, synced, appliedBeforeSynced: toPlayer(5, 8) };
    assert.ok(nothingLost(intact));
    assert.ok(!nothingLost({ ...intact, receivedBeforeSync: 2 }), "the player's last move never reached the referee");
    assert.ok(!nothingLost({ ...intact, receivedBeforeSync: NOTHING }), 'nor did the join of the session');
    assert.ok(!nothingLost({ ...intact, appliedBeforeSynced: toPlayer(5, 7) }), "the referee's last message was lost");
    assert.ok(!nothingLost({ ...intact, appliedBeforeSynced: undefined }), 'nothing arrived from the referee');
    assert.ok(!nothingLost({ ...intact, appliedBeforeSynced: toPlayer(4, 8) }), 'another referee');
    assert.ok(
      nothingLost({ ...intact, sentBeforeSync: NOTHING, receivedBeforeSync: NOTHING }),
      'a paired game in which the player has not sent anything yet',
    );
  });

  it('a relay session tells the last position it sent', () => {
    const paired = new RelaySession(10);
    assert.equal(paired.lastSent, NOTHING);
    paired.next();
    assert.equal(paired.lastSent, 1);
    const joined = new RelaySession(11);
    joined.opening();
    assert.equal(joined.lastSent, 0);
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
    const message: Envelope = {
      type: 'msg',
      gameId: 4,
      accountId: 7,
      from: 'alpha',
      bytes: 'AA==',
      sequence: toPlayer(2, 1),
    };
    assert.ok(guard.admit(message).admitted);
    assert.ok(!guard.admit(message).admitted, 'resent');
    const unnumbered: Envelope = { type: 'gone', gameId: 4, accountId: 7, from: 'gamma' };
    assert.ok(guard.admit(unnumbered).admitted && guard.admit(unnumbered).admitted);
    const first = guard.openSession();
    now = 10;
    const second = guard.openSession();
    assert.ok(second.epoch > first.epoch, 'a later session of this node comes after, whatever the clock did');
    const join: Envelope = { type: 'join', gameId: 4, accountId: 9, from: 'beta', sequence: second.opening() };
    const move: Envelope = { type: 'move', gameId: 4, accountId: 9, from: 'beta', move: 3, sequence: second.next() };
    assert.ok(guard.admit(join).admitted && guard.admit(move).admitted);
    assert.ok(!guard.admit(join).admitted && !guard.admit(move).admitted, 'an inbox read again');
    guard.forgetPlayer(4, 7);
    assert.ok(guard.admit(message).admitted, "player 7's result was delivered: its stream is forgotten");
    guard.forgetGame(4);
    assert.ok(guard.admit(move).admitted, 'the game ended here');
  });
});

describe('envelope: the sequence on the wire', () => {
  it('writes what the referee had received as r in synced', () => {
    const envelope: Envelope = {
      type: 'synced',
      gameId: 4,
      accountId: 9,
      from: 'alpha',
      receivedUpTo: NOTHING,
      sequence: toPlayer(3, 2),
    };
    const text = encodeEnvelope(envelope);
    assert.deepEqual(JSON.parse(text), { t: 'synced', g: 4, a: 9, from: 'alpha', r: -1, q: [3, 2, 0] });
    assert.deepEqual(decodeEnvelope(text), envelope);
    assert.equal(decodeEnvelope('{"t":"synced","g":4,"a":9,"from":"alpha","q":[3,2,0]}'), undefined);
    assert.equal(decodeEnvelope('{"t":"synced","g":4,"a":9,"from":"alpha","r":-2,"q":[3,2,0]}'), undefined);
  });

  it('writes the sequence as q: [epoch, position, direction] and reads it back', () => {
    const envelope: Envelope = {
      type: 'move',
      gameId: 4,
      accountId: 9,
      from: 'beta',
      move: 3,
      sequence: toReferee(1_733_500_000_123, 7),
    };
    const text = encodeEnvelope(envelope);
    assert.deepEqual(JSON.parse(text), { t: 'move', g: 4, a: 9, from: 'beta', m: 3, q: [1_733_500_000_123, 7, 1] });
    assert.deepEqual(decodeEnvelope(text), envelope);
    const plain: Envelope = { type: 'takeover', accountId: 9 };
    assert.deepEqual(decodeEnvelope(encodeEnvelope(plain)), plain);
  });

  it('names the fields in code and writes them with one letter: the pair the PAIR script writes, a message, a takeover', () => {
    // As queue.ts's PAIR script writes it in Redis, from the queue entries' JSON.
    const entry = { accountId: 1, name: 'p1', rating: 1500, glicko: DEFAULT_RATING, since: 5, node: 'alpha', key: 1 };
    const written = `{"t":"pair","g":31,"f":71,"black":${JSON.stringify(entry)},"white":${JSON.stringify({ ...entry, accountId: 2 })},"now":9}`;
    const pair = decodeEnvelope(written);
    assert.deepEqual(pair, {
      type: 'pair',
      gameId: 31,
      fence: 71,
      black: entry,
      white: { ...entry, accountId: 2 },
      now: 9,
    });
    assert.deepEqual(JSON.parse(encodeEnvelope(pair as Envelope)), JSON.parse(written));
    const message: Envelope = { type: 'msg', gameId: 1, accountId: 2, from: 'x', bytes: 'AA==' };
    assert.equal(encodeEnvelope(message), '{"t":"msg","g":1,"a":2,"from":"x","b":"AA=="}');
    assert.equal(encodeEnvelope({ type: 'takeover', accountId: 9 }), '{"t":"takeover","a":9}');
  });

  it('refuses a malformed sequence', () => {
    for (const q of ['[1,2]', '[1,-1,0]', '[1,2,2]', '[1.5,2,0]', '"x"', '[1,2,"0"]'])
      assert.equal(decodeEnvelope(`{"t":"msg","g":1,"a":2,"from":"x","b":"","q":${q}}`), undefined, q);
  });
});
