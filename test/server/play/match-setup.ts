import assert from 'node:assert/strict';
import { type Position, positionFromSquares } from '../../../src/game/position.js';
import { positionKey } from '../../../src/game/standard.js';
import type { Clock } from '../../../src/server/clock.js';
import type { LiveSeat } from '../../../src/server/domain/games.js';
import { DEFAULT_RATING } from '../../../src/server/domain/rating.js';
import type { Seat } from '../../../src/server/play/seat.js';
import {
  type MatchOutput,
  type StandardGameMessage,
  StandardMatch,
  type StandardMatchOptions,
} from '../../../src/server/play/standard-match.js';
import type { StandardMatchSnapshot } from '../../../src/server/play/standard-snapshot.js';
import type { TimeControl } from '../../../src/server/play/time-control.js';
import { ManualClock } from '../../support/manual-clock.js';

export const BLITZ: TimeControl = { initialSeconds: 180, incrementSeconds: 2 };

export const blackSeat: LiveSeat = { accountId: 11, name: 'ann', rating: DEFAULT_RATING };
export const whiteSeat: LiveSeat = { accountId: 22, name: 'bob', rating: { ...DEFAULT_RATING, rating: 1300 } };

/** A match on a manual clock, with every output of an expired clock kept. */
export function newMatch(options: Partial<Omit<StandardMatchOptions, 'clock' | 'onExpiry'>> & { clock?: Clock } = {}): {
  match: StandardMatch;
  clock: ManualClock;
  expiries: MatchOutput[];
} {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const expiries: MatchOutput[] = [];
  const match = StandardMatch.create(7, blackSeat, whiteSeat, {
    control: BLITZ,
    moveTimeoutMs: 0,
    ...options,
    clock,
    onExpiry: (_match, output) => expiries.push(output),
  });
  return { match, clock, expiries };
}

/** A snapshot of a game in progress from a position (Black to move unless it says). */
export function snapshotAt(position: Position, extra: Partial<StandardMatchSnapshot> = {}): StandardMatchSnapshot {
  return {
    id: 9,
    black: blackSeat,
    white: whiteSeat,
    control: BLITZ,
    rated: true,
    position,
    quietPlies: 0,
    seen: [positionKey(position)],
    moves: [],
    lastPath: null,
    clocksMs: [60_000, 60_000],
    drawOffer: null,
    offeredSinceMove: [false, false],
    startedAt: 500_000,
    ...extra,
  };
}

export function restoreAt(
  snapshot: StandardMatchSnapshot,
  options: { moveTimeoutMs?: number; holdExpiry?: StandardMatchOptions['holdExpiry'] } = {},
): { match: StandardMatch; clock: ManualClock; expiries: MatchOutput[] } {
  const clock = new ManualClock();
  const expiries: MatchOutput[] = [];
  const match = StandardMatch.restore(snapshot, {
    clock,
    moveTimeoutMs: options.moveTimeoutMs ?? 0,
    onExpiry: (_match, output) => expiries.push(output),
    ...(options.holdExpiry ? { holdExpiry: options.holdExpiry } : {}),
  });
  return { match, clock, expiries };
}

/** "13x22x31" as squares. */
export function squares(text: string): number[] {
  return text.split(/[-x]/).map(Number);
}

/** Plays paths in turn, asserting each is legal. */
export function playAll(match: StandardMatch, ...paths: string[]): MatchOutput[] {
  return paths.map((text) => {
    const output = match.applyPath(match.turn, squares(text));
    assert.ok(output.played, `${text} should be played (${JSON.stringify(output.outbox.map((e) => e.message.type))})`);
    return output;
  });
}

/** The messages of one seat in an output, in order. */
export function to(output: MatchOutput, seat: Seat): StandardGameMessage[] {
  return output.outbox.filter((entry) => entry.seat === seat).map((entry) => entry.message);
}

export function only<T extends StandardGameMessage['type']>(
  output: MatchOutput,
  seat: Seat,
  type: T,
): Extract<StandardGameMessage, { type: T }> {
  const messages = to(output, seat);
  assert.equal(messages.length, 1, `one message to seat ${seat}: ${JSON.stringify(messages.map((m) => m.type))}`);
  const [message] = messages;
  assert.equal(message?.type, type);
  return message as Extract<StandardGameMessage, { type: T }>;
}

export const kingsOnly = positionFromSquares({ black: [5], white: [28], kings: [5, 28] });
