import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWireBoard } from '../../../src/common/wire.js';
import { openingOfMoves } from '../../../src/game/opening-draw.js';
import { THREE_MOVE_OPENINGS } from '../../../src/game/openings.js';
import type { Color } from '../../../src/game/position.js';
import { legalMoves } from '../../../src/game/standard.js';
import { type AnyMessage, InvalidLoginReason, type MessageOfType } from '../../../src/protocol/index.js';
import { InlineThinker, type ThinkRequest } from '../../../src/server/bot-thinker.js';
import { GUEST_TOKEN_LIFETIME_MS } from '../../../src/server/play/guests.js';
import { HINT_BUDGET_MS, HINT_LEVEL } from '../../../src/server/play/hints.js';
import { type MemoryClient, ServiceHarness } from '../../support/service-harness.js';

/** Records every search it is asked for, then searches as the house bot does on the loop. */
class RecordingThinker extends InlineThinker {
  readonly requests: ThinkRequest[] = [];
  override think(request: ThinkRequest, answer: Parameters<InlineThinker['think']>[1]): () => void {
    this.requests.push(request);
    return super.think(request, answer);
  }

  /** The levels of the house bot's own searches (hints have a budget of their own). */
  get botLevels(): number[] {
    return [...new Set(this.requests.filter((request) => request.budgetMs === undefined).map((r) => r.level))];
  }
}

function last<T extends AnyMessage['type']>(client: MemoryClient, type: T): MessageOfType<T> {
  const found = client.received().filter((message) => message.type === type);
  const message = found.at(-1);
  assert.ok(message, `no ${type} yet`);
  return message as MessageOfType<T>;
}

function count(client: MemoryClient, type: AnyMessage['type']): number {
  return client.types().filter((each) => each === type).length;
}

/** The path `hint` names, checked to be one of the legal moves on the board of the player's last YourMove. */
function assertLegalHint(client: MemoryClient, colour: Color, hint: MessageOfType<'HintMove'>): void {
  const reading = fromWireBoard(last(client, 'YourMove').board, colour, colour);
  assert.ok(reading.ok);
  const paths = legalMoves(reading.position).map((move) => [move.from, ...move.path].map((bit) => bit + 1).join('-'));
  assert.ok(hint.path, 'a hint names a move');
  assert.ok(paths.includes(hint.path.join('-')), `${hint.path.join('-')} is one of ${paths.join(', ')}`);
}

const CASUAL = { level: 1, initialSeconds: 600, incrementSeconds: 5, rated: false, colour: 0, opening: 0 } as const;

