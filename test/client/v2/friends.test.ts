import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { readLine2, scriptLineReady2 } from '../../../src/client/v2/commands.js';
import {
  announceChallenge,
  challengeDeclinedText,
  colourValue,
  describeChoices,
  IncomingChallenges,
  inviteCodeHex,
  inviteRefusedText,
  inviteUrl,
  openingValue,
  readInviteCode,
  readPlayerName,
} from '../../../src/client/v2/friends.js';
import { ratingText } from '../../../src/client/v2/game-text.js';
import {
  addPlayOptions,
  type PlayOptionValues,
  playComputerMessage,
  readPlayOptions,
} from '../../../src/client/v2/play-options.js';

const HEX = '000102030405060708090a0b0c0d0e0f';
const CODE = Uint8Array.from({ length: 16 }, (_, i) => i);

describe('invite codes and links', () => {
  it('reads the 32 hex digits, in either case, or the link a browser opens', () => {
    assert.deepEqual(readInviteCode(HEX), { ok: true, value: CODE });
    assert.deepEqual(readInviteCode(` ${HEX.toUpperCase()} `), { ok: true, value: CODE });
    assert.deepEqual(readInviteCode(`http://127.0.0.1:8864/invite/${HEX}`), { ok: true, value: CODE });
    assert.deepEqual(readInviteCode(`https://checkers.example:443/invite/${HEX}/`), { ok: true, value: CODE });
  });

  it('refuses anything else, saying what an invite looks like', () => {
    for (const text of [
      HEX.slice(1),
      `${HEX}0`,
      'g'.repeat(32),
      `ftp://host/invite/${HEX}`,
      `http://host/play/${HEX}`,
    ]) {
      const reading = readInviteCode(text);
      assert.equal(reading.ok, false, text);
      assert.match(reading.ok ? '' : reading.reason, /is not an invite: give its 32 hex digits, or the link/);
    }
  });

  it('writes the link on the port the client is connected to, https under TLS, IPv6 in brackets', () => {
    assert.equal(inviteCodeHex(CODE), HEX);
    assert.equal(inviteUrl(CODE, { host: '127.0.0.1', port: 8864, tls: false }), `http://127.0.0.1:8864/invite/${HEX}`);
    assert.equal(inviteUrl(CODE, { host: '::1', port: 9000, tls: true }), `https://[::1]:9000/invite/${HEX}`);
    const link = inviteUrl(CODE, { host: 'checkers.example', port: 8864, tls: true });
    assert.deepEqual(readInviteCode(link), { ok: true, value: CODE }, 'the link reads back');
  });
});

describe('the choices of a challenge or an invite', () => {
  it('have the wire values of the protocol', () => {
    assert.deepEqual(
      ['black', 'white', 'random'].map((c) => colourValue(c as 'black')),
      [0, 1, 2],
    );
    assert.deepEqual([openingValue('standard'), openingValue('three-move')], [0, 1]);
    assert.equal(
      describeChoices('5+3', { colour: 'white', opening: 'three-move', rated: true }),
      '5+3, rated, you play White, a three-move opening drawn at random',
    );
    assert.equal(
      describeChoices('3+2', { colour: 'random', opening: 'standard', rated: false }),
      '3+2, casual, colours drawn at random, standard start',
    );
  });

  it('take a name of at most 16 bytes', () => {
    assert.deepEqual(readPlayerName(' jen '), { ok: true, value: 'jen' });
    assert.equal(readPlayerName('').ok, false);
    assert.equal(readPlayerName('ä'.repeat(9)).ok, false, '18 bytes of UTF-8');
  });
});

