import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { challengeDeclinedText, inviteRefusedText } from '../../src/protocol/index.js';
import { choicesWords, countdownText, inviteUrl, readInviteCode } from '../../src/web/play/friends.js';
import { KEPT_INVITE_KEY } from '../../src/web/play/kept-invite.js';
import { pathText } from '../../src/web/play/path-text.js';
import { RESUME_KEY } from '../../src/web/play/resume-token.js';
import { logIn, setup, startGame, TOKEN, turn } from './session-support.js';

const CODE = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
const CODE_HEX = '00112233445566778899aabbccddeeff';

function guestIn(t: ReturnType<typeof setup>, name = 'guest-12345') {
  t.link().events.open();
  t.link().events.guestLoggedIn({ name, token: TOKEN, validSeconds: 86_400 });
}

function computerGame(t: ReturnType<typeof setup>, rated: boolean) {
  t.link().events.gameStart({
    opponent: 'checkers-bot',
    opponentRating: 1500,
    color: 0,
    timeControl: { initialSeconds: 300, incrementSeconds: 3 },
    rated,
    gameId: 9,
  });
  t.link().events.turn(turn(INITIAL_POSITION, 0, null), true);
}

describe('guests (web session)', () => {
  it('a guest logs in with one click, keeps the token for a reload, and plays casual only', () => {
    const t = setup();
    t.session.playAsGuest();
    guestIn(t);
    assert.deepEqual(t.link().commands(), ['Guest']);
    const view = t.last();
    assert.equal(view.phase, 'lobby');
    assert.equal(view.guest, true);
    assert.equal(view.username, 'guest-12345');
    assert.match(view.status, /You play as guest-12345, a guest/);
    assert.match(t.storage.getItem(RESUME_KEY) ?? '', /"username":"guest-12345"/);
    t.session.chooseOptions({ rated: true, colour: 'white', opening: 'three-move' });
    t.session.playComputer(2);
    assert.deepEqual(t.link().sent.at(-1), {
      command: 'PlayComputer',
      args: [2, 300, false, 'white', 'three-move'],
    });
  });

  it('a reloaded guest resumes with the token and is still a guest', () => {
    const first = setup();
    first.session.playAsGuest();
    guestIn(first);
    const t = setup({ storage: first.storage });
    assert.equal(t.session.resume(), true);
    t.link().events.open();
    assert.deepEqual(t.link().sent[0], { command: 'Resume', args: ['guest-12345', [...TOKEN]] });
    t.link().events.loggedIn({ token: TOKEN, rating: 0, validSeconds: 86_400, gameFollows: false });
    assert.equal(t.last().guest, true);
  });

  it('the queue asks a guest, and a visitor, to log in with an account, then queues after the login', () => {
    const t = setup();
    t.session.playAsGuest();
    guestIn(t);
    t.session.joinQueue();
    assert.deepEqual(t.link().commands(), ['Guest', 'LogOut'], 'no Seek from a guest');
    assert.equal(t.last().phase, 'login');
    assert.equal(t.last().guest, false);
    assert.match(t.last().status, /Log in with your account to join the queue/);
    assert.equal(t.storage.getItem(RESUME_KEY), null, 'the guest token is forgotten');
    logIn(t);
    assert.deepEqual(t.link().commands(), ['Connect', 'Seek']);
    assert.equal(t.last().phase, 'queue');
  });

  it('a server with guests off refuses in words, and the visitor stays at the login', () => {
    const t = setup();
    t.session.playAsGuest();
    t.link().events.open();
    t.link().events.invalidLogin(4);
    assert.equal(t.last().phase, 'login');
    assert.equal(t.last().error, 'This server does not let guests play: log in with an account.');
  });

  it('a guest login against a version-1 server says guests need version 2 and does not fall back', () => {
    const t = setup();
    t.session.playAsGuest();
    t.link().events.open();
    t.link().events.invalidVersion(1, 1);
    assert.deepEqual(t.fallbacks, []);
    assert.match(t.last().error ?? '', /Guests need protocol version 2/);
  });

  it('"Play the computer" logged out plays as a guest at once with the chosen options', () => {
    const t = setup();
    t.session.chooseTimeControl({ initialSeconds: 180, incrementSeconds: 2 });
    t.session.chooseOptions({ colour: 'random', opening: 'standard' });
    t.session.playComputer(1);
    assert.equal(t.last().phase, 'connecting');
    guestIn(t);
    assert.deepEqual(t.link().sent.at(-1), { command: 'PlayComputer', args: [1, 180, false, 'random', 'standard'] });
    assert.equal(t.last().askingComputer, true);
  });
});

