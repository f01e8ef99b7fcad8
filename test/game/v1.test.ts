import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perftV1, perftV1Reference } from '../../src/game/perft.js';
import {
  BLACK,
  type Color,
  other,
  pieceCount,
  positionFromSquares,
  positionProblem,
  WHITE,
} from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { type Direction, STEP } from '../../src/game/squares.js';
import { legalMoves } from '../../src/game/standard.js';
import {
  allStepOutcomes,
  type JumpChooser,
  legalSteps,
  newV1Game,
  openingEvents,
  playV1Step,
  singleJumps,
  type V1Event,
  type V1Game,
} from '../../src/game/v1.js';
import { seededRandom } from '../support/random.js';

/** The direction from square `from` to its neighbour `to` (square numbers). */
function towards(from: number, to: number): Direction {
  const direction = ([0, 1, 2, 3] as const).find((d) => STEP[d]?.[from - 1] === to - 1);
  assert.notEqual(direction, undefined, `${from} and ${to} are not neighbours`);
  return direction as Direction;
}

function step(game: V1Game, from: number, to: number, chooser?: JumpChooser) {
  const outcome = playV1Step(game, from - 1, towards(from, to), chooser);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  return outcome;
}

/** Events as short text: "B 14-18", "W 22x15", "turn B", "end W no-pieces". */
function describeEvents(events: readonly V1Event[]): string[] {
  return events.map(describeEvent);
}

function describeEvent(event: V1Event): string {
  const side = (color: Color) => (color === BLACK ? 'B' : 'W');
  switch (event.kind) {
    case 'step':
      return `${side(event.color)} ${event.from + 1}-${event.to + 1}`;
    case 'jump':
      return `${side(event.color)} ${event.from + 1}x${event.to + 1}`;
    case 'turn':
      return `turn ${side(event.color)}`;
    case 'end':
      return `end ${event.result.winner === null ? 'draw' : side(event.result.winner)} ${event.result.reason}`;
  }
}

describe('version-1 flow', () => {
  it('opens with Black to move and no jumps', () => {
    const opening = openingEvents(newV1Game());
    assert.ok(opening.ok);
    assert.deepEqual(describeEvents(opening.events), ['turn B']);
  });

  it('a step passes the turn', () => {
    const { events, game } = step(newV1Game(), 9, 14);
    assert.deepEqual(describeEvents(events), ['B 9-14', 'turn W']);
    assert.equal(game.position.turn, WHITE);
  });

  it('the referee plays the forced jump, and a side left without pieces loses', () => {
    const game = newV1Game(positionFromSquares({ black: [14], white: [22] }));
    assert.deepEqual(describeEvents(step(game, 14, 18).events), ['B 14-18', 'W 22x15', 'end W no-pieces']);
  });

  it('the same piece keeps jumping while it can', () => {
    const game = newV1Game(positionFromSquares({ black: [1, 11, 14], white: [22] }));
    const outcome = step(game, 14, 18);
    assert.deepEqual(describeEvents(outcome.events), ['B 14-18', 'W 22x15', 'W 15x8', 'turn B']);
    assert.deepEqual(outcome.game.position, positionFromSquares({ black: [1], white: [8], turn: BLACK }));
  });

  it('a man crowned by a jump stops jumping', () => {
    const game = newV1Game(positionFromSquares({ black: [6, 7, 16, 17], white: [11] }));
    const outcome = step(game, 17, 21);
    assert.deepEqual(describeEvents(outcome.events), ['B 17-21', 'W 11x2', 'turn B']);
    assert.equal((outcome.game.position.kings >>> 1) & 1, 1, 'square 2 holds a king');
    assert.equal(singleJumps(outcome.game.position, WHITE).length, 1, 'as a king it could have jumped on');
  });

  it('forced jumps alternate sides until a side has none', () => {
    // White's forced chain 22x15x6 ends where Black's man on 1 must take it back.
    const game = newV1Game(positionFromSquares({ black: [1, 10, 14], white: [22, 32] }));
    const outcome = step(game, 14, 18);
    assert.deepEqual(describeEvents(outcome.events), ['B 14-18', 'W 22x15', 'W 15x6', 'B 1x10', 'turn W']);
  });

  it('the chooser decides between jumps', () => {
    const game = newV1Game(positionFromSquares({ black: [1, 17, 18], white: [22, 26] }));
    const first = step(game, 1, 5, () => 0);
    const second = step(game, 1, 5, (options) => options.length - 1);
    assert.notDeepEqual(first.events, second.events);
    assert.equal(allStepOutcomes(game, 0, towards(1, 5)).length, 2);
  });

  it('a man becomes a king on the far row by a step', () => {
    const game = newV1Game(positionFromSquares({ black: [27], white: [1] }));
    const outcome = step(game, 27, 32);
    assert.equal((outcome.game.position.kings >>> 31) & 1, 1);
  });

  it('a side with no legal move loses', () => {
    const game = newV1Game(positionFromSquares({ black: [1, 13], white: [5] }));
    assert.deepEqual(describeEvents(step(game, 13, 17).events), ['B 13-17', 'end B no-moves']);
    const blocked = openingEvents(newV1Game(positionFromSquares({ black: [25], white: [29, 30] })));
    assert.ok(blocked.ok);
    assert.deepEqual(describeEvents(blocked.events), ['end W no-moves']);
  });

  it('40 moves a side with no capture and no man moved is a draw; a man move resets the count', () => {
    let game = newV1Game(positionFromSquares({ black: [32, 13], kings: [32, 1], white: [1, 20] }));
    const shuffle = (ply: number) =>
      ply % 2 === 0 ? (ply % 4 === 0 ? [32, 28] : [28, 32]) : ply % 4 === 1 ? [1, 5] : [5, 1];
    game = step(game, 13, 17).game;
    game = step(game, 1, 5).game;
    game = step(game, 32, 28).game;
    game = step(game, 5, 1).game;
    assert.equal(game.quietPlies, 3, 'the man move reset the count');
    game = step(game, 17, 22).game;
    assert.equal(game.quietPlies, 0);
    let events: readonly V1Event[] = [];
    for (let ply = 1; ply <= QUIET_PLIES_FOR_DRAW; ply++) {
      const [from, to] = shuffle(ply) as [number, number];
      ({ game, events } = step(game, from, to));
      if (ply < QUIET_PLIES_FOR_DRAW) assert.equal(game.result, undefined, `ply ${ply}`);
    }
    assert.deepEqual(game.result, { winner: null, reason: 'forty-move-rule' });
    assert.equal(events.at(-1)?.kind, 'end');
  });

  it('refuses illegal steps with the reason', () => {
    const game = newV1Game();
    const reason = (from: number, direction: Direction) => {
      const outcome = playV1Step(game, from, direction);
      return outcome.ok ? 'legal' : outcome.reason;
    };
    assert.equal(reason(21 - 1, towards(21, 17)), 'you have no piece on that square');
    assert.equal(reason(18 - 1, towards(18, 14)), 'you have no piece on that square');
    assert.equal(reason(9 - 1, towards(9, 5)), 'a man only moves forward');
    assert.equal(reason(5 - 1, towards(5, 9)), 'that square is occupied');
    assert.equal(reason(12 - 1, 2), 'that step leaves the board');
    assert.equal(reason(-1, 0), 'you have no piece on that square');
  });

  it('after the end nothing more is played', () => {
    const over = step(newV1Game(positionFromSquares({ black: [14], white: [22] })), 14, 18).game;
    assert.ok(over.result);
    assert.deepEqual(legalSteps(over), []);
    const outcome = playV1Step(over, 0, 0);
    assert.equal(outcome.ok, false);
  });
});