describe("the server's answers, in words", () => {
  it('says why a challenge was declined, for every reason', () => {
    assert.equal(challengeDeclinedText(0, 'jen'), 'jen declined your challenge.');
    assert.match(challengeDeclinedText(1, 'jen'), /jen is not online/);
    assert.match(challengeDeclinedText(2, 'jen'), /jen is busy in a game/);
    assert.match(challengeDeclinedText(3, 'jen'), /did not answer within 60 s: the challenge expired/);
    assert.match(
      challengeDeclinedText(4, 'jen'),
      /not yourself, and a rated game needs accounts on both sides\. A casual game needs no account: leave out --rated\./,
    );
    assert.match(challengeDeclinedText(9, 'jen'), /reason 9/);
  });

  it('says why an invite was refused, for every reason', () => {
    assert.match(inviteRefusedText(0), /unknown, already used or expired/);
    assert.match(inviteRefusedText(1), /not online now, or has started another game/);
    assert.match(inviteRefusedText(2), /your own invite/);
    assert.match(inviteRefusedText(3), /rated game: log in with an account/);
  });

  it('announces a challenge with how to answer it, the number only when several are open', () => {
    const challenge = {
      id: 7,
      challenger: 'cam',
      rating: 1200,
      timeControl: '5+3',
      colour: 1,
      rated: true,
      opening: 1,
    };
    assert.deepEqual(announceChallenge(challenge, 1), [
      'cam (1200) challenges you to a rated game (5+3, you would play White, a three-move opening).',
      'Type accept to play, or decline.',
    ]);
    assert.deepEqual(
      announceChallenge({ ...challenge, rating: 0, challenger: 'guest-12345', rated: false, colour: 2 }, 2),
      [
        'guest-12345 (guest) challenges you to a casual game (5+3, colours drawn at random, a three-move opening).',
        'Type accept 7 to play, or decline 7 (2 challenges are open).',
      ],
    );
  });
});

describe('the open challenges made to the player', () => {
  const offer = (id: number) => ({
    id,
    challenger: `p${id}`,
    rating: 1200,
    timeControl: '5+3',
    colour: 0,
    rated: false,
    opening: 0,
  });

  it('accept without a number takes the only one; with several, the number is needed', () => {
    const open = new IncomingChallenges();
    assert.deepEqual(open.pick(undefined, 'accept'), { ok: false, reason: 'There is no challenge to accept.' });
    open.add(offer(7));
    const only = open.pick(undefined, 'accept');
    assert.equal(only.ok && only.value.challenger, 'p7');
    open.add(offer(9));
    assert.deepEqual(open.pick(undefined, 'decline'), {
      ok: false,
      reason: 'Several challenges are open (7, 9): type decline and the number.',
    });
    const nine = open.pick('9', 'decline');
    assert.equal(nine.ok && nine.value.challenger, 'p9');
    assert.deepEqual(open.pick('8', 'accept'), {
      ok: false,
      reason: 'No open challenge has the number 8; open: 7, 9.',
    });
    assert.equal(open.remove(7)?.challenger, 'p7');
    assert.equal(open.remove(7), undefined, 'a challenge that is gone is gone once');
    assert.equal(open.size, 1);
  });
});

