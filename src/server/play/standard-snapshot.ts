import { type Position, positionProblem } from '../../game/position.js';
import type { Path } from '../../protocol/index.js';
import type { LiveSeat } from '../domain/games.js';
import type { Seat } from './seat.js';
import { isSupportedTimeControl, type TimeControl } from './time-control.js';

/**
 * A version-2 game in progress as plain JSON-able data (numbers, strings,
 * arrays, null), stored after every change so that the game resumes after a
 * restart with its clocks, its repetition history and a pending draw offer.
 */
export interface StandardMatchSnapshot {
  readonly id: number;
  readonly black: LiveSeat;
  readonly white: LiveSeat;
  readonly control: TimeControl;
  readonly rated: boolean;
  readonly position: Position;
  /** Plies since the last capture or man move (the 40-move rule). */
  readonly quietPlies: number;
  /** Position keys since the last irreversible move (threefold repetition), the current one last. */
  readonly seen: readonly string[];
  readonly moves: readonly string[];
  readonly lastPath: Path | null;
  /** Time left on each clock when the snapshot was taken, Black's first (the mover's clock up to that moment). */
  readonly clocksMs: readonly [number, number];
  readonly drawOffer: Seat | null;
  readonly offeredSinceMove: readonly [boolean, boolean];
  /** When the game began, ms since the epoch. */
  readonly startedAt: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isBits = (value: unknown): value is number => isCount(value) && (value as number) <= 0xffffffff;
const isSeat = (value: unknown): value is Seat => value === 0 || value === 1;

function seatProblem(value: unknown): string | undefined {
  if (!isRecord(value) || !isCount(value.accountId) || typeof value.name !== 'string') return 'not a player';
  const rating = value.rating;
  if (!isRecord(rating)) return 'no rating';
  const finite = [rating.rating, rating.deviation, rating.volatility].every((n) => Number.isFinite(n));
  return finite ? undefined : 'a rating that is not a number';
}

/**
 * Why stored data is not a snapshot a game can resume from, or undefined if it
 * is (read back from JSON, a store's row may have been damaged or come from
 * another version).
 */
export function snapshotProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (!isCount(value.id)) return 'no game id';
  for (const side of ['black', 'white'] as const) {
    const problem = seatProblem(value[side]);
    if (problem) return `${side}: ${problem}`;
  }
  const control = value.control;
  if (!isRecord(control) || !isSupportedTimeControl(control as unknown as TimeControl))
    return 'no supported time control';
  if (typeof value.rated !== 'boolean') return 'rated is not a boolean';
  const position = value.position;
  if (!isRecord(position) || !isBits(position.black) || !isBits(position.white) || !isBits(position.kings))
    return 'no position';
  if (!isSeat(position.turn)) return 'no side to move';
  const unsound = positionProblem(position as unknown as Position);
  if (unsound) return unsound;
  if (!isCount(value.quietPlies)) return 'no 40-move count';
  const strings = (list: unknown) => Array.isArray(list) && list.every((each) => typeof each === 'string');
  if (!strings(value.seen) || (value.seen as unknown[]).length === 0) return 'no repetition history';
  if (!strings(value.moves)) return 'no move list';
  const path = value.lastPath;
  if (path !== null && !(Array.isArray(path) && path.every((square) => isCount(square) && square >= 1 && square <= 32)))
    return 'a last path that is not squares 1-32';
  const clocks = value.clocksMs;
  if (!Array.isArray(clocks) || clocks.length !== 2 || !clocks.every(isCount)) return 'no clocks';
  if (value.drawOffer !== null && !isSeat(value.drawOffer)) return 'a draw offer by no seat';
  const offered = value.offeredSinceMove;
  if (!Array.isArray(offered) || offered.length !== 2 || !offered.every((each) => typeof each === 'boolean'))
    return 'no draw offer counts';
  if (!isCount(value.startedAt)) return 'no start time';
  return undefined;
}