describe('guests in the game service (manual clock)', () => {
  it('a Guest gets a generated name and a 24-hour token, stored as a guest account', async () => {
    const harness = await ServiceHarness.create([]);
    try {
      const guest = await harness.guest();
      const answer = last(guest, 'GuestLoggedIn');
      assert.match(answer.name, /^guest-[1-9]\d{4}$/);
      assert.equal(answer.tokenSeconds, GUEST_TOKEN_LIFETIME_MS / 1000);
      assert.equal((await harness.store.findAccount(answer.name))?.guest, true);
      // A guest has no password: a Connect under its name is refused as a wrong password.
      const impostor = harness.connect(harness.service, 2);
      impostor.send({ type: 'Connect', version: 2, username: answer.name, password: 'anything' });
      await harness.until(() => impostor.types().includes('InvalidLogin'), 'the refusal');
      assert.equal(last(impostor, 'InvalidLogin').reason, InvalidLoginReason.WrongPassword);
      // Its token works with Resume while it lasts, and tells no rating.
      const back = harness.connect(harness.service, 2);
      guest.send({ type: 'LogOut' });
      await harness.settle();
      const again = await harness.guest();
      again.send({ type: 'LogOut' });
      await harness.settle();
      back.send({ type: 'Resume', version: 2, username: answer.name, token: answer.token });
      await harness.until(() => back.types().includes('InvalidLogin'), 'LogOut revoked the token');
      const fresh = last(again, 'GuestLoggedIn');
      assert.notEqual(fresh.name, answer.name, 'each Guest login is a new guest');
    } finally {
      await harness.close();
    }
  });

  it('Resume with a guest token logs the guest back in, rating 0, without renewing the 24 hours', async () => {
    const harness = await ServiceHarness.create([]);
    try {
      const guest = await harness.guest();
      const { name, token } = last(guest, 'GuestLoggedIn');
      guest.drop();
      await harness.settle();
      await harness.advance(2 * 60 * 60 * 1000);
      const back = harness.connect(harness.service, 2);
      back.send({ type: 'Resume', version: 2, username: name, token });
      await harness.until(() => back.types().includes('LoggedIn'), 'the resume');
      const loggedIn = last(back, 'LoggedIn');
      assert.equal(loggedIn.rating, 0);
      assert.equal(loggedIn.tokenSeconds, GUEST_TOKEN_LIFETIME_MS / 1000 - 2 * 60 * 60);
    } finally {
      await harness.close();
    }
  });

  it('with guests off, Guest is refused with InvalidLogin 4 and the connection may still log in', async () => {
    const harness = await ServiceHarness.create(['host'], { guests: false });
    try {
      const client = harness.connect(harness.service, 2);
      client.send({ type: 'Guest', version: 2 });
      await harness.until(() => client.types().includes('InvalidLogin'), 'the refusal');
      assert.equal(last(client, 'InvalidLogin').reason, InvalidLoginReason.GuestsOff);
      assert.ok(!(await harness.store.listAccounts()).some((account) => account.guest), 'no guest account');
      client.send({ type: 'Connect', version: 2, username: 'host', password: 'pw' });
      await harness.until(() => client.types().includes('LoggedIn'), 'a password login after it');
    } finally {
      await harness.close();
    }
  });

  it('a Guest with a version byte other than 2 hears InvalidVersion(2, 1) and stays logged out', async () => {
    const harness = await ServiceHarness.create([]);
    try {
      const client = harness.connect(harness.service, 2);
      client.send({ type: 'Guest', version: 3 });
      await harness.until(() => client.received().length === 1, 'an answer');
      assert.deepEqual(client.received(), [{ type: 'InvalidVersion', highest: 2, lowest: 1 }]);
      client.send({ type: 'Guest', version: 2 });
      await harness.until(() => client.types().includes('GuestLoggedIn'), 'a guest login after it');
    } finally {
      await harness.close();
    }
  });

  it('a guest’s Seek, or a rated PlayComputer, is a protocol error', async () => {
    const harness = await ServiceHarness.create([], { houseBot: { afterMs: 0 } });
    try {
      const seeker = await harness.guest();
      seeker.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => seeker.closedByServer, 'the Seek refused');
      assert.ok(!seeker.types().includes('QueuePosition'));
      const rated = await harness.guest();
      rated.send({ type: 'PlayComputer', ...CASUAL, rated: true });
      await harness.until(() => rated.closedByServer, 'the rated game refused');
      assert.ok(!rated.types().includes('GameStart2'));
    } finally {
      await harness.close();
    }
  });

  it('a guest plays the computer casual: GameStart2 and GameOver2 tell no rating; the record is unrated', async () => {
    const harness = await ServiceHarness.create([], { houseBot: { afterMs: 0 } });
    try {
      const guest = await harness.guest();
      const { name } = last(guest, 'GuestLoggedIn');
      guest.send({ type: 'PlayComputer', ...CASUAL });
      await harness.until(() => guest.types().includes('YourMove'), 'the game');
      assert.equal(last(guest, 'GameStart2').rated, false);
      guest.send({ type: 'Resign' });
      await harness.until(() => guest.types().includes('GameOver2'), 'the end');
      const over = last(guest, 'GameOver2');
      assert.deepEqual([over.rated, over.newRating, over.oldRating], [false, 0, 0]);
      const [record] = await harness.store.listGames({ user: name });
      assert.ok(record);
      assert.equal(record.black.name, name);
      assert.equal(record.black.ratingAfter, record.black.ratingBefore);
    } finally {
      await harness.close();
    }
  });
});