describe('the commands for playing a friend', () => {
  it('are read in the lobby and after a game, keeping the case of names and codes', () => {
    for (const phase of ['lobby', 'game-end'] as const) {
      assert.deepEqual(readLine2(phase, 'challenge Jen'), { kind: 'challenge', name: 'Jen' });
      assert.deepEqual(readLine2(phase, 'accept'), { kind: 'answer-challenge', accept: true, id: undefined });
      assert.deepEqual(readLine2(phase, 'decline 7'), { kind: 'answer-challenge', accept: false, id: '7' });
      assert.deepEqual(readLine2(phase, 'withdraw'), { kind: 'withdraw' });
      assert.deepEqual(readLine2(phase, 'invite'), { kind: 'invite' });
      assert.deepEqual(readLine2(phase, `join ${HEX.toUpperCase()}`), { kind: 'join', code: HEX.toUpperCase() });
      assert.equal(readLine2(phase, 'challenge').kind, 'say');
      assert.equal(readLine2(phase, 'join').kind, 'say');
    }
    assert.deepEqual(readLine2('lobby', 'play'), { kind: 'seek' });
    assert.deepEqual(readLine2('lobby', 'quit'), { kind: 'quit' }, 'no game to forfeit: no question');
    assert.deepEqual(readLine2('game-end', 'y'), { kind: 'seek' });
  });

  it('computer LEVEL asks for a game against the computer in the lobby and after a game; a bad level is said', () => {
    for (const phase of ['lobby', 'game-end'] as const) {
      assert.deepEqual(readLine2(phase, 'computer 3'), { kind: 'computer', level: 3 });
      assert.deepEqual(readLine2(phase, 'Computer  10'), { kind: 'computer', level: 10 });
      for (const bad of ['computer', 'computer 0', 'computer 11', 'computer three', 'computer 2 3']) {
        const said = readLine2(phase, bad);
        assert.match(said.kind === 'say' ? said.text : '', /^Type computer and a level from 1 \(easiest\) to 10/, bad);
      }
    }
    const typed = readLine2('lobby', 'computer 11');
    assert.match(typed.kind === 'say' ? typed.text : '', /\("11" is not one\)/);
    const queued = readLine2('queue', 'computer 3');
    assert.match(queued.kind === 'say' ? queued.text : '', /type leave to leave it first, then computer LEVEL/);
    const playing = readLine2('game', 'computer 3');
    assert.match(playing.kind === 'say' ? playing.text : '', /Not during a game/, 'not read as a move');
    const idle = { awaitingMyMove: false, drawOffered: false, challengesOpen: 0 };
    assert.equal(scriptLineReady2('lobby', 'computer 3', idle), true, 'a script may send it in the lobby');
  });

  it('in the queue, answer challenges and leave it; the others ask to leave it first', () => {
    assert.deepEqual(readLine2('queue', 'accept 3'), { kind: 'answer-challenge', accept: true, id: '3' });
    assert.deepEqual(readLine2('queue', 'leave'), { kind: 'leave-queue' });
    const challenge = readLine2('queue', 'challenge jen');
    assert.match(challenge.kind === 'say' ? challenge.text : '', /type leave to leave it first, then challenge/);
  });

  it('in a game, accept and decline answer a draw offer, hint asks for a move, and friends wait', () => {
    assert.deepEqual(readLine2('game', 'accept'), { kind: 'accept' });
    assert.deepEqual(readLine2('game', 'hint'), { kind: 'hint' });
    assert.equal(readLine2('game', 'invite').kind, 'say');
    assert.equal(readLine2('game', 'challenge jen').kind, 'say', 'not read as a move');
    assert.equal(readLine2('lobby', 'hint').kind, 'say');
  });

  it('a script answers a challenge once one is open, and asks for a hint on its move', () => {
    const idle = { awaitingMyMove: false, drawOffered: false, challengesOpen: 0 };
    for (const phase of ['lobby', 'queue', 'game-end'] as const) {
      assert.equal(scriptLineReady2(phase, 'accept', idle), false, phase);
      assert.equal(scriptLineReady2(phase, 'decline 4', { ...idle, challengesOpen: 1 }), true, phase);
    }
    assert.equal(scriptLineReady2('lobby', 'invite', idle), true);
    assert.equal(scriptLineReady2('lobby', 'join 0123', idle), true);
    assert.equal(scriptLineReady2('lobby', '11-15', idle), false, 'a move waits for a game to start');
    assert.equal(scriptLineReady2('game', 'hint', idle), false);
    assert.equal(scriptLineReady2('game', 'hint', { ...idle, awaitingMyMove: true }), true);
  });
});

