import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BLACK } from '../../src/game/position.js';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { DEFAULT_RATING, rateGame } from '../../src/server/domain/rating.js';
import { ManualClock } from '../support/manual-clock.js';
import { playGame } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('a whole session on a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('two players log in, are matched, play to GameOver with ratings, requeue, play again, log out', async () => {
    const cam = await RawClient.connect(server.port);
    const jen = await RawClient.connect(server.port);
    const camQueued = await cam.login('cam', 'mac');
    assert.deepEqual(camQueued, { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 });
    const jenQueued = await jen.login('jen', 'nej');
    assert.equal(jenQueued.rating, 1200);
    assert.equal(jenQueued.position, jenQueued.queueSize);

    const camStart = await cam.expect('GameStart');
    const jenStart = await jen.expect('GameStart');
    assert.deepEqual(camStart, { type: 'GameStart', opponent: 'jen', opponentRating: 1200 });
    assert.deepEqual(jenStart, { type: 'GameStart', opponent: 'cam', opponentRating: 1200 });

    const random = seededRandom(7);
    const [camGame, jenGame] = await Promise.all([playGame(cam, random), playGame(jen, random)]);
    assert.ok(camGame.gameOver && jenGame.gameOver);
    assert.notEqual(camGame.color, jenGame.color);
    assert.equal(camGame.gameOver.oldRating, 1200);
    assert.equal(jenGame.gameOver.oldRating, 1200);
    assert.deepEqual(camGame.gameOver.board.flipOwnership(), jenGame.gameOver.board);
    assert.equal(camGame.gameOver.lastMove, jenGame.gameOver.lastMove);

    const [stored] = await server.store.listGames();
    assert.ok(stored);
    const blackScore = stored.winner === 'black' ? 1 : stored.winner === 'white' ? 0 : 0.5;
    const expected = rateGame(DEFAULT_RATING, DEFAULT_RATING, blackScore);
    const camIsBlack = camGame.color === BLACK;
    const camExpected = Math.round((camIsBlack ? expected.black : expected.white).rating);
    const jenExpected = Math.round((camIsBlack ? expected.white : expected.black).rating);
    assert.equal(camGame.gameOver.newRating, camExpected);
    assert.equal(jenGame.gameOver.newRating, jenExpected);
    assert.equal(camGame.gameOver.won, stored.winner === (camIsBlack ? 'black' : 'white'));
    assert.equal(jenGame.gameOver.won, stored.winner === (camIsBlack ? 'white' : 'black'));
    assert.equal(stored.black.name, camIsBlack ? 'cam' : 'jen');
    assert.ok(stored.moves.length >= camGame.moves + jenGame.moves, 'every step is in the record');
    assert.match(stored.moves[0] ?? '', /^\d+-\d+$/);
    assert.equal(Math.round((await server.store.findAccount('cam'))?.rating.rating ?? 0), camExpected);

    cam.send({ type: 'ReQueue' });
    jen.send({ type: 'ReQueue' });
    const requeued = await cam.next();
    assert.equal(requeued.type, 'QueuePosition');
    assert.equal(requeued.type === 'QueuePosition' && requeued.rating, camExpected);
    // After one game the ratings are apart; the window widens within a few seconds.
    await cam.expect('GameStart', 10_000);
    await jen.expect('GameStart', 10_000);
    const [second] = await Promise.all([playGame(cam, random), playGame(jen, random)]);
    assert.ok(second.gameOver);
    assert.equal((await server.store.listGames()).length, 2);

    cam.send({ type: 'LogOut' });
    jen.send({ type: 'LogOut' });
    // The connection stays open after LogOut: logging in again works on it.
    const again = await cam.login('cam', 'mac');
    assert.equal(again.type, 'QueuePosition');
    cam.close();
    jen.close();
  });

  it('answers each InvalidLogin reason and lets the client try again on the same connection', async () => {
    const client = await RawClient.connect(server.port);
    client.send({ type: 'Connect', version: 1, username: 'nobody', password: 'x' });
    assert.deepEqual(await client.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.NoSuchAccount });
    client.send({ type: 'Connect', version: 1, username: 'bad\u0001name', password: 'x' });
    assert.deepEqual(await client.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.NoSuchAccount });
    client.send({ type: 'Connect', version: 1, username: 'kain', password: 'wrong' });
    assert.deepEqual(await client.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.WrongPassword });
    assert.equal((await client.login('kain', 'niak')).type, 'QueuePosition');

    const twin = await RawClient.connect(server.port);
    twin.send({ type: 'Connect', version: 1, username: 'kain', password: 'niak' });
    assert.deepEqual(await twin.next(), { type: 'InvalidLogin', reason: InvalidLoginReason.AlreadyLoggedIn });
    client.close();
    twin.close();
  });

  it('answers an unsupported version with InvalidVersion and accepts Connect again on the same connection', async () => {
    const client = await RawClient.connect(server.port);
    client.send({ type: 'Connect', version: 3, username: 'neil', password: 'lien' });
    assert.deepEqual(await client.next(), { type: 'InvalidVersion', highest: 2, lowest: 1 });
    client.send({ type: 'Connect', version: 0, username: 'neil', password: 'lien' });
    assert.deepEqual(await client.next(), { type: 'InvalidVersion', highest: 2, lowest: 1 });
    assert.equal((await client.login('neil', 'lien')).type, 'QueuePosition');
    client.close();
  });

  it('sends QueuePosition once a second while waiting (on a manual clock)', async (t) => {
    const clock = new ManualClock();
    const ticking = await startTestServer({ clock });
    t.after(() => ticking.stop());
    const client = await RawClient.connect(ticking.port);
    await client.login('safa', 'afas');
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(client.pending(), [], 'nothing before the second is up');
    clock.advance(1);
    assert.deepEqual(await client.next(), { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 });
    clock.advance(1000);
    assert.equal((await client.next()).type, 'QueuePosition');
    client.close();
  });
});
