import type { GameHistory } from '../src/game/engine/search.js';
import { BLACK, type Color, type Position } from '../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../src/game/result.js';
import { applyMove, isIrreversible, type Move, positionKey, standardResult } from '../src/game/standard.js';
import { REPETITIONS_FOR_DRAW } from '../src/game/standard-game.js';

/** A side of an engine match: its move in `position`, knowing the game since the last capture or man move. */
export type Mover = (position: Position, history: GameHistory) => Move | Promise<Move>;

/** How a refereed game ended: by the rules (a side cannot move), the 40-move rule, threefold repetition, or the ply cap. */
export type Ending = 'rules' | 'forty-move' | 'repetition' | 'cap';

export interface RefereedGame {
  /** null: a draw. */
  readonly winner: Color | null;
  readonly ending: Ending;
  /** The position the game ended in. */
  readonly position: Position;
}

/**
 * The engine benches' referee: plays a standard-rules game from `start`,
 * `movers[BLACK]` and `movers[WHITE]` choosing legal moves, and ends it by
 * the rules, by the 40-move rule (80 plies without a capture or a man's
 * move), by threefold repetition if `threefold`, or as a draw after
 * `maxPlies`. Each mover is told the 40-move count and the positions since
 * the count last restarted, as a server's game would know them.
 */
export async function playRefereed(
  start: Position,
  movers: readonly [Mover, Mover],
  options: { readonly maxPlies: number; readonly threefold: boolean },
): Promise<RefereedGame> {
  let position = start;
  let quietPlies = 0;
  let positions: Position[] = [];
  const seen = new Map<string, number>([[positionKey(position), 1]]);
  for (let ply = 0; ; ply++) {
    const result = standardResult(position);
    if (result) return { winner: result.winner, ending: 'rules', position };
    if (quietPlies >= QUIET_PLIES_FOR_DRAW) return { winner: null, ending: 'forty-move', position };
    if (options.threefold && (seen.get(positionKey(position)) ?? 0) >= REPETITIONS_FOR_DRAW) {
      return { winner: null, ending: 'repetition', position };
    }
    if (ply >= options.maxPlies) return { winner: null, ending: 'cap', position };
    const mover = movers[position.turn === BLACK ? 0 : 1];
    const move = await mover(position, { quietPlies, positions });
    quietPlies = isIrreversible(position, move) ? 0 : quietPlies + 1;
    positions = quietPlies === 0 ? [] : [...positions, position];
    if (quietPlies === 0) seen.clear();
    position = applyMove(position, move);
    const key = positionKey(position);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
}
