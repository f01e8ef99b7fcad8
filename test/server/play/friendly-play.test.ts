import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { Opening } from '../../../src/game/openings.js';
import type { AnyMessage } from '../../../src/protocol/index.js';
import { DEFAULT_RATING } from '../../../src/server/domain/rating.js';
import { FriendlyPlay } from '../../../src/server/play/friendly-play.js';
import type { StandardLink } from '../../../src/server/play/standard-play.js';
import type { TimeControl } from '../../../src/server/play/time-control.js';
import { ManualClock } from '../../support/manual-clock.js';

const GRACE_MS = 60_000;
const CODE = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);

interface FakeLink extends StandardLink {
  readonly inbox: AnyMessage[];
}

function link(accountId: number, name: string, extra: { guest?: boolean; version?: 1 | 2 } = {}): FakeLink {
  const inbox: AnyMessage[] = [];
  return {
    accountId,
    name,
    rating: { ...DEFAULT_RATING, rating: 1200.4 + accountId },
    version: extra.version ?? 2,
    ...(extra.guest ? { guest: true } : {}),
    inbox,
    deliver: (message) => inbox.push(message),
  };
}

interface Started {
  readonly black: string;
  readonly white: string;
  readonly timeControl: TimeControl;
  readonly rated: boolean;
  readonly opening: string | undefined;
}

/** FriendlyPlay over fake links on a manual clock; `random` fixes colours and ballots. */
function rig(random = 0.3) {
  const clock = new ManualClock();
  const online = new Map<number, FakeLink>();
  const started: Started[] = [];
  const busy = new Set<number>();
  const waitingLeft: string[] = [];
  const friendly = new FriendlyPlay<FakeLink>({
    clock,
    log: pino({ level: 'silent' }),
    graceMs: GRACE_MS,
    online: () => online,
    hasGame: (accountId) => busy.has(accountId),
    leaveWaiting: (left) => waitingLeft.push(left.name),
    start: (black, white, timeControl, rated, opening?: Opening) => {
      started.push({ black: black.name, white: white.name, timeControl, rated, opening: opening?.name });
      for (const player of [black, white]) {
        busy.add(player.accountId);
        friendly.gameStarted(player.accountId);
      }
    },
    random: () => random,
    newCode: () => CODE,
  });
  const add = (player: FakeLink) => {
    online.set(player.accountId, player);
    return player;
  };
  return { clock, online, started, busy, waitingLeft, friendly, add };
}

const CASUAL = { initialSeconds: 180, incrementSeconds: 2, rated: false, opening: 0 } as const;

describe('FriendlyPlay: challenges over links (manual clock)', () => {
  it('an accepted challenge starts the game with the challenger as the colour chosen, a ballot when asked', () => {
    const { friendly, add, started, waitingLeft } = rig();
    const cam = add(link(1, 'cam'));
    const jen = add(link(2, 'jen'));
    friendly.handle(cam, { type: 'Challenge', opponent: 'JEN', ...CASUAL, colour: 1, rated: true, opening: 1 });
    const [offer] = jen.inbox;
    assert.equal(offer?.type, 'ChallengeOffered');
    if (offer?.type !== 'ChallengeOffered') return;
    assert.equal(offer.challengerRating, 1201, 'the rating as the wire carries it');
    assert.equal(offer.colour, 0);
    friendly.handle(jen, { type: 'AnswerChallenge', challengeId: offer.challengeId, accept: true });
    assert.equal(started.length, 1);
    assert.deepEqual(
      { ...started[0], opening: started[0]?.opening?.startsWith('ballot ') },
      {
        black: 'jen',
        white: 'cam',
        timeControl: { initialSeconds: 180, incrementSeconds: 2 },
        rated: true,
        opening: true,
      },
    );
    assert.deepEqual(waitingLeft, ['cam', 'cam', 'jen'], 'out of the queue and the game end, both');
    assert.equal(friendly.openOffers, 0);
  });

  it('a random colour is drawn when the game starts', () => {
    for (const [random, black] of [
      [0.2, 'cam'],
      [0.7, 'jen'],
    ] as const) {
      const { friendly, add, started } = rig(random);
      const cam = add(link(1, 'cam'));
      const jen = add(link(2, 'jen'));
      friendly.handle(cam, { type: 'Challenge', opponent: 'jen', ...CASUAL, colour: 2 });
      const offer = jen.inbox[0];
      assert.ok(offer?.type === 'ChallengeOffered' && offer.colour === 2);
      friendly.handle(jen, { type: 'AnswerChallenge', challengeId: offer.challengeId, accept: true });
      assert.equal(started[0]?.black, black);
      assert.equal(started[0]?.opening, undefined, 'the standard start');
    }
  });

  it('a version-1 player cannot be challenged (1); a guest cannot play rated (4, or a protocol error for the guest)', () => {
    const { friendly, add } = rig();
    const cam = add(link(1, 'cam'));
    add(link(2, 'old', { version: 1 }));
    const guest = add(link(3, 'guest-12345', { guest: true }));
    friendly.handle(cam, { type: 'Challenge', opponent: 'old', ...CASUAL, colour: 0 });
    friendly.handle(cam, { type: 'Challenge', opponent: 'guest-12345', ...CASUAL, colour: 0, rated: true });
    assert.deepEqual(cam.inbox, [
      { type: 'ChallengeDeclined', reason: 1 },
      { type: 'ChallengeDeclined', reason: 4 },
    ]);
    assert.deepEqual(
      friendly.handle(guest, { type: 'Challenge', opponent: 'cam', ...CASUAL, colour: 0, rated: true }),
      {
        kind: 'protocol-error',
        reason: 'guests play casual games only',
      },
    );
    friendly.handle(guest, { type: 'Challenge', opponent: 'cam', ...CASUAL, colour: 0 });
    assert.ok(cam.inbox.at(-1)?.type === 'ChallengeOffered');
    const offered = cam.inbox.at(-1);
    assert.equal(offered?.type === 'ChallengeOffered' && offered.challengerRating, 0, 'a guest shows no rating');
  });

  it('a dropped challenger ends the challenge at once; challenges to a dropped player are declined (1)', () => {
    const { friendly, add } = rig();
    const cam = add(link(1, 'cam'));
    const jen = add(link(2, 'jen'));
    const ana = add(link(3, 'ana'));
    friendly.handle(cam, { type: 'Challenge', opponent: 'jen', ...CASUAL, colour: 0 });
    friendly.handle(jen, { type: 'Challenge', opponent: 'ana', ...CASUAL, colour: 0 });
    friendly.dropped(jen);
    assert.deepEqual(ana.inbox.slice(1), [{ type: 'ChallengeGone', challengeId: 2 }]);
    assert.deepEqual(cam.inbox, [{ type: 'ChallengeDeclined', reason: 1 }]);
  });
});

