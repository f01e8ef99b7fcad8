import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientProtocol } from '../../src/client-core/client-protocol.js';
import { encodeMessage, type MessageV2, WireBoard } from '../../src/protocol/index.js';

const TOKEN = new Uint8Array(16).fill(7);
const LOGGED_IN: MessageV2 = { type: 'LoggedIn', token: TOKEN, rating: 1200, tokenSeconds: 2_592_000, flags: 0 };
const START: MessageV2 = {
  type: 'GameStart2',
  opponent: 'jen',
  opponentRating: 1210,
  colour: 0,
  initialSeconds: 180,
  incrementSeconds: 2,
  rated: true,
  gameId: 1,
};
const turn = { lastPath: null, board: new WireBoard(), yourClockMs: 180_000, opponentClockMs: 180_000, flags: 0 };
const YOUR_MOVE: MessageV2 = { type: 'YourMove', ...turn };

function loggedInAndPlaying(): ClientProtocol<2> {
  const protocol = ClientProtocol.forVersion(2);
  assert.ok(protocol.send({ type: 'Resume', version: 2, username: 'cam', token: TOKEN }).ok);
  assert.deepEqual(protocol.receive(LOGGED_IN), { kind: 'deliver' });
  assert.ok(protocol.send({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 }).ok);
  assert.deepEqual(protocol.receive(START), { kind: 'deliver' });
  assert.deepEqual(protocol.receive(YOUR_MOVE), { kind: 'deliver' });
  assert.equal(protocol.state, 'Moving');
  return protocol;
}

