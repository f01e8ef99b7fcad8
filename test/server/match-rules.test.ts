import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK } from '../../src/game/position.js';
import type { Message } from '../../src/protocol/index.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { Lobby } from '../../src/server/lobby.js';
import { LOGIN_PENDING_RECHECK_MS, Match, type MatchOptions } from '../../src/server/match.js';
import type { PlayerLink } from '../../src/server/player-link.js';
import type { GameRecord } from '../../src/server/store/store.js';
import { ManualClock } from '../support/manual-clock.js';
import { legalMoveByte } from '../support/player.js';

/** A player's end of the game: every message the match sent it. */
class Inbox implements PlayerLink {
  readonly messages: Message[] = [];
  constructor(
    readonly accountId: number,
    readonly name: string,
  ) {}
  deliver(message: Message): void {
    this.messages.push(message);
  }
  types(): string[] {
    return this.messages.map((message) => message.type);
  }
}

const MOVE_MS = 30_000;
const GRACE_MS = 10_000;

function newMatch(options: { storageDown?: () => boolean; loginPending?: (accountId: number) => boolean } = {}) {
  const clock = new ManualClock();
  const records: GameRecord[] = [];
  const black = new Inbox(1, 'cam');
  const white = new Inbox(2, 'jen');
  const matchOptions: MatchOptions = {
    clock,
    chooser: () => 0,
    timing: { moveTimeoutMs: MOVE_MS, reconnectGraceMs: GRACE_MS },
    changed: () => {},
    record: (record) => records.push(record),
    onFinished: () => {},
    storageDown: options.storageDown ?? (() => false),
    ...(options.loginPending ? { loginPending: options.loginPending } : {}),
  };
  const seat = (link: Inbox) => ({ accountId: link.accountId, name: link.name, rating: DEFAULT_RATING, link });
  const match = Match.create(1, seat(black), seat(white), matchOptions);
  match.start();
  return { clock, match, black, white, records };
}

describe('match rules on a manual clock', () => {
  it('a present player whose move clock runs out loses; both hear GameOver', () => {
    const { clock, black, white, records } = newMatch();
    assert.deepEqual(black.types(), ['GameStart', 'YourTurn']);
    clock.advance(MOVE_MS - 1);
    assert.equal(records.length, 0, 'not a millisecond early');
    clock.advance(1);
    assert.equal(records[0]?.game.termination, 'move-clock');
    assert.equal(records[0]?.game.winner, 'white');
    assert.equal(black.messages.at(-1)?.type, 'GameOver');
    assert.equal(white.messages.at(-1)?.type, 'GameOver');
  });

  it('a move stops the mover clock and starts the opponent one', () => {
    const { clock, match, black, records } = newMatch();
    clock.advance(MOVE_MS - 10);
    const turn = black.messages.find((message) => message.type === 'YourTurn');
    assert.ok(turn && turn.type === 'YourTurn');
    assert.equal(match.play(black, legalMoveByte(turn.board, BLACK)).ok, true);
    clock.advance(MOVE_MS - 1);
    assert.equal(records.length, 0);
    clock.advance(1);
    assert.equal(records[0]?.game.winner, 'black', 'white ran out of time');
  });

  it('a played move sends nothing itself: it returns its messages and its change for the caller to route', () => {
    const { match, black, white, records } = newMatch();
    const turn = black.messages.find((message) => message.type === 'YourTurn');
    assert.ok(turn && turn.type === 'YourTurn');
    const heard = { black: black.messages.length, white: white.messages.length };
    const result = match.play(black, legalMoveByte(turn.board, BLACK));
    assert.ok(result.ok);
    assert.deepEqual(
      { black: black.messages.length, white: white.messages.length },
      heard,
      'nobody heard anything yet',
    );
    assert.equal(records.length, 0);
    assert.equal(result.output.changed, true);
    assert.equal(result.output.finished, undefined);
    assert.deepEqual(
      result.output.outbox.map(({ to, message }) => [to.name, message.type]),
      [['jen', 'YourTurn']],
    );
  });

  it('a refused move changes nothing and says why', () => {
    const { match, black, white } = newMatch();
    const before = black.messages.length;
    const result = match.play(white, 0x00);
    assert.deepEqual(result, { ok: false, problem: 'not your turn' });
    assert.equal(black.messages.length, before);
  });

  it('a dropped player has the reconnect grace to come back; after it the opponent wins', () => {
    const { clock, match, black, white, records } = newMatch();
    match.drop(white);
    clock.advance(GRACE_MS - 1);
    assert.equal(records.length, 0);
    const back = new Inbox(2, 'jen');
    match.rejoin(2, back);
    assert.deepEqual(back.types(), ['GameStart']);
    clock.advance(GRACE_MS);
    assert.equal(records.length, 0, 'the grace ended when the player came back');
    match.drop(back);
    clock.advance(GRACE_MS);
    assert.equal(records[0]?.game.termination, 'disconnect');
    assert.equal(records[0]?.game.winner, 'black');
    assert.equal(black.messages.at(-1)?.type, 'OpponentDisconnect');
    assert.equal(white.messages.at(-1)?.type, 'GameStart', 'the old connection hears nothing more');
  });

  it('both away: the game is abandoned, unrated, when the second grace runs out too', () => {
    const { clock, match, black, white, records } = newMatch();
    match.drop(black);
    clock.advance(1000);
    match.drop(white);
    clock.advance(GRACE_MS - 1000);
    assert.equal(records.length, 0, 'the first expiry only marks the player');
    clock.advance(1000);
    assert.equal(records[0]?.game.winner, 'abandoned');
    assert.equal(records[0]?.game.termination, 'both-away');
    assert.deepEqual(records[0]?.game.black.after, records[0]?.game.black.before);
  });

  it('both away: whoever comes back after the other expired wins', () => {
    const { clock, match, black, white, records } = newMatch();
    match.drop(black);
    match.drop(white);
    clock.advance(GRACE_MS - 1);
    match.rejoin(2, new Inbox(2, 'jen'));
    clock.advance(1);
    assert.equal(records[0]?.game.winner, 'white');
  });

  it('while storage is down, clocks and grace periods start again instead of running out', () => {
    let down = true;
    const { clock, match, white, records } = newMatch({ storageDown: () => down });
    match.drop(white);
    clock.advance(MOVE_MS * 3);
    assert.equal(records.length, 0);
    down = false;
    clock.advance(Math.max(MOVE_MS, GRACE_MS));
    assert.equal(records.length, 1);
  });
});

