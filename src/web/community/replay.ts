import { matchMove, parseMoveText } from '../../game/notation.js';
import { INITIAL_POSITION, type Position } from '../../game/position.js';
import { applyMove, destination, legalMoves } from '../../game/standard.js';

/** One turn of a recorded game, replayed: where the piece went (bits) and the board after it. */
export interface ReplayedTurn {
  readonly text: string;
  readonly from: number;
  readonly to: number;
  /** Each hop of the piece (one for a step, one per jump of a chain), to animate. */
  readonly hops: ReadonlyArray<{ readonly from: number; readonly to: number }>;
  readonly after: Position;
}

export type Replay =
  | { readonly ok: true; readonly turns: readonly ReplayedTurn[] }
  | { readonly ok: false; readonly turns: readonly ReplayedTurn[]; readonly problem: string };

/**
 * Replays a game record (one entry per turn in standard notation, Black's
 * first, from the standard opening position) by the rules, so that the
 * client can show every position of a finished or a live game from its
 * moves alone. Stops at the first entry that is not a legal move, and says so.
 */
export function replayMoves(moves: readonly string[], start: Position = INITIAL_POSITION): Replay {
  const turns: ReplayedTurn[] = [];
  let position = start;
  for (const [index, text] of moves.entries()) {
    const parsed = parseMoveText(text);
    const found = parsed.ok ? matchMove(legalMoves(position), parsed.move) : parsed;
    if (!found.ok) return { ok: false, turns, problem: `move ${index + 1} (${text}): ${found.reason}` };
    const move = found.move;
    const squares = [move.from, ...move.path];
    const hops = squares.slice(1).map((to, hop) => ({ from: squares[hop] ?? move.from, to }));
    position = applyMove(position, move);
    turns.push({ text, from: move.from, to: destination(move), hops, after: position });
  }
  return { ok: true, turns };
}

/** The board after `ply` turns (0: the start). */
export function positionAt(replay: Replay, ply: number, start: Position = INITIAL_POSITION): Position {
  return ply <= 0 ? start : (replay.turns[Math.min(ply, replay.turns.length) - 1]?.after ?? start);
}
