import { BLACK } from '../position.js';
import { xorshift32 } from '../random.js';
import { QUIET_PLIES_FOR_DRAW } from '../result.js';
import { BIT_COORDINATES } from '../squares.js';
import { bitIndex, DEFAULT_WEIGHTS, evaluateBoard, kingSteps, MAN_VALUE, materialLead, popCount } from './board.js';

/**
 * What makes a winning side win rather than shuffle: the forty-move rule's
 * count and repetitions are the search's (search.ts); the leaf score here
 * adds a progress term and fades with the count, so that of two equal
 * advantages the one reached sooner after a capture or a man's move scores
 * higher, and the side ahead looks for the next capture or man move.
 */

/** The score fades linearly with the quiet plies: to (FADE - 80) / FADE of itself when the 40-move rule is one ply away. */
const FADE = 100;
/** The progress term applies when a side leads by this much material (a man, not a king against a man)... */
const PROGRESS_LEAD = MAN_VALUE;
/** ...and the side behind has this many pieces or fewer: an endgame. */
const PROGRESS_MAX_WEAK = 6;
/** Points a square of distance between a king of the side ahead and the nearest piece of the side behind. */
const APPROACH = 3;
/** Points a king of the side behind sitting in a double corner (squares 1, 5, 28, 32), where it holds out longest. */
const DOUBLE_CORNER = 12;
const DOUBLE_CORNERS = (1 << 0) | (1 << 4) | (1 << 27) | (1 << 31);

/** King moves between two squares' centres on an empty board (diagonal distance). */
const DISTANCE = Int8Array.from({ length: 32 * 32 }, (_, index) => {
  const a = BIT_COORDINATES[index >> 5] ?? { x: 0, y: 0 };
  const b = BIT_COORDINATES[index & 31] ?? { x: 0, y: 0 };
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
});

/** Points a square the side behind's kings can step to, when the endgame database says the other side wins: trapped kings lose. */
const TRAP = 4;
/** No side known to win: progress then goes to a side a man ahead. */
export const NO_WINNER = -1;

/**
 * Progress for the side ahead in an endgame, from the side to move's point
 * of view: its kings near the other side's pieces, the other side's kings
 * out of the double corners. 0 when nobody leads by a man or the side
 * behind has more than PROGRESS_MAX_WEAK pieces. `winner`, the side an
 * endgame database says wins, is the side ahead whatever the material (2
 * kings against a king and a man lead by less than a man), and then the
 * other side's kings' steps count against it too: the win is to trap them.
 */
export function progressScore(black: number, white: number, kings: number, turn: number, winner = NO_WINNER): number {
  let blackAhead: boolean;
  if (winner === NO_WINNER) {
    const lead = materialLead(black, white, kings);
    if (Math.abs(lead) < PROGRESS_LEAD) return 0;
    blackAhead = lead > 0;
  } else {
    blackAhead = winner === BLACK;
  }
  const strong = blackAhead ? black : white;
  const weak = blackAhead ? white : black;
  if (popCount(weak) > PROGRESS_MAX_WEAK) return 0;
  let score = -DOUBLE_CORNER * popCount(weak & kings & DOUBLE_CORNERS);
  for (let hunters = strong & kings; hunters !== 0; hunters &= hunters - 1) {
    const from = bitIndex(hunters & -hunters) * 32;
    let nearest = 8;
    for (let prey = weak; prey !== 0; prey &= prey - 1) {
      nearest = Math.min(nearest, DISTANCE[from + bitIndex(prey & -prey)] as number);
    }
    score -= APPROACH * nearest;
  }
  if (winner !== NO_WINNER) score -= TRAP * kingSteps(weak & kings, ~(black | white));
  return blackAhead === (turn === BLACK) ? score : -score;
}

/** A quiet leaf's score for the side to move: the evaluation plus progress, faded by the plies since a capture or man move. */
export function leafScore(
  black: number,
  white: number,
  kings: number,
  turn: number,
  quiet: number,
  weights: Readonly<Int32Array> = DEFAULT_WEIGHTS,
  winner = NO_WINNER,
): number {
  const score = evaluateBoard(black, white, kings, turn, weights) + progressScore(black, white, kings, turn, winner);
  return quiet <= 0 ? score : Math.trunc((score * (FADE - Math.min(quiet, QUIET_PLIES_FOR_DRAW))) / FADE);
}

/** Quiet counts below this share their table entries; from it on each count has its own key (the fade and the rule's horizon differ). */
const QUIET_KEYED_FROM = 8;
const QUIET_KEYS = (() => {
  const next = xorshift32(0x6b43a9b5);
  return Int32Array.from({ length: QUIET_PLIES_FOR_DRAW + 1 }, (_, quiet) => (quiet < QUIET_KEYED_FROM ? 0 : next()));
})();

/** What the transposition-table key of a position changes by at `quiet` plies since a capture or man move. */
export function quietKey(quiet: number): number {
  return QUIET_KEYS[Math.min(quiet, QUIET_PLIES_FOR_DRAW)] as number;
}

/**
 * The Zobrist keys of the game's positions and of the search's path, one a
 * ply: a position met again within the plies since the last capture or man
 * move (nothing earlier can recur) is a repetition.
 */
export class RepetitionPath {
  readonly #keys: Int32Array;
  #root = 0;

  constructor(maxPly: number) {
    this.#keys = new Int32Array(QUIET_PLIES_FOR_DRAW + maxPly + 2);
  }

  /** Starts a search: `history` holds the keys of the positions before the root, oldest first. */
  reset(history: readonly number[], rootKey: number): void {
    const kept = history.slice(Math.max(0, history.length - QUIET_PLIES_FOR_DRAW));
    this.#keys.set(kept, 0);
    this.#root = kept.length;
    this.#keys[this.#root] = rootKey;
  }

  /** Records the position at `ply` of the path; whether it stood on the board or the path within the last `quiet` plies. */
  repeats(key: number, ply: number, quiet: number): boolean {
    const at = this.#root + ply;
    this.#keys[at] = key;
    // The same side is to move every other ply, and a position cannot come back in two plies.
    for (let i = at - 4; i >= 0 && i >= at - quiet; i -= 2) if (this.#keys[i] === key) return true;
    return false;
  }
}