describe('invite links (web session)', () => {
  it('creates a link with the options, shows its code and expiry, and withdraws it', () => {
    const t = setup();
    logIn(t);
    t.session.chooseOptions({ colour: 'white', rated: true, opening: 'three-move' });
    t.session.createInvite();
    assert.deepEqual(t.link().sent.at(-1), { command: 'CreateInvite', args: [300, 'white', true, 'three-move'] });
    assert.equal(t.last().friends?.open?.kind, 'invite-asked');
    t.link().events.inviteCreated({ code: CODE, validSeconds: 600 });
    const open = t.last().friends?.open;
    assert.equal(open?.kind, 'invite');
    assert.equal(open?.kind === 'invite' && open.code, CODE_HEX);
    assert.equal(open?.kind === 'invite' && open.expiresAt, t.timers.now() + 600_000);
    assert.match(t.last().status, /works once, for 10 minutes/);
    t.session.withdrawOffer();
    assert.equal(t.link().commands().at(-1), 'WithdrawOffer');
    assert.equal(t.last().friends?.open, undefined);
  });

  it('a link opened logged out joins once the visitor plays as a guest; a refusal is said in words', () => {
    const t = setup();
    t.session.joinInvite(CODE_HEX.toUpperCase());
    assert.equal(t.links.length, 0, 'nothing is sent before a login');
    assert.match(t.last().status, /Log in, or play as a guest, to accept the invite/);
    t.session.playAsGuest();
    guestIn(t);
    assert.deepEqual(t.link().sent.at(-1), { command: 'JoinInvite', args: [[...CODE]] });
    t.link().events.inviteRefused(1);
    assert.equal(t.last().friends?.notice, inviteRefusedText(1));
    assert.match(t.last().friends?.notice ?? '', /not online now, or has started another game/);
  });

  it('a code that is not 32 hex digits is refused before anything is sent', () => {
    const t = setup();
    logIn(t);
    t.session.joinInvite('not-a-code');
    assert.deepEqual(t.link().commands(), ['Connect']);
    assert.match(t.last().friends?.notice ?? '', /not an invite link/);
    assert.equal(readInviteCode('0011'), undefined);
    assert.deepEqual(readInviteCode(CODE_HEX), CODE);
  });

  it('the open invite ends when the player joins the queue or a game starts', () => {
    const t = setup();
    logIn(t);
    t.session.createInvite();
    t.link().events.inviteCreated({ code: CODE, validSeconds: 600 });
    t.session.joinQueue();
    assert.equal(t.last().friends?.open, undefined);
  });
});

