import { type SearchRules, STANDARD_RULES, V1_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { INITIAL_POSITION } from '../src/game/position.js';
import { applyMove, legalMoves } from '../src/game/standard.js';
import { newV1Game } from '../src/game/v1.js';
import { formatRate } from './measure.js';

/** Middle-game positions: the opening played out by a fixed sequence of move choices, 10 and 20 plies in. */
function middleGame(plies: number, seed: number) {
  let position = INITIAL_POSITION;
  let state = seed;
  for (let ply = 0; ply < plies; ply++) {
    const moves = legalMoves(position);
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const move = moves[state % moves.length];
    if (!move) break;
    position = applyMove(position, move);
  }
  return position;
}

function searchForOneSecond<S, M>(name: string, rules: SearchRules<S, M>, state: S): [string, string] {
  const result = new Searcher(rules).search(state, { maxDepth: 64, timeMs: 1000 });
  return [
    `search 1 s, ${name}`,
    `depth ${result.depth}, ${formatRate(result.nodes / (result.elapsedMs / 1000))} nodes/s`,
  ];
}

/** Nodes per second and the depth reached in one second, for both rule sets. */
export function benchEngine(): Array<[string, string]> {
  return [
    searchForOneSecond('initial position (standard)', STANDARD_RULES, INITIAL_POSITION),
    searchForOneSecond('middle game A, 10 plies in (standard)', STANDARD_RULES, middleGame(10, 7)),
    searchForOneSecond('middle game B, 20 plies in (standard)', STANDARD_RULES, middleGame(20, 11)),
    searchForOneSecond('initial position (version 1, referee jumps as chance)', V1_RULES, newV1Game()),
    searchForOneSecond('middle game A (version 1)', V1_RULES, newV1Game(middleGame(10, 7))),
  ];
}
