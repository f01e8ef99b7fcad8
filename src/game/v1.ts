import {
  type Color,
  CROWNING_ROW,
  emptySquares,
  INITIAL_POSITION,
  MAN_DIRECTIONS,
  movePiece,
  other,
  type Position,
  piecesOf,
} from './position.js';
import { type GameResult, QUIET_PLIES_FOR_DRAW } from './result.js';
import { type Direction, JUMP, lowestBit, STEP } from './squares.js';
import { directionsFor, hasStep } from './standard.js';

/**
 * The version-1 game flow (PROTOCOL.md section 5). Players only make simple
 * steps; the referee plays every jump. After a step the turn passes to the
 * other side; while the side to move can jump, the referee jumps for it (the
 * same piece continues while it can, and a man crowned by a jump stops), then
 * the turn passes again. Only a side with no jump gets its turn; a side with
 * no piece or no step then loses. 40 quiet moves a side draw.
 *
 * Pure: the referee's choice among jumps comes from an injected chooser, so
 * games replay deterministically.
 */
export interface V1Game {
  /** `turn` is the side whose step is awaited (or who was to move when the game ended). */
  readonly position: Position;
  /** Plies since the last capture or man move. */
  readonly quietPlies: number;
  readonly result: GameResult | undefined;
}

export interface SingleJump {
  readonly from: number;
  readonly over: number;
  readonly to: number;
  readonly direction: Direction;
}

/** Picks the index of the jump the referee plays; must return 0 <= i < options.length. */
export type JumpChooser = (options: readonly SingleJump[], position: Position) => number;

export const firstJump: JumpChooser = () => 0;

export type V1Event =
  | {
      readonly kind: 'step';
      readonly color: Color;
      readonly from: number;
      readonly to: number;
      readonly direction: Direction;
      readonly position: Position;
    }
  | {
      readonly kind: 'jump';
      readonly color: Color;
      readonly from: number;
      readonly to: number;
      readonly over: number;
      readonly direction: Direction;
      readonly position: Position;
    }
  | { readonly kind: 'turn'; readonly color: Color }
  | { readonly kind: 'end'; readonly result: GameResult };

export type StepOutcome =
  | { readonly ok: true; readonly game: V1Game; readonly events: readonly V1Event[] }
  | { readonly ok: false; readonly reason: string };

export function newV1Game(position: Position = INITIAL_POSITION): V1Game {
  return { position, quietPlies: 0, result: undefined };
}

/** The events that open a game: normally just Black's first turn. */
export function openingEvents(game: V1Game, chooser: JumpChooser = firstJump): StepOutcome {
  return settle(game.position, game.quietPlies, chooser, []);
}

export function singleJumps(position: Position, color: Color, onlyFrom?: number): SingleJump[] {
  const jumps: SingleJump[] = [];
  const opponents = piecesOf(position, other(color));
  const empty = emptySquares(position);
  let jumpers = onlyFrom === undefined ? piecesOf(position, color) : (1 << onlyFrom) >>> 0;
  for (; jumpers !== 0; jumpers &= jumpers - 1) {
    const from = lowestBit(jumpers);
    for (const direction of directionsFor(position, from, color)) {
      const to = JUMP[direction]?.[from] ?? -1;
      const over = STEP[direction]?.[from] ?? -1;
      if (to >= 0 && (opponents >>> over) & 1 && (empty >>> to) & 1) jumps.push({ from, over, to, direction });
    }
  }
  return jumps;
}

/** Why a step by the side to move is not legal, or undefined if it is. */
export function stepProblem(game: V1Game, from: number, direction: Direction): string | undefined {
  if (game.result) return 'the game is over';
  const { position } = game;
  const color = position.turn;
  if (from < 0 || ((piecesOf(position, color) >>> from) & 1) === 0) return 'you have no piece on that square';
  const isKing = ((position.kings >>> from) & 1) === 1;
  if (!isKing && !MAN_DIRECTIONS[color].includes(direction)) return 'a man only moves forward';
  const to = STEP[direction]?.[from] ?? -1;
  if (to < 0) return 'that step leaves the board';
  if (((emptySquares(position) >>> to) & 1) === 0) return 'that square is occupied';
  return undefined;
}