describe('PlayComputer colour and opening, and the level across a restart (manual clock)', () => {
  it('as White the bot moves first; a random colour is drawn by the server', async () => {
    const thinker = new RecordingThinker(() => 0.5);
    const draws = [0.9, 0.1];
    const harness = await ServiceHarness.create(['white', 'drawn'], {
      houseBot: { afterMs: 0, thinker },
      random: () => draws.shift() ?? 0.5,
    });
    try {
      const player = await harness.loginV2('white');
      player.send({ type: 'PlayComputer', ...CASUAL, level: 3, colour: 1 });
      await harness.until(() => player.types().includes('GameStart2'), 'the game');
      assert.equal(last(player, 'GameStart2').colour, 1);
      await harness.advance(1000);
      await harness.until(() => player.types().includes('YourMove'), 'the bot’s first move');
      assert.ok(last(player, 'YourMove').lastPath, 'the bot (Black) moved first');
      assert.deepEqual(thinker.botLevels, [3]);
      // Colour 2: the server draws 0.9 (White) for the first, 0.1 (Black) for the second.
      player.send({ type: 'Resign' });
      await harness.until(() => player.types().includes('GameOver2'), 'the end');
      player.send({ type: 'PlayComputer', ...CASUAL, colour: 2 });
      await harness.until(() => count(player, 'GameStart2') === 2, 'a random colour');
      assert.equal(last(player, 'GameStart2').colour, 1);
      const drawn = await harness.loginV2('drawn');
      drawn.send({ type: 'PlayComputer', ...CASUAL, colour: 2 });
      await harness.until(() => drawn.types().includes('GameStart2'), 'a random colour');
      assert.equal(last(drawn, 'GameStart2').colour, 0);
    } finally {
      await harness.close();
    }
  });

  it('opening 1 starts from a three-move ballot, which the stored game carries', async () => {
    const harness = await ServiceHarness.create(['ballot'], { houseBot: { afterMs: 0 }, random: () => 0.25 });
    try {
      const player = await harness.loginV2('ballot');
      player.send({ type: 'PlayComputer', ...CASUAL, opening: 1 });
      await harness.until(() => player.types().includes('GameStart2'), 'the game');
      const start = last(player, 'GameStart2');
      await harness.advance(1000);
      await harness.until(() => player.types().includes('YourMove'), 'the player’s move after the ballot');
      assert.ok(last(player, 'YourMove').lastPath, 'the board after the ballot, with its last move');
      const [live] = await harness.store.loadLiveGames([start.gameId]);
      assert.ok(live);
      const opening = openingOfMoves(THREE_MOVE_OPENINGS, live.moves);
      assert.ok(opening, `the game begins with a ballot: ${live.moves.join(' ')}`);
      assert.equal(opening.name, THREE_MOVE_OPENINGS[Math.floor(0.25 * THREE_MOVE_OPENINGS.length)]?.name);
    } finally {
      await harness.close();
    }
  });

  it('after a restart the bot plays on at the level asked for, and a casual game stays casual', async () => {
    const before = new RecordingThinker(() => 0.5);
    const options = { reconnectGraceMs: 60_000 } as const;
    const first = await ServiceHarness.create(['keeper'], { ...options, houseBot: { afterMs: 0, thinker: before } });
    let harness = first;
    try {
      const player = await first.loginV2('keeper');
      // Rating 1200 would give level 7 (levelForRating): the player asks for 2.
      player.send({ type: 'PlayComputer', ...CASUAL, level: 2 });
      await first.until(() => player.types().includes('YourMove'), 'the game');
      const { gameId } = last(player, 'GameStart2');
      const [stored] = await first.store.loadLiveGames([gameId]);
      assert.deepEqual([stored?.botLevel, stored?.rated], [2, false]);
      const after = new RecordingThinker(() => 0.5);
      harness = await first.restart({ ...options, houseBot: { afterMs: 0, thinker: after } });
      const back = await harness.loginV2('keeper');
      await harness.until(() => back.types().includes('YourMove'), 'the game back');
      assert.equal(last(back, 'GameStart2').rated, false);
      const reading = fromWireBoard(last(back, 'YourMove').board, 0, 0);
      assert.ok(reading.ok);
      const move = legalMoves(reading.position)[0];
      assert.ok(move);
      back.send({ type: 'MovePath', path: [move.from, ...move.path].map((bit) => bit + 1) });
      await harness.until(() => back.types().includes('TheirMove'), 'the move taken');
      await harness.advance(1000);
      await harness.until(() => count(back, 'YourMove') === 2, 'the bot’s answer');
      assert.deepEqual(after.botLevels, [2], 'the restored bot searches at level 2');
      back.send({ type: 'Resign' });
      await harness.until(() => back.types().includes('GameOver2'), 'the end');
      const over = last(back, 'GameOver2');
      assert.equal(over.rated, false);
      assert.equal(over.newRating, over.oldRating);
    } finally {
      await harness.close();
    }
  });
});