describe('the client role of version 2, without I/O', () => {
  it('plays through login, queue and a move, encoding what it sends', () => {
    const protocol = loggedInAndPlaying();
    const move = protocol.send({ type: 'MovePath', path: [9, 14] });
    assert.ok(move.ok);
    assert.deepEqual(move.bytes, encodeMessage({ type: 'MovePath', path: [9, 14] }));
    assert.ok(protocol.send({ type: 'OfferDraw' }).ok, 'an offer may follow the move before its answer');
    assert.deepEqual(protocol.receive({ type: 'TheirMove', ...turn, lastPath: [9, 14] }), { kind: 'deliver' });
    assert.equal(protocol.state, 'Waiting');
    assert.equal(protocol.version, 2);
  });

  it('calls a version-1 message from the server a violation, and refuses to send one', () => {
    const protocol = loggedInAndPlaying();
    const receipt = protocol.receive({ type: 'GameStart', opponent: 'x', opponentRating: 1 } as unknown as MessageV2);
    assert.deepEqual(receipt, { kind: 'violation', reason: 'GameStart is not a version-2 message' });
    const sent = protocol.send({ type: 'MakeMove', move: 0x36 } as unknown as MessageV2);
    assert.deepEqual(sent, { ok: false, reason: 'MakeMove is not a version-2 message' });
  });

  it('after its LogOut in a game drops what the server had already sent, until it logs in again', () => {
    const protocol = loggedInAndPlaying();
    assert.ok(protocol.send({ type: 'LogOut' }).ok);
    assert.equal(protocol.state, 'Unauthenticated');
    const inFlight: MessageV2[] = [
      { type: 'TheirMove', ...turn },
      { type: 'DrawOffered' },
      { type: 'OpponentAway', graceSeconds: 30 },
      {
        type: 'GameOver2',
        result: 0,
        reason: 7,
        newRating: 1190,
        oldRating: 1200,
        rated: true,
        lastPath: null,
        board: new WireBoard(),
      },
      { type: 'RematchGone' },
    ];
    for (const message of inFlight) assert.deepEqual(protocol.receive(message), { kind: 'drop' }, message.type);
    assert.equal(protocol.receive(LOGGED_IN).kind, 'violation', 'an answer to no login is still an error');
    protocol.send({ type: 'Connect', version: 2, username: 'cam', password: 'mac' });
    assert.deepEqual(protocol.receive(LOGGED_IN), { kind: 'deliver' });
    assert.equal(protocol.receive({ type: 'DrawOffered' }).kind, 'violation');
  });

  it('a refused version-2 login leaves it Unauthenticated, and a version-1 protocol takes over on the same connection', () => {
    const protocol = ClientProtocol.forVersion(2);
    protocol.send({ type: 'Connect', version: 2, username: 'cam', password: 'mac' });
    assert.deepEqual(protocol.receive({ type: 'InvalidVersion', highest: 1, lowest: 1 }), { kind: 'deliver' });
    assert.equal(protocol.state, 'Unauthenticated');
    const fallback = new ClientProtocol();
    assert.ok(fallback.send({ type: 'Connect', version: 1, username: 'cam', password: 'mac' }).ok);
    assert.deepEqual(fallback.receive({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 }), {
      kind: 'deliver',
    });
    assert.equal(fallback.state, 'InQueue');
  });

  it('after LogOut and a new login, drops what was in flight until the answer to that login', () => {
    const protocol = loggedInAndPlaying();
    protocol.send({ type: 'LogOut' });
    protocol.send({ type: 'Connect', version: 2, username: 'cam', password: 'mac' });
    assert.deepEqual(protocol.receive({ type: 'TheirMove', ...turn }), { kind: 'drop' });
    assert.deepEqual(protocol.receive(LOGGED_IN), { kind: 'deliver' });
    assert.equal(protocol.receive({ type: 'TheirMove', ...turn }).kind, 'violation');
  });

  it('after LeaveQueue drops a QueuePosition sent before the server read it', () => {
    const protocol = ClientProtocol.forVersion(2);
    protocol.send({ type: 'Connect', version: 2, username: 'cam', password: 'mac' });
    protocol.receive(LOGGED_IN);
    protocol.send({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 });
    protocol.send({ type: 'LeaveQueue' });
    const queued: MessageV2 = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
    assert.deepEqual(protocol.receive(queued), { kind: 'drop' });
    assert.equal(protocol.state, 'Lobby');
    protocol.send({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 });
    assert.deepEqual(protocol.receive(queued), { kind: 'deliver' });
  });

  it('after a Seek from the game end drops rematch notices sent before the server read it', () => {
    const protocol = loggedInAndPlaying();
    protocol.receive(sampleGameOver());
    assert.equal(protocol.state, 'GameEnd');
    protocol.send({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 });
    assert.deepEqual(protocol.receive({ type: 'RematchOffered' }), { kind: 'drop' });
    assert.deepEqual(protocol.receive({ type: 'RematchGone' }), { kind: 'drop' });
    assert.deepEqual(protocol.receive(START), { kind: 'deliver' });
    assert.equal(protocol.receive({ type: 'RematchGone' }).kind, 'violation', 'a new game: no more leniency');
  });

  it('a notice during a pending MovePath does not settle it: IllegalMove still may follow', () => {
    const protocol = loggedInAndPlaying();
    protocol.send({ type: 'MovePath', path: [9, 13] });
    assert.deepEqual(protocol.receive({ type: 'DrawOffered' }), { kind: 'deliver' });
    assert.deepEqual(protocol.receive({ type: 'OpponentAway', graceSeconds: 60 }), { kind: 'deliver' });
    assert.deepEqual(protocol.receive({ type: 'IllegalMove', path: [9, 13], reason: 0 }), { kind: 'deliver' });
    assert.equal(protocol.state, 'Moving');
  });
});

function sampleGameOver(): MessageV2 {
  return {
    type: 'GameOver2',
    result: 1,
    reason: 1,
    newRating: 1216,
    oldRating: 1200,
    rated: true,
    lastPath: null,
    board: new WireBoard(),
  };
}