describe('FriendlyPlay: invites over links (manual clock)', () => {
  it("JoinInvite starts the maker's game; a second join is refused (0); a guest may not join a rated one (3)", () => {
    const { friendly, add, started } = rig(0.9);
    const maker = add(link(1, 'maker'));
    const guest = add(link(2, 'guest-1', { guest: true }));
    const friend = add(link(3, 'friend'));
    friendly.handle(maker, { type: 'CreateInvite', ...CASUAL, colour: 0, rated: true });
    assert.deepEqual(maker.inbox, [{ type: 'InviteCreated', code: CODE, validSeconds: 600 }]);
    friendly.handle(guest, { type: 'JoinInvite', code: CODE });
    assert.deepEqual(guest.inbox, [{ type: 'InviteRefused', reason: 3 }]);
    friendly.handle(friend, { type: 'JoinInvite', code: CODE });
    assert.deepEqual(
      started.map(({ black, white, rated }) => [black, white, rated]),
      [['maker', 'friend', true]],
    );
    friendly.handle(guest, { type: 'JoinInvite', code: CODE });
    assert.deepEqual(guest.inbox.at(-1), { type: 'InviteRefused', reason: 0 });
  });

  it('a maker who drops keeps the invite for the grace; joining meanwhile is refused (1); back in time, it works', () => {
    const { friendly, add, online, clock, started } = rig();
    const maker = add(link(1, 'maker'));
    const friend = add(link(2, 'friend'));
    friendly.handle(maker, { type: 'CreateInvite', ...CASUAL, colour: 0 });
    online.delete(maker.accountId);
    friendly.dropped(maker);
    clock.advance(GRACE_MS - 1);
    friendly.handle(friend, { type: 'JoinInvite', code: CODE });
    assert.deepEqual(friend.inbox, [{ type: 'InviteRefused', reason: 1 }]);
    const back = add(link(1, 'maker'));
    friendly.back(back);
    clock.advance(GRACE_MS);
    friendly.handle(friend, { type: 'JoinInvite', code: CODE });
    assert.equal(started[0]?.black, 'maker');
  });

  it('a maker who does not come back within the grace loses the invite', () => {
    const { friendly, add, online, clock } = rig();
    const maker = add(link(1, 'maker'));
    const friend = add(link(2, 'friend'));
    friendly.handle(maker, { type: 'CreateInvite', ...CASUAL, colour: 0 });
    online.delete(maker.accountId);
    friendly.dropped(maker);
    clock.advance(GRACE_MS);
    add(link(1, 'maker'));
    friendly.handle(friend, { type: 'JoinInvite', code: CODE });
    assert.deepEqual(friend.inbox, [{ type: 'InviteRefused', reason: 0 }]);
    assert.equal(friendly.openOffers, 0);
  });

  it('an invite or a challenge with a time control not offered is a protocol error', () => {
    const { friendly, add } = rig();
    const maker = add(link(1, 'maker'));
    assert.deepEqual(friendly.handle(maker, { type: 'CreateInvite', ...CASUAL, initialSeconds: 60, colour: 0 }), {
      kind: 'protocol-error',
      reason: 'unsupported time control 60+2 s',
    });
    assert.deepEqual(maker.inbox, []);
  });
});