describe('version-1 flow: random games', () => {
  it('always terminate with a valid result, obey the flow and never reach an unsound position', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const chooser: JumpChooser = (options) => random(options.length);
      let game = newV1Game();
      let turns = 0;
      while (!game.result) {
        const steps = legalSteps(game);
        // With no jump pending, the version-1 steps are exactly the standard legal moves.
        assert.deepEqual(
          steps.map((s) => `${s.from}-${s.to}`).sort(),
          legalMoves(game.position)
            .map((m) => `${m.from}-${m.path[0]}`)
            .sort(),
        );
        const choice = steps[random(steps.length)];
        assert.ok(choice, `seed ${seed}: a side got its turn without a step`);
        const mover = game.position.turn;
        const outcome = playV1Step(game, choice.from, choice.direction, chooser);
        assert.ok(outcome.ok);
        checkEventGrammar(outcome.events, mover, seed);
        game = outcome.game;
        assert.equal(positionProblem(game.position), undefined);
        turns++;
        assert.ok(turns < 5000, `seed ${seed} does not terminate`);
      }
      const { winner, reason } = game.result;
      if (reason === 'no-pieces') assert.equal(pieceCount(game.position, other(winner ?? BLACK)), 0);
      if (reason === 'no-moves') assert.equal(legalMoves(game.position).length, 0);
      if (reason === 'forty-move-rule') assert.equal(winner, null);
    }
  });
});

describe('version-1 perft on bitboards', () => {
  it('counts what the object-based flow counts: from the start, from random games, and near the 40-move rule', () => {
    for (let depth = 1; depth <= 5; depth++) {
      assert.equal(
        perftV1(newV1Game(), depth),
        perftV1Reference(newV1Game(), depth),
        `initial position, depth ${depth}`,
      );
    }
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      let game = newV1Game();
      for (let turn = 0; turn < 20 + random(60) && !game.result; turn++) {
        const steps = legalSteps(game);
        const choice = steps[random(steps.length)];
        if (!choice) break;
        const outcome = playV1Step(game, choice.from, choice.direction, (options) => random(options.length));
        assert.ok(outcome.ok);
        game = outcome.game;
      }
      const nearDraw = { ...game, quietPlies: QUIET_PLIES_FOR_DRAW - 1 - random(3) };
      for (const start of [game, nearDraw]) {
        assert.equal(perftV1(start, 3), perftV1Reference(start, 3), `seed ${seed}, ${start.quietPlies} quiet plies`);
      }
    }
  });
});

/** step, then runs of jumps by one piece alternating sides, then one turn or end. */
function checkEventGrammar(events: readonly V1Event[], mover: Color, seed: number): void {
  const [first, ...rest] = events;
  assert.equal(first?.kind, 'step');
  let side = other(mover);
  let previous: V1Event | undefined;
  for (const [index, event] of rest.entries()) {
    if (event.kind === 'jump') {
      if (previous?.kind === 'jump' && previous.color === event.color) {
        assert.equal(event.from, previous.to, `seed ${seed}: a jump chain changed piece`);
      } else {
        assert.equal(event.color, side, `seed ${seed}: jumps out of turn`);
        side = other(side);
      }
      assert.equal(positionProblem(event.position), undefined);
    } else {
      assert.equal(index, rest.length - 1, `seed ${seed}: ${event.kind} is not last`);
      if (event.kind === 'turn') {
        assert.equal(event.color, side);
        const last = [...events].reverse().find((e) => e.kind === 'jump' || e.kind === 'step');
        assert.ok(last && 'position' in last);
        assert.equal(singleJumps(last.position, side).length, 0);
      }
    }
    previous = event;
  }
}
