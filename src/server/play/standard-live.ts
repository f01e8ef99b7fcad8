import { parseMoveText } from '../../game/notation.js';
import { newStandardGame, playStandardPath, type StandardGame } from '../../game/standard-game.js';
import type { FinishedGame, LiveGame } from '../domain/games.js';
import type { StandardFinishedGame } from './standard-result.js';
import type { StandardMatchSnapshot } from './standard-snapshot.js';
import { hasClock, NO_CLOCK } from './time-control.js';

/*
 * A standard game between the referee's shapes and the store's: a snapshot
 * becomes the LiveGame stored after every change, a LiveGame read back at
 * start becomes a snapshot again, a finished game the FinishedGame recorded.
 * The store keeps the moves, the position and both clocks; the repetition
 * history and the last path are found again by replaying the moves from the
 * start (one source of truth). A pending draw offer does not outlive a
 * restart: the player may offer again.
 */

export function liveGameOf(snapshot: StandardMatchSnapshot, now: number, botLevel?: number): LiveGame {
  const [blackMs, whiteMs] = snapshot.clocksMs;
  return {
    id: snapshot.id,
    black: snapshot.black,
    white: snapshot.white,
    position: snapshot.position,
    quietPlies: snapshot.quietPlies,
    lastMove: 0,
    moves: snapshot.moves,
    startedAt: new Date(snapshot.startedAt),
    rules: 'standard',
    ...(hasClock(snapshot.control)
      ? { timeControl: snapshot.control, clocks: { blackMs, whiteMs, at: new Date(now) } }
      : {}),
    ...(snapshot.rated ? {} : { rated: false }),
    ...(botLevel === undefined ? {} : { botLevel }),
  };
}

/** The snapshot to resume a stored standard game from, or why it cannot be (its moves do not replay to its position). */
export function snapshotOf(
  game: LiveGame,
  moveTimeoutMs: number,
): { ok: true; snapshot: StandardMatchSnapshot } | { ok: false; problem: string } {
  let replayed: StandardGame = newStandardGame();
  let lastPath: number[] | null = null;
  for (const text of game.moves) {
    const reading = parseMoveText(text);
    if (!reading.ok) return { ok: false, problem: `move "${text}": ${reading.reason}` };
    const outcome = playStandardPath(replayed, reading.move.squares);
    if (!outcome.ok) return { ok: false, problem: `move "${text}" is not legal in its place` };
    replayed = outcome.game;
    lastPath = [...reading.move.squares];
  }
  const { position } = replayed;
  if (
    position.black !== game.position.black ||
    position.white !== game.position.white ||
    position.kings !== game.position.kings ||
    position.turn !== game.position.turn
  ) {
    return { ok: false, problem: 'its moves do not lead to its stored position' };
  }
  const control = game.timeControl ?? NO_CLOCK;
  const clocksMs: [number, number] = game.clocks
    ? [game.clocks.blackMs, game.clocks.whiteMs]
    : [Math.max(0, moveTimeoutMs), Math.max(0, moveTimeoutMs)];
  return {
    ok: true,
    snapshot: {
      id: game.id,
      black: game.black,
      white: game.white,
      control,
      rated: game.rated ?? true,
      position: game.position,
      quietPlies: replayed.quietPlies,
      seen: replayed.seen,
      moves: game.moves,
      lastPath,
      clocksMs,
      drawOffer: null,
      offeredSinceMove: [false, false],
      startedAt: game.startedAt.getTime(),
    },
  };
}

export function finishedGameOf(game: StandardFinishedGame): FinishedGame {
  return {
    black: game.black,
    white: game.white,
    winner: game.winner,
    termination: game.termination,
    moves: game.moves,
    startedAt: game.startedAt,
    endedAt: game.endedAt,
    rules: 'standard',
    timeControl: game.control,
    ...(game.moveClocks && game.moveClocks.length > 0 ? { moveClocks: game.moveClocks } : {}),
  };
}
