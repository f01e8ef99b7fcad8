import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OfferDesk, type OfferRequest } from '../../../src/client/v2/offer-desk.js';

const FIVE_THREE = { initialSeconds: 300, incrementSeconds: 3 };
const CODE = Uint8Array.from({ length: 16 }, (_, i) => i);
const HEX = '000102030405060708090a0b0c0d0e0f';

/** A desk whose host records what it would send and say; `allowed` is what the protocol would let through. */
function deskFor(options: { self?: string; rated?: boolean; place?: boolean } = {}) {
  const sent: OfferRequest[] = [];
  const said: string[] = [];
  const host = {
    allowed: true,
    say: (...lines: string[]) => said.push(...lines),
    send: (message: OfferRequest) => {
      if (!host.allowed) {
        said.push('(not sent)');
        return false;
      }
      sent.push(message);
      return true;
    },
  };
  const desk = new OfferDesk(host, {
    self: options.self ?? 'cam',
    choices: { colour: 'white', opening: 'three-move', rated: options.rated ?? false },
    place: options.place === false ? undefined : { host: '127.0.0.1', port: 8864, tls: false },
  });
  return { desk, sent, said, host };
}

const offer = (challengeId: number, challenger = 'jen') => ({
  challengeId,
  challenger,
  challengerRating: 1210,
  ...FIVE_THREE,
  colour: 0,
  rated: false,
  opening: 0,
});

describe("the terminal's desk for playing a friend", () => {
  it('challenges with the time control and choices, and says accepted when the game starts against that player', () => {
    const { desk, sent, said } = deskFor({ rated: true });
    desk.challenge('Jen', FIVE_THREE);
    assert.deepEqual(sent, [{ type: 'Challenge', opponent: 'Jen', ...FIVE_THREE, colour: 1, rated: true, opening: 1 }]);
    assert.match(
      said.at(-1) ?? '',
      /^You challenge Jen \(5\+3, rated, you play White, a three-move opening drawn at random\); they have 60 s to answer\./,
    );
    assert.match(desk.waiting ?? '', /Waiting for Jen to answer your challenge/);
    assert.equal(desk.gameStarted('jen'), 'jen accepted your challenge.');
    assert.equal(desk.waiting, undefined);
  });

  it('says why a challenge was declined and forgets it; a second challenge replaces the first', () => {
    const { desk, said } = deskFor();
    desk.challenge('jen', FIVE_THREE);
    desk.challenge('kim', FIVE_THREE);
    assert.match(said.at(-1) ?? '', /^Your challenge to jen is off\. You challenge kim/);
    desk.declined(2);
    assert.equal(said.at(-1), 'kim is busy in a game: challenge them again after it.');
    assert.equal(desk.waiting, undefined);
    assert.equal(desk.gameStarted('kim'), undefined, 'a declined challenge did not start this game');
  });

  it('refuses to challenge oneself or a name too long, sending nothing', () => {
    const { desk, sent, said } = deskFor({ self: 'Cam' });
    desk.challenge('cam', FIVE_THREE);
    assert.match(said.at(-1) ?? '', /You cannot challenge yourself/);
    desk.challenge('x'.repeat(17), FIVE_THREE);
    assert.match(said.at(-1) ?? '', /^Not sent: .* names are at most 16 bytes\./);
    assert.deepEqual(sent, []);
  });

  it('announces challenges made to the player, answers the one meant, and drops those that are gone', () => {
    const { desk, sent, said } = deskFor();
    desk.offered(offer(7));
    assert.deepEqual(said.splice(0), [
      'jen (1210) challenges you to a casual game (5+3, you would play Black, standard start).',
      'Type accept to play, or decline.',
    ]);
    desk.offered(offer(9, 'kim'));
    assert.equal(said.at(-1), 'Type accept 9 to play, or decline 9 (2 challenges are open).');
    desk.answer(true, undefined);
    assert.match(said.at(-1) ?? '', /Several challenges are open \(7, 9\)/);
    desk.gone(7);
    assert.equal(said.at(-1), "jen's challenge is off: withdrawn, expired, or jen left.");
    desk.gone(7);
    assert.equal(said.at(-1), "jen's challenge is off: withdrawn, expired, or jen left.", 'said once');
    assert.equal(desk.challengesOpen, 1);
    desk.answer(false, undefined);
    assert.deepEqual(sent, [{ type: 'AnswerChallenge', challengeId: 9, accept: false }]);
    assert.equal(said.at(-1), "You decline kim's challenge.");
    assert.equal(desk.challengesOpen, 0);
  });

  it('keeps a challenge open when the protocol does not let the answer through', () => {
    const { desk, host, sent } = deskFor();
    desk.offered(offer(3));
    host.allowed = false;
    desk.answer(true, '3');
    assert.deepEqual(sent, []);
    assert.equal(desk.challengesOpen, 1);
  });

  it('prints the invite link on the port the client is on and the bare code, and says when the friend joined', () => {
    const { desk, sent, said } = deskFor();
    desk.invite(FIVE_THREE);
    assert.deepEqual(sent, [{ type: 'CreateInvite', ...FIVE_THREE, colour: 1, rated: false, opening: 1 }]);
    desk.inviteCreated(CODE, 600);
    assert.deepEqual(said, [
      'Your invite (5+3, casual, you play White, a three-move opening drawn at random) is valid for 10 minutes, for one game.',
      'A friend opens this link in a browser:',
      `  http://127.0.0.1:8864/invite/${HEX}`,
      `or, in a terminal, runs checkers-client --join ${HEX} (or types join ${HEX}).`,
      'Waiting for your friend; type withdraw to call it off.',
    ]);
    assert.equal(desk.gameStarted('guest-12345'), 'guest-12345 joined your invite.');
  });

  it('without a known place prints only the code', () => {
    const { desk, said } = deskFor({ place: false });
    desk.invite(FIVE_THREE);
    desk.inviteCreated(CODE, 600);
    assert.ok(!said.some((line) => line.includes('http')));
    assert.ok(said.some((line) => line.includes(HEX)));
  });

  it('withdraws the open offer, and says when there is none', () => {
    const { desk, sent, said } = deskFor();
    desk.withdraw();
    assert.equal(said.at(-1), 'You have no open challenge or invite to withdraw.');
    desk.invite(FIVE_THREE);
    desk.inviteCreated(CODE, 600);
    desk.withdraw();
    assert.equal(sent.at(-1)?.type, 'WithdrawOffer');
    assert.equal(said.at(-1), 'You withdraw your invite: it no longer starts a game.');
    desk.challenge('jen', FIVE_THREE);
    desk.ownEnded();
    desk.withdraw();
    assert.equal(said.at(-1), 'You have no open challenge or invite to withdraw.', 'a Seek ended it');
  });

  it('joins an invite by its code or link, and says why one is refused', () => {
    const { desk, sent, said } = deskFor();
    desk.join(`http://127.0.0.1:8864/invite/${HEX}`);
    assert.deepEqual(sent, [{ type: 'JoinInvite', code: CODE }]);
    assert.equal(desk.waiting, 'Joining the invite');
    desk.inviteRefused(0);
    assert.match(said.at(-1) ?? '', /unknown, already used or expired/);
    assert.equal(desk.waiting, undefined);
    desk.join('nonsense');
    assert.match(said.at(-1) ?? '', /^Not sent: "nonsense" is not an invite/);
    assert.equal(sent.length, 1);
    desk.join(HEX);
    assert.equal(desk.gameStarted('jen'), "You joined jen's invite.");
  });
});
