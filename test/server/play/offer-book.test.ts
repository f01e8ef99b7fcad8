import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHALLENGE_MS,
  DECLINE_COOL_OFF_MS,
  INVITE_MS,
  OfferBook,
  type OfferTerms,
  type Outbox,
  receiverColour,
} from '../../../src/server/play/offer-book.js';
import { ManualClock } from '../../support/manual-clock.js';

const CAM = { accountId: 1, name: 'cam', rating: 1200 };
const JEN = { accountId: 2, name: 'jen', rating: 1250 };
const ANA = { accountId: 3, name: 'ana', rating: 1300 };
const TERMS: OfferTerms = {
  timeControl: { initialSeconds: 300, incrementSeconds: 3 },
  colour: 0,
  rated: true,
  opening: 1,
};
const CODE = Uint8Array.from({ length: 16 }, (_, i) => i);
const OTHER_CODE = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);

function book() {
  const clock = new ManualClock();
  const expired: Outbox[] = [];
  return { clock, expired, offers: new OfferBook(clock, (outbox) => expired.push(outbox)) };
}

/** "accountId type detail" for each message, in order. */
function summary(outbox: Outbox): string[] {
  return outbox.map(({ accountId, message }) => {
    const detail =
      message.type === 'ChallengeDeclined' || message.type === 'InviteRefused'
        ? message.reason
        : message.type === 'ChallengeOffered' || message.type === 'ChallengeGone'
          ? message.challengeId
          : message.validSeconds;
    return `${accountId} ${message.type} ${detail}`;
  });
}

describe('OfferBook: challenges (manual clock)', () => {
  it('offers a challenge to the challenged player, with the colour they would play and the terms', () => {
    const { offers } = book();
    const [offer] = offers.challenge(CAM, JEN, TERMS);
    assert.deepEqual(offer, {
      accountId: JEN.accountId,
      message: {
        type: 'ChallengeOffered',
        challengeId: 1,
        challenger: 'cam',
        challengerRating: 1200,
        initialSeconds: 300,
        incrementSeconds: 3,
        colour: 1,
        rated: true,
        opening: 1,
      },
    });
    assert.deepEqual([0, 1, 2].map(receiverColour), [1, 0, 2]);
  });

  it('expires after 60 s: ChallengeGone to the challenged, ChallengeDeclined 3 to the challenger', () => {
    const { clock, expired, offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    clock.advance(CHALLENGE_MS - 1);
    assert.deepEqual(expired, []);
    assert.ok(offers.challengeTo(JEN.accountId, 1));
    clock.advance(1);
    assert.deepEqual(expired.map(summary), [['2 ChallengeGone 1', '1 ChallengeDeclined 3']]);
    assert.equal(offers.challengeTo(JEN.accountId, 1), undefined);
    assert.equal(offers.accept(JEN.accountId, 1), undefined, 'an expired challenge cannot be accepted');
    assert.equal(offers.size, 0);
  });

  it('is accepted once, only by the challenged player', () => {
    const { clock, expired, offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    assert.equal(offers.accept(ANA.accountId, 1), undefined, 'not yours');
    assert.equal(offers.accept(CAM.accountId, 1), undefined, 'not your own');
    assert.equal(offers.accept(JEN.accountId, 1)?.from, CAM);
    assert.equal(offers.accept(JEN.accountId, 1), undefined, 'used once');
    clock.advance(CHALLENGE_MS);
    assert.deepEqual(expired, [], 'its timer went with it');
  });

  it('a new challenge or invite replaces the old one: the old challenged player hears ChallengeGone', () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    assert.deepEqual(summary(offers.challenge(CAM, ANA, TERMS)), ['2 ChallengeGone 1', '3 ChallengeOffered 2']);
    assert.deepEqual(summary(offers.createInvite(CAM, TERMS, CODE)), ['3 ChallengeGone 2', '1 InviteCreated 600']);
    assert.equal(offers.size, 1);
    assert.deepEqual(summary(offers.challenge(CAM, JEN, TERMS)), ['2 ChallengeOffered 3']);
    assert.equal(offers.invite(CODE), undefined, 'the invite was replaced silently');
  });

  it('a player may hold several challenges at once, each with its own id', () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    offers.challenge(ANA, JEN, TERMS);
    assert.equal(offers.challengeTo(JEN.accountId, 1)?.from, CAM);
    assert.equal(offers.challengeTo(JEN.accountId, 2)?.from, ANA);
  });

  it('after a decline, the same challenger is declined at once for 30 s (others are not)', () => {
    const { clock, offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    assert.deepEqual(summary(offers.decline(JEN.accountId, 1)), ['1 ChallengeDeclined 0']);
    assert.deepEqual(offers.decline(JEN.accountId, 1), [], 'a gone id is ignored');
    clock.advance(DECLINE_COOL_OFF_MS - 1);
    assert.deepEqual(summary(offers.challenge(CAM, JEN, TERMS)), ['1 ChallengeDeclined 0']);
    assert.equal(offers.size, 0);
    assert.deepEqual(summary(offers.challenge(ANA, JEN, TERMS)), ['2 ChallengeOffered 2']);
    assert.deepEqual(summary(offers.challenge(CAM, ANA, TERMS)), ['3 ChallengeOffered 3'], 'another player');
    clock.advance(1);
    assert.deepEqual(summary(offers.challenge(CAM, JEN, TERMS)), ['3 ChallengeGone 3', '2 ChallengeOffered 4']);
  });

  it("a game start ends the player's own offer silently and declines the challenges to them as busy", () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    offers.challenge(ANA, JEN, TERMS);
    offers.createInvite(JEN, TERMS, CODE);
    assert.deepEqual(summary(offers.gameStarted(JEN.accountId)), ['1 ChallengeDeclined 2', '3 ChallengeDeclined 2']);
    assert.equal(offers.size, 0);
    assert.equal(offers.invite(CODE), undefined);
  });

  it('WithdrawOffer, Seek and the like end the own offer: ChallengeGone to the challenged, nothing to the maker', () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    assert.deepEqual(summary(offers.end(CAM.accountId)), ['2 ChallengeGone 1']);
    assert.deepEqual(offers.end(CAM.accountId), []);
  });

  it('leaving for good ends the own offer and declines the challenges to the player as not online', () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    offers.createInvite(JEN, TERMS, CODE);
    assert.deepEqual(summary(offers.left(JEN.accountId)), ['1 ChallengeDeclined 1']);
    assert.equal(offers.invite(CODE), undefined);
  });

  it('a dropped connection ends a challenge but keeps an invite', () => {
    const { offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    offers.createInvite(ANA, TERMS, CODE);
    assert.deepEqual(summary(offers.dropped(CAM.accountId)), ['2 ChallengeGone 1']);
    assert.deepEqual(offers.dropped(ANA.accountId), []);
    assert.equal(offers.invite(CODE)?.maker, ANA);
  });
});