describe('the client role of version 2: guests, challenges, invites and hints', () => {
  const CHALLENGE: MessageV2 = {
    type: 'Challenge',
    opponent: 'jen',
    initialSeconds: 300,
    incrementSeconds: 3,
    colour: 2,
    rated: false,
    opening: 0,
  };
  const SEEK: MessageV2 = { type: 'Seek', initialSeconds: 180, incrementSeconds: 2 };
  const QUEUED: MessageV2 = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
  const ANSWERS: MessageV2[] = [
    { type: 'ChallengeDeclined', reason: 0 },
    { type: 'InviteCreated', code: TOKEN, validSeconds: 600 },
    { type: 'InviteRefused', reason: 0 },
    { type: 'HintMove', path: null },
  ];

  function asGuest(): ClientProtocol<2> {
    const protocol = ClientProtocol.forVersion(2);
    assert.ok(protocol.send({ type: 'Guest', version: 2 }).ok);
    assert.deepEqual(
      protocol.receive({ type: 'GuestLoggedIn', name: 'guest-12345', token: TOKEN, tokenSeconds: 86_400 }),
      { kind: 'deliver' },
    );
    assert.equal(protocol.state, 'Lobby');
    return protocol;
  }

  it('logs in as a guest; InvalidLogin 4 leaves it logged out', () => {
    asGuest();
    const refused = ClientProtocol.forVersion(2);
    assert.ok(refused.send({ type: 'Guest', version: 2 }).ok);
    assert.deepEqual(refused.receive({ type: 'InvalidLogin', reason: 4 }), { kind: 'deliver' });
    assert.equal(refused.state, 'Unauthenticated');
  });

  it('challenges from the lobby and hears the answer there; an accepted challenge starts the game', () => {
    const protocol = asGuest();
    assert.ok(protocol.send(CHALLENGE).ok);
    assert.deepEqual(protocol.receive({ type: 'ChallengeDeclined', reason: 2 }), { kind: 'deliver' });
    assert.ok(protocol.send(CHALLENGE).ok);
    assert.deepEqual(protocol.receive(START), { kind: 'deliver' });
    assert.equal(protocol.state, 'Waiting');
    assert.equal(protocol.canSend('Challenge'), true, 'tolerated in a game (the server ignores it)');
    assert.deepEqual(protocol.receive({ type: 'ChallengeOffered', ...CHALLENGE_OFFER }).kind, 'violation');
  });

  it('drops answers to its offers that the server sent before it read the Seek that ended them', () => {
    const protocol = asGuest();
    assert.ok(protocol.send(CHALLENGE).ok);
    assert.ok(protocol.send(SEEK).ok);
    for (const answer of ANSWERS) assert.deepEqual(protocol.receive(answer), { kind: 'drop' }, answer.type);
    assert.ok(protocol.send({ type: 'LeaveQueue' }).ok);
    for (const answer of ANSWERS)
      assert.deepEqual(protocol.receive(answer), { kind: 'drop' }, `${answer.type} in the lobby`);
    assert.deepEqual(protocol.receive(QUEUED), { kind: 'drop' }, 'the Seek answered, after the LeaveQueue');
    assert.deepEqual(protocol.receive({ type: 'ChallengeDeclined', reason: 0 }), { kind: 'deliver' }, 'a fresh answer');
  });

  it('takes challenges while queued, and may accept one from the queue', () => {
    const protocol = asGuest();
    assert.ok(protocol.send(SEEK).ok);
    assert.deepEqual(protocol.receive(QUEUED), { kind: 'deliver' });
    assert.deepEqual(protocol.receive({ type: 'ChallengeOffered', ...CHALLENGE_OFFER }), { kind: 'deliver' });
    assert.deepEqual(protocol.receive({ type: 'ChallengeGone', challengeId: 7 }), { kind: 'deliver' });
    assert.equal(protocol.canSend('Challenge'), false, 'leave the queue first');
    assert.ok(protocol.send({ type: 'AnswerChallenge', challengeId: 8, accept: true }).ok);
    assert.deepEqual(protocol.receive(START), { kind: 'deliver' });
    assert.equal(protocol.state, 'Waiting');
  });

  it('asks for a hint on its move only, and takes the answer after it moved', () => {
    const protocol = loggedInAndPlaying();
    assert.ok(protocol.send({ type: 'Hint' }).ok);
    assert.ok(protocol.send({ type: 'MovePath', path: [9, 14] }).ok);
    assert.equal(protocol.canSend('Hint'), false, 'not while the move awaits its answer');
    assert.deepEqual(protocol.receive({ type: 'HintMove', path: [11, 15] }), { kind: 'deliver' });
    assert.deepEqual(protocol.receive({ type: 'TheirMove', ...turn }), { kind: 'deliver' });
    assert.equal(protocol.canSend('Hint'), false, 'not in Waiting');
    assert.deepEqual(protocol.receive({ type: 'HintMove', path: null }), { kind: 'deliver' });
  });

  it('after its LogOut drops the challenges, invites and hints in flight', () => {
    const protocol = asGuest();
    assert.ok(protocol.send({ type: 'LogOut' }).ok);
    for (const message of [...ANSWERS, { type: 'ChallengeOffered', ...CHALLENGE_OFFER } as MessageV2]) {
      assert.deepEqual(protocol.receive(message), { kind: 'drop' }, message.type);
    }
  });
});

const CHALLENGE_OFFER = {
  challengeId: 7,
  challenger: 'jen',
  challengerRating: 1210,
  initialSeconds: 300,
  incrementSeconds: 3,
  colour: 1,
  rated: true,
  opening: 1,
} as const;