describe('the play options', () => {
  const base: PlayOptionValues = { protocol: 2 };
  const parse = (args: string[]) =>
    addPlayOptions(new Command().exitOverride().configureOutput({ writeErr: () => {} }))
      .parse(args, { from: 'user' })
      .opts();

  it('parse --colour, --opening, --challenge and --join, refusing bad values with what is expected', () => {
    assert.deepEqual(parse(['--colour', 'White', '--opening', 'three-move', '--challenge', 'jen']), {
      colour: 'white',
      opening: 'three-move',
      challenge: 'jen',
    });
    assert.deepEqual(parse(['--join', `http://127.0.0.1:8864/invite/${HEX}`]).join, CODE);
    assert.throws(() => parse(['--colour', 'red']), /expected black, white, random/);
    assert.throws(() => parse(['--opening', 'two-move']), /expected standard or three-move/);
    assert.throws(() => parse(['--join', 'abc']), /is not an invite/);
    assert.throws(() => parse(['--computer', '11']), /expected a level from 1 to 10/);
  });

  it('make a plan: the queue by default, else the computer, a challenge, an invite, or the lobby for a guest', () => {
    const plan = (values: Partial<PlayOptionValues>) => {
      const reading = readPlayOptions({ ...base, ...values });
      assert.ok(reading.ok, reading.ok ? '' : reading.reason);
      return reading.value;
    };
    assert.deepEqual(plan({}).plan, { kind: 'seek' });
    assert.deepEqual(plan({ computer: 3 }), {
      plan: { kind: 'computer', level: 3 },
      guest: false,
      computerColour: 'black',
      choices: { colour: 'black', opening: 'standard', rated: false },
    });
    assert.deepEqual(plan({ challenge: 'jen', rated: true }).choices, {
      colour: 'random',
      opening: 'standard',
      rated: true,
    });
    assert.deepEqual(plan({ computer: 1, colour: 'white', opening: 'three-move' }).choices.colour, 'white');
    assert.deepEqual(plan({ join: CODE }).plan, { kind: 'join', code: CODE });
    assert.deepEqual(plan({ guest: true }), {
      plan: { kind: 'lobby' },
      guest: true,
      computerColour: 'black',
      choices: { colour: 'random', opening: 'standard', rated: false },
    });
    assert.equal(plan({ guest: true, colour: 'white' }).computerColour, 'white');
    assert.deepEqual(plan({ guest: true, computer: 2 }).plan, { kind: 'computer', level: 2 });
  });

  it('build the PlayComputer of a level: the time control, the colour to play the computer with, --opening, --rated', () => {
    const fiveThree = { initialSeconds: 300, incrementSeconds: 3 };
    const lobby = readPlayOptions({ ...base, guest: true, opening: 'three-move' });
    assert.ok(lobby.ok);
    assert.deepEqual(playComputerMessage(4, fiveThree, lobby.value), {
      type: 'PlayComputer',
      level: 4,
      ...fiveThree,
      rated: false,
      colour: 0,
      opening: 1,
    });
    const white = readPlayOptions({ ...base, colour: 'white', rated: true });
    assert.ok(white.ok);
    const message = playComputerMessage(7, fiveThree, white.value);
    assert.deepEqual([message.colour, message.rated, message.opening], [1, true, 0]);
  });

  it('refuse what cannot go together, naming the options', () => {
    const reason = (values: Partial<PlayOptionValues>) => {
      const reading = readPlayOptions({ ...base, ...values });
      assert.equal(reading.ok, false);
      return reading.ok ? '' : reading.reason;
    };
    assert.equal(reason({ computer: 1, challenge: 'jen' }), '--computer and --challenge: choose one of them');
    assert.equal(reason({ challenge: 'jen', join: CODE }), '--challenge and --join: choose one of them');
    assert.match(reason({ protocol: 1, computer: 1 }), /^--computer needs protocol version 2/);
    assert.match(reason({ protocol: 1, join: CODE }), /^--join needs protocol version 2/);
    assert.match(reason({ protocol: 1, guest: true }), /^--guest needs protocol version 2/);
    assert.match(reason({ guest: true, username: 'cam' }), /--guest logs in without an account/);
    assert.match(reason({ guest: true, passwordStdin: true }), /--guest logs in without an account/);
    assert.match(reason({ guest: true, rated: true }), /guests play casual games only: leave out --rated/);
  });
});

describe('ratings beside names', () => {
  it('shows a guest (named guest-, rated 0) as a guest, and everyone else by rating', () => {
    assert.equal(ratingText(0, 'guest-12345'), 'guest');
    assert.equal(ratingText(1200, 'guest-12345'), '1200');
    assert.equal(ratingText(0, 'cam'), '0');
  });
});