describe('invite links across a reload (web session)', () => {
  function madeInvite() {
    const t = setup();
    logIn(t);
    t.session.chooseOptions({ colour: 'white', opening: 'three-move' });
    t.session.createInvite();
    t.link().events.inviteCreated({ code: CODE, validSeconds: 600 });
    return t;
  }

  function reloaded(before: ReturnType<typeof setup>, afterMs = 0) {
    const t = setup({ storage: before.storage, tab: before.tab });
    t.timers.time = before.timers.now() + afterMs;
    assert.equal(t.session.resume(), true);
    t.link().events.open();
    t.link().events.loggedIn({ token: TOKEN, rating: 1210, validSeconds: 86_400, gameFollows: false });
    return t;
  }

  it('the maker sees the link again after a reload, with its code, expiry and choices, while it is valid', () => {
    const first = madeInvite();
    const made = first.last().friends?.open;
    assert.equal(made?.kind, 'invite');
    const t = reloaded(first, 60_000);
    assert.deepEqual(t.last().friends?.open, made);
    assert.equal(t.last().phase, 'lobby');
    t.session.withdrawOffer();
    assert.equal(t.link().commands().at(-1), 'WithdrawOffer');
    assert.equal(reloaded(t).last().friends?.open, undefined, 'a withdrawn link is forgotten');
  });

  it('an expired link is not shown after a reload, nor one of another player', () => {
    const first = madeInvite();
    assert.equal(reloaded(first, 600_000).last().friends?.open, undefined, 'expired');
    assert.equal(first.tab.getItem(KEPT_INVITE_KEY), null, 'and forgotten');
    const second = madeInvite();
    second.storage.setItem(RESUME_KEY, second.storage.getItem(RESUME_KEY)?.replace('"cam"', '"kim"') ?? '');
    assert.equal(reloaded(second).last().friends?.open, undefined, "not kim's");
  });

  it('a game start or a logout forgets the link', () => {
    const first = madeInvite();
    startGame(first, 0);
    assert.equal(first.tab.getItem(KEPT_INVITE_KEY), null, 'a game started');
    const second = madeInvite();
    assert.notEqual(second.tab.getItem(KEPT_INVITE_KEY), null);
    second.session.logOut();
    assert.equal(second.tab.getItem(KEPT_INVITE_KEY), null, 'logged out');
  });

  it('an unreadable kept link is ignored', () => {
    const first = madeInvite();
    first.tab.setItem(KEPT_INVITE_KEY, '{"username":"cam","code":"zz","expiresAt":9e15}');
    assert.equal(reloaded(first).last().friends?.open, undefined);
    assert.equal(first.tab.getItem(KEPT_INVITE_KEY), null, 'and forgotten');
  });
});

describe('challenges (web session)', () => {
  it('a challenge by name carries the options; a decline is said in words and ends it', () => {
    const t = setup();
    logIn(t);
    t.session.challenge('  jen ');
    assert.deepEqual(t.link().sent.at(-1), { command: 'Challenge', args: ['jen', 300, 'black', false, 'standard'] });
    assert.equal(t.last().friends?.open?.kind, 'challenge');
    t.link().events.challengeDeclined(2);
    assert.equal(t.last().friends?.open, undefined);
    assert.equal(t.last().friends?.notice, 'jen is busy in a game: challenge them again after it.');
    assert.equal(t.last().status, 'jen is busy in a game: challenge them again after it.');
    t.session.challenge('');
    assert.equal(
      t
        .link()
        .commands()
        .filter((c) => c === 'Challenge').length,
      1,
      'no empty name sent',
    );
    t.session.challenge('kim');
    t.link().events.challengeDeclined(4);
    assert.equal(t.last().friends?.notice, challengeDeclinedText(4, 'kim'), 'the words both clients share');
  });

  it('several offers show at once; each leaves on ChallengeGone or an answer; a game start clears them', () => {
    const t = setup();
    logIn(t);
    const offer = (id: number, from: string) =>
      t.link().events.challengeOffered({
        id,
        from,
        rating: 1200,
        control: { initialSeconds: 180, incrementSeconds: 2 },
        colour: 'white',
        rated: false,
        opening: 'standard',
      });
    offer(7, 'jen');
    offer(8, 'bob');
    offer(9, 'ann');
    assert.deepEqual(
      t.last().friends?.incoming.map((o) => o.from),
      ['jen', 'bob', 'ann'],
    );
    assert.match(t.last().status, /ann challenges you/);
    t.link().events.challengeGone(8);
    assert.deepEqual(
      t.last().friends?.incoming.map((o) => o.id),
      [7, 9],
    );
    t.session.answerChallenge(9, false);
    assert.deepEqual(t.link().sent.at(-1), { command: 'AnswerChallenge', args: [9, false] });
    t.session.answerChallenge(9, true);
    assert.equal(
      t
        .link()
        .commands()
        .filter((c) => c === 'AnswerChallenge').length,
      1,
      'an answered id is gone',
    );
    t.session.answerChallenge(7, true);
    assert.deepEqual(t.link().sent.at(-1), { command: 'AnswerChallenge', args: [7, true] });
    t.link().events.gameStart({
      opponent: 'jen',
      opponentRating: 1200,
      color: 1,
      timeControl: { initialSeconds: 180, incrementSeconds: 2 },
      rated: false,
      gameId: 3,
    });
    assert.deepEqual(t.last().friends?.incoming, []);
    assert.equal(t.last().phase, 'game');
  });
});