/** Plays a step of the side to move, then everything the referee does after it. */
export function playV1Step(
  game: V1Game,
  from: number,
  direction: Direction,
  chooser: JumpChooser = firstJump,
): StepOutcome {
  const problem = stepProblem(game, from, direction);
  if (problem) return { ok: false, reason: problem };
  const { position } = game;
  const color = position.turn;
  const to = STEP[direction]?.[from] ?? -1;
  const wasKing = ((position.kings >>> from) & 1) === 1;
  const after = movePiece(position, color, from, to, 0);
  const events: V1Event[] = [{ kind: 'step', color, from, to, direction, position: after }];
  return settle(after, wasKing ? game.quietPlies + 1 : 0, chooser, events);
}

/** From a position whose `turn` is the side now to move: forced jumps, then the next turn or the end. */
function settle(start: Position, startQuiet: number, chooser: JumpChooser, events: V1Event[]): StepOutcome {
  let position = start;
  let quietPlies = startQuiet;
  for (;;) {
    const color = position.turn;
    if (piecesOf(position, color) === 0)
      return finish(position, quietPlies, { winner: other(color), reason: 'no-pieces' }, events);
    let options = singleJumps(position, color);
    if (options.length === 0) {
      if (!hasStep(position, color))
        return finish(position, quietPlies, { winner: other(color), reason: 'no-moves' }, events);
      if (quietPlies >= QUIET_PLIES_FOR_DRAW)
        return finish(position, quietPlies, { winner: null, reason: 'forty-move-rule' }, events);
      events.push({ kind: 'turn', color });
      return { ok: true, game: { position, quietPlies, result: undefined }, events };
    }
    while (options.length > 0) {
      const jump = pick(chooser, options, position);
      const crowned = ((position.kings >>> jump.from) & 1) === 0 && ((CROWNING_ROW[color] >>> jump.to) & 1) === 1;
      position = movePiece(position, color, jump.from, jump.to, (1 << jump.over) >>> 0);
      events.push({ kind: 'jump', color, ...jump, position });
      options = crowned ? [] : singleJumps(position, color, jump.to);
    }
    quietPlies = 0;
    position = { ...position, turn: other(color) };
  }
}

function pick(chooser: JumpChooser, options: readonly SingleJump[], position: Position): SingleJump {
  const index = chooser(options, position);
  const jump = options[index];
  if (!jump) throw new RangeError(`jump chooser returned ${index} for ${options.length} options`);
  return jump;
}

function finish(position: Position, quietPlies: number, result: GameResult, events: V1Event[]): StepOutcome {
  events.push({ kind: 'end', result });
  return { ok: true, game: { position, quietPlies, result }, events };
}

/** Every legal step of the side to move. */
export function legalSteps(game: V1Game): Array<{ from: number; to: number; direction: Direction }> {
  if (game.result) return [];
  const { position } = game;
  const steps: Array<{ from: number; to: number; direction: Direction }> = [];
  for (let movers = piecesOf(position, position.turn); movers !== 0; movers &= movers - 1) {
    const from = lowestBit(movers);
    for (const direction of directionsFor(position, from, position.turn)) {
      if (stepProblem(game, from, direction) === undefined) {
        steps.push({ from, to: STEP[direction]?.[from] ?? -1, direction });
      }
    }
  }
  return steps;
}

/**
 * Every game that can follow a step, one per sequence of referee choices.
 * Used by perft and by engines that must reason about jumps they do not choose.
 */
export function allStepOutcomes(game: V1Game, from: number, direction: Direction): V1Game[] {
  const outcomes: V1Game[] = [];
  const prefixes: number[][] = [[]];
  for (let prefix = prefixes.pop(); prefix; prefix = prefixes.pop()) {
    const made: number[] = [];
    const chooser: JumpChooser = (options) => {
      const forced = prefix[made.length];
      if (forced !== undefined) {
        made.push(forced);
        return forced;
      }
      for (let alternative = 1; alternative < options.length; alternative++) prefixes.push([...made, alternative]);
      made.push(0);
      return 0;
    };
    const outcome = playV1Step(game, from, direction, chooser);
    if (outcome.ok) outcomes.push(outcome.game);
  }
  return outcomes;
}
