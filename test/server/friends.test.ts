import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ChallengeDeclinedReason,
  InviteRefusedReason,
  type MessageOfType,
  OfferColour,
  OpeningChoice,
} from '../../src/protocol/index.js';
import { addPlayers } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { loginV2, seek } from '../support/v2-game.js';

type ChallengeTerms = Omit<MessageOfType<'Challenge'>, 'type' | 'opponent'>;
const CASUAL_5_3_WHITE: ChallengeTerms = {
  initialSeconds: 300,
  incrementSeconds: 3,
  colour: OfferColour.White,
  rated: false,
  opening: OpeningChoice.Standard,
};

describe('challenges and invite links on a real server (raw version-2 bytes)', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  /** `count` new accounts, each logged in on its own version-2 connection. */
  async function players(prefix: string, count: number): Promise<Array<{ name: string; client: RawClient }>> {
    const names = await addPlayers(server.store, prefix, count);
    return Promise.all(
      names.map(async (name) => {
        const client = await RawClient.connectV2(server.port);
        clients.push(client);
        await loginV2(client, name);
        return { name, client };
      }),
    );
  }

  it('a challenge accepted starts the game with the chosen colour and time control, casual', async () => {
    const [cam, jen] = await players('chal', 2);
    assert.ok(cam && jen);
    cam.client.send({ type: 'Challenge', opponent: jen.name, ...CASUAL_5_3_WHITE });
    const offer = await jen.client.expect('ChallengeOffered');
    assert.deepEqual(
      { ...offer, challengeId: 0 },
      {
        type: 'ChallengeOffered',
        challengeId: 0,
        challenger: cam.name,
        challengerRating: 1200,
        initialSeconds: 300,
        incrementSeconds: 3,
        colour: OfferColour.Black,
        rated: false,
        opening: OpeningChoice.Standard,
      },
    );
    jen.client.send({ type: 'AnswerChallenge', challengeId: offer.challengeId, accept: true });
    const [camStart, jenStart] = await Promise.all([cam.client.expect('GameStart2'), jen.client.expect('GameStart2')]);
    assert.equal(camStart.colour, 1, 'the challenger plays White as chosen');
    assert.equal(jenStart.colour, 0);
    assert.equal(camStart.opponent, jen.name);
    assert.deepEqual([camStart.initialSeconds, camStart.incrementSeconds, camStart.rated], [300, 3, false]);
    assert.equal(camStart.gameId, jenStart.gameId);
    const jenMove = await jen.client.expect('YourMove');
    assert.equal(jenMove.lastPath, null, 'the standard start');
    assert.equal(jenMove.opponentClockMs, 300_000, "White's clock has not run yet");
    assert.ok(jenMove.yourClockMs <= 300_000 && jenMove.yourClockMs > 200_000);
    await cam.client.expect('TheirMove');
  });

  it('a challenge declined: the challenger hears reason 0, and a repeat within 30 s is declined at once', async () => {
    const [cam, jen] = await players('decl', 2);
    assert.ok(cam && jen);
    cam.client.send({ type: 'Challenge', opponent: jen.name, ...CASUAL_5_3_WHITE });
    const offer = await jen.client.expect('ChallengeOffered');
    jen.client.send({ type: 'AnswerChallenge', challengeId: offer.challengeId, accept: false });
    assert.equal((await cam.client.expect('ChallengeDeclined')).reason, ChallengeDeclinedReason.Declined);
    cam.client.send({ type: 'Challenge', opponent: jen.name, ...CASUAL_5_3_WHITE });
    assert.equal((await cam.client.expect('ChallengeDeclined')).reason, ChallengeDeclinedReason.Declined);
    // The answer to an id that is gone is ignored; jen was offered nothing new.
    jen.client.send({ type: 'AnswerChallenge', challengeId: offer.challengeId, accept: true });
    jen.client.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
    assert.equal((await jen.client.next()).type, 'QueuePosition');
    jen.client.send({ type: 'LeaveQueue' });
  });

  it('a challenge to a player in a game is declined as busy (2); to nobody online, as 1; to yourself, as 4', async () => {
    const [ana, ben, cid] = await players('busy', 3);
    assert.ok(ana && ben && cid);
    await seek(ana.client, 180, 2);
    await seek(ben.client, 180, 2);
    await Promise.all([ana.client.expect('GameStart2', 5000), ben.client.expect('GameStart2', 5000)]);
    cid.client.send({ type: 'Challenge', opponent: ana.name, ...CASUAL_5_3_WHITE });
    assert.equal((await cid.client.expect('ChallengeDeclined')).reason, ChallengeDeclinedReason.Busy);
    cid.client.send({ type: 'Challenge', opponent: 'nobody-here', ...CASUAL_5_3_WHITE });
    assert.equal((await cid.client.expect('ChallengeDeclined')).reason, ChallengeDeclinedReason.NotOnline);
    cid.client.send({ type: 'Challenge', opponent: cid.name.toUpperCase(), ...CASUAL_5_3_WHITE });
    assert.equal((await cid.client.expect('ChallengeDeclined')).reason, ChallengeDeclinedReason.NotPossible);
  });

  it('a challenge accepted from the queue takes the accepter out of it', async () => {
    const [dan, eve] = await players('queue', 2);
    assert.ok(dan && eve);
    await seek(eve.client, 900, 10);
    dan.client.send({ type: 'Challenge', opponent: eve.name, ...CASUAL_5_3_WHITE, colour: OfferColour.Black });
    const offer = await eve.client.expect('ChallengeOffered');
    eve.client.send({ type: 'AnswerChallenge', challengeId: offer.challengeId, accept: true });
    assert.equal((await eve.client.expect('GameStart2')).colour, 1);
    assert.equal((await dan.client.expect('GameStart2')).colour, 0);
    assert.equal(server.server.service.standardQueues.size, 0, 'nobody left in a queue');
  });

  it("an invite is joined by another account at once with the maker's choices, and used once", async () => {
    const [maker, guest, late] = await players('inv', 3);
    assert.ok(maker && guest && late);
    maker.client.send({
      type: 'CreateInvite',
      initialSeconds: 180,
      incrementSeconds: 2,
      colour: OfferColour.Random,
      rated: true,
      opening: OpeningChoice.ThreeMove,
    });
    const created = await maker.client.expect('InviteCreated');
    assert.equal(created.validSeconds, 600);
    assert.equal(created.code.length, 16);
    maker.client.send({ type: 'JoinInvite', code: created.code });
    assert.equal((await maker.client.expect('InviteRefused')).reason, InviteRefusedReason.OwnInvite);
    guest.client.send({ type: 'JoinInvite', code: created.code });
    const [makerStart, guestStart] = await Promise.all([
      maker.client.expect('GameStart2'),
      guest.client.expect('GameStart2'),
    ]);
    assert.equal(makerStart.colour + guestStart.colour, 1, 'opposite colours, drawn by the server');
    assert.deepEqual([guestStart.initialSeconds, guestStart.incrementSeconds, guestStart.rated], [180, 2, true]);
    assert.equal(guestStart.opponent, maker.name);
    const first = await guest.client.next();
    assert.ok(first.type === 'YourMove' || first.type === 'TheirMove');
    assert.ok(first.lastPath !== null, 'a three-move ballot was played before the first turn');
    late.client.send({ type: 'JoinInvite', code: created.code });
    assert.equal((await late.client.expect('InviteRefused')).reason, InviteRefusedReason.Unknown);
  });

  it('a Seek ends a challenge (ChallengeGone to the challenged); PlayComputer ends an invite, even when refused', async () => {
    const [hal, ivy] = await players('ends', 2);
    assert.ok(hal && ivy);
    hal.client.send({ type: 'Challenge', opponent: ivy.name, ...CASUAL_5_3_WHITE });
    const offer = await ivy.client.expect('ChallengeOffered');
    await seek(hal.client, 600, 5);
    assert.equal((await ivy.client.expect('ChallengeGone')).challengeId, offer.challengeId);
    hal.client.send({ type: 'LeaveQueue' });
    hal.client.send({
      type: 'CreateInvite',
      initialSeconds: 0,
      incrementSeconds: 0,
      colour: 0,
      rated: false,
      opening: 0,
    });
    const { code } = await hal.client.expect('InviteCreated');
    hal.client.send({
      type: 'PlayComputer',
      level: 1,
      initialSeconds: 0,
      incrementSeconds: 0,
      rated: false,
      colour: 0,
      opening: 0,
    });
    await hal.client.expect('ComputerBusy');
    ivy.client.send({ type: 'JoinInvite', code });
    assert.equal((await ivy.client.expect('InviteRefused')).reason, InviteRefusedReason.Unknown);
  });

  it('WithdrawOffer ends an invite; a Challenge with a time control not offered is a protocol error', async () => {
    const [fay, gus] = await players('withdraw', 2);
    assert.ok(fay && gus);
    fay.client.send({
      type: 'CreateInvite',
      initialSeconds: 0,
      incrementSeconds: 0,
      colour: 0,
      rated: false,
      opening: 0,
    });
    const { code } = await fay.client.expect('InviteCreated');
    fay.client.send({ type: 'WithdrawOffer' });
    gus.client.send({ type: 'JoinInvite', code });
    assert.equal((await gus.client.expect('InviteRefused')).reason, InviteRefusedReason.Unknown);
    fay.client.send({ type: 'Challenge', opponent: gus.name, ...CASUAL_5_3_WHITE, initialSeconds: 120 });
    await fay.client.closedWithin(5000);
  });
});