describe('a login waiting for its password check', () => {
  it("holds the away player's grace until the check is answered, then a second more at most", () => {
    const pending = new Set<number>();
    const { clock, match, white, black, records } = newMatch({ loginPending: (id) => pending.has(id) });
    match.drop(white);
    clock.advance(GRACE_MS - 1);
    pending.add(2);
    clock.advance(1);
    assert.equal(records.length, 0, 'the grace ran out while the login stands in line: not forfeited');
    clock.advance(5 * LOGIN_PENDING_RECHECK_MS);
    assert.equal(records.length, 0);
    pending.delete(2);
    clock.advance(LOGIN_PENDING_RECHECK_MS);
    assert.equal(records[0]?.game.termination, 'disconnect', 'the check said no: the grace is over');
    assert.equal(black.messages.at(-1)?.type, 'OpponentDisconnect');
  });

  it('a right password in time gets the game back', () => {
    const pending = new Set<number>([2]);
    const { clock, match, white, records } = newMatch({ loginPending: (id) => pending.has(id) });
    match.drop(white);
    clock.advance(GRACE_MS + 3 * LOGIN_PENDING_RECHECK_MS);
    pending.delete(2);
    const back = new Inbox(2, 'jen');
    match.rejoin(2, back);
    clock.advance(GRACE_MS);
    assert.equal(records.length, 0);
    assert.equal(back.messages[0]?.type, 'GameStart');
  });
});

describe('matchmaking window on a manual clock', () => {
  it('a gap of 300 waits 2 s (200 at once, +50 a second), then the lower rating plays first', () => {
    const clock = new ManualClock();
    const pairs: string[] = [];
    const lobby = new Lobby<Inbox>(clock, (first, second) => pairs.push(`${first.link.name}-${second.link.name}`));
    const low = new Inbox(1, 'low');
    const high = new Inbox(2, 'high');
    lobby.join(high, 1500);
    lobby.join(low, 1200);
    clock.advance(1999);
    lobby.tick();
    assert.deepEqual(pairs, []);
    clock.advance(1);
    lobby.tick();
    assert.deepEqual(pairs, ['low-high']);
  });

  it('no pairing while a tick says no game may start (storage down)', () => {
    const clock = new ManualClock();
    const pairs: string[] = [];
    const lobby = new Lobby<Inbox>(clock, (first, second) => pairs.push(`${first.link.name}-${second.link.name}`));
    lobby.join(new Inbox(1, 'a'), 1200);
    lobby.join(new Inbox(2, 'b'), 1200);
    lobby.tick({ pair: false });
    assert.deepEqual(pairs, []);
    assert.equal(lobby.size, 2);
    lobby.tick();
    assert.equal(pairs.length, 1);
  });
});