describe('hints (manual clock)', () => {
  it('in a casual game against the computer: the engine’s move at level 10 with a short budget', async () => {
    const thinker = new RecordingThinker(() => 0.5);
    const harness = await ServiceHarness.create(['hinted'], { houseBot: { afterMs: 0, thinker } });
    try {
      const player = await harness.loginV2('hinted');
      player.send({ type: 'PlayComputer', ...CASUAL });
      await harness.until(() => player.types().includes('YourMove'), 'the game');
      player.send({ type: 'Hint' });
      await harness.until(() => player.types().includes('HintMove'), 'the hint');
      assertLegalHint(player, 0, last(player, 'HintMove'));
      const asked = thinker.requests.at(-1);
      assert.deepEqual([asked?.level, asked?.budgetMs, asked?.rules], [HINT_LEVEL, HINT_BUDGET_MS, 'standard']);
      // Asked again in the same position: the same move, with no second search.
      player.send({ type: 'Hint' });
      await harness.until(() => count(player, 'HintMove') === 2, 'the second hint');
      assert.deepEqual(last(player, 'HintMove').path, player.received().find((m) => m.type === 'HintMove')?.path);
      assert.equal(thinker.requests.filter((request) => request.budgetMs !== undefined).length, 1);
    } finally {
      await harness.close();
    }
  });

  it('in a rated game against the computer, and in a game between people: a HintMove with no move', async () => {
    const harness = await ServiceHarness.create(['ratedhint', 'ann', 'bob'], { houseBot: { afterMs: 0 } });
    try {
      const rated = await harness.loginV2('ratedhint');
      rated.send({ type: 'PlayComputer', ...CASUAL, rated: true });
      await harness.until(() => rated.types().includes('YourMove'), 'the rated game');
      rated.send({ type: 'Hint' });
      await harness.until(() => rated.types().includes('HintMove'), 'the answer');
      assert.equal(last(rated, 'HintMove').path, null);
      const ann = await harness.loginV2('ann');
      const bob = await harness.loginV2('bob');
      ann.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => ann.types().includes('QueuePosition'), 'ann queued');
      bob.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => bob.types().includes('QueuePosition'), 'bob queued');
      await harness.advance(2000);
      const mover = await (async () => {
        await harness.until(
          () => ann.types().includes('YourMove') || bob.types().includes('YourMove'),
          'the game between people',
        );
        return ann.types().includes('YourMove') ? ann : bob;
      })();
      mover.send({ type: 'Hint' });
      await harness.until(() => mover.types().includes('HintMove'), 'the answer');
      assert.equal(last(mover, 'HintMove').path, null);
    } finally {
      await harness.close();
    }
  });
});