describe('OfferBook: invites (manual clock)', () => {
  it('is used once: the second join is refused as unknown (0)', () => {
    const { offers } = book();
    offers.createInvite(CAM, TERMS, CODE);
    const joined = offers.join(JEN, CODE);
    assert.equal(joined.kind === 'joined' && joined.invite.maker, CAM);
    assert.deepEqual(offers.join(ANA, CODE), { kind: 'refused', reason: 0 });
  });

  it("refuses the maker's own invite (2) and keeps it; an unknown code is 0", () => {
    const { offers } = book();
    offers.createInvite(CAM, TERMS, CODE);
    assert.deepEqual(offers.join(CAM, CODE), { kind: 'refused', reason: 2 });
    assert.deepEqual(offers.join(JEN, OTHER_CODE), { kind: 'refused', reason: 0 });
    assert.equal(offers.join(JEN, CODE).kind, 'joined');
  });

  it('expires after 600 s, silently', () => {
    const { clock, expired, offers } = book();
    offers.createInvite(CAM, TERMS, CODE);
    clock.advance(INVITE_MS - 1);
    assert.ok(offers.invite(CODE));
    clock.advance(1);
    assert.deepEqual(expired, []);
    assert.deepEqual(offers.join(JEN, CODE), { kind: 'refused', reason: 0 });
    assert.equal(offers.size, 0);
  });

  it('clear ends everything, timers included', () => {
    const { clock, expired, offers } = book();
    offers.challenge(CAM, JEN, TERMS);
    offers.createInvite(ANA, TERMS, CODE);
    offers.clear();
    assert.equal(offers.size, 0);
    assert.equal(clock.pending, 0);
    clock.advance(INVITE_MS);
    assert.deepEqual(expired, []);
  });
});