describe('hints (web session)', () => {
  it('in a casual game against the computer: asked once at a time, shown, counted, cleared by the move', () => {
    const t = setup();
    logIn(t);
    t.session.playComputer(1);
    computerGame(t, false);
    assert.equal(t.last().standard?.hints.allowed, true);
    t.session.hint();
    t.session.hint();
    assert.equal(
      t
        .link()
        .commands()
        .filter((c) => c === 'Hint').length,
      1,
    );
    assert.equal(t.last().standard?.hints.asking, true);
    const best = legalMoves(INITIAL_POSITION)[2];
    assert.ok(best);
    t.link().events.hintMove([best.from + 1, ...best.path.map((bit) => bit + 1)]);
    assert.deepEqual(t.last().standard?.hints.move, best);
    assert.equal(t.last().standard?.hints.used, 1);
    assert.match(t.last().status, new RegExp(`Hint: ${pathText(best)}`));
    t.session.play(best);
    assert.equal(t.last().standard?.hints.move, undefined);
    const after = applyMove(INITIAL_POSITION, best);
    const reply = legalMoves(after)[0];
    assert.ok(reply);
    t.link().events.turn(turn(applyMove(after, reply), 0, [reply.from + 1, ...reply.path.map((b) => b + 1)]), true);
    t.session.hint();
    t.link().events.hintMove(null);
    assert.equal(t.last().standard?.hints.used, 1, 'no move, no count');
    assert.match(t.last().status, /No hints in this game/);
  });

  it('a hint that comes after the player moved is dropped, uncounted', () => {
    const t = setup();
    logIn(t);
    t.session.playComputer(1);
    computerGame(t, false);
    t.session.hint();
    const move = legalMoves(INITIAL_POSITION)[0];
    assert.ok(move);
    t.session.play(move);
    t.link().events.hintMove([move.from + 1, ...move.path.map((bit) => bit + 1)]);
    assert.equal(t.last().standard?.hints.used, 0);
    assert.equal(t.last().standard?.hints.move, undefined);
  });

  it('no hint is asked in a rated game against the computer, nor against a person', () => {
    const t = setup();
    logIn(t);
    t.session.chooseOptions({ rated: true });
    t.session.playComputer(1);
    computerGame(t, true);
    assert.equal(t.last().standard?.hints.allowed, false);
    t.session.hint();
    assert.equal(t.link().commands().includes('Hint'), false);
    const u = setup();
    logIn(u);
    u.link().events.gameStart({
      opponent: 'jen',
      opponentRating: 1200,
      color: 1,
      timeControl: { initialSeconds: 180, incrementSeconds: 2 },
      rated: false,
      gameId: 4,
    });
    u.link().events.turn(turn(INITIAL_POSITION, WHITE, null), false);
    assert.equal(u.last().standard?.hints.allowed, false);
  });
});

describe('the words of the friends panel', () => {
  it('says the choices from the reader’s side, counts down in minutes and seconds, and builds the link', () => {
    const choices = {
      control: { initialSeconds: 180, incrementSeconds: 2 },
      colour: 'white',
      rated: true,
      opening: 'three-move',
    } as const;
    assert.equal(choicesWords(choices), '3+2, you play White, rated, a three-move ballot');
    assert.equal(
      choicesWords({ ...choices, colour: 'random', rated: false, opening: 'standard' }),
      '3+2, colours drawn at random, casual, the standard start',
    );
    assert.equal(countdownText(600_000), '10:00');
    assert.equal(countdownText(59_001), '1:00');
    assert.equal(countdownText(9_500), '0:10');
    assert.equal(countdownText(-5), '0:00');
    assert.equal(inviteUrl('http://127.0.0.1:8864', CODE_HEX), `http://127.0.0.1:8864/invite/${CODE_HEX}`);
  });
});
