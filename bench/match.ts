import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { enginePlayer, plainPlayer, playMatch, randomPlayer, type V1Player } from '../src/game/engine/engine-match.js';
import { THREE_MOVE_OPENINGS } from '../src/game/openings.js';
import { seededRandom } from '../src/game/random.js';
import { openingEvents, type V1Game } from '../src/game/v1.js';
import { weightsOption } from './weights-option.js';

/**
 * `npm run bench:match -- --a 10 --b random --games 100 [--time-ms 50] [--seed 1] [--openings 4|three-move]`:
 * a version-1 match between two players (engine levels 1-10, "plainN" for the
 * standard search at level N, "oldN" for an earlier build's level N with
 * --old-dist, or "random"; --a-weights, --a-reductions, --a-aspiration, --a-threats and the same for B
 * change this build's engine), colours alternating, each pair of
 * games from the same random opening of --openings steps, the referee
 * choosing among jumps at random; prints wins, draws and losses of A, the
 * Elo difference with its 95% error bar, and how many games the 40-move rule drew.
 */
const { values } = parseArgs({
  options: {
    a: { type: 'string', default: '10' },
    b: { type: 'string', default: 'random' },
    games: { type: 'string', default: '100' },
    'time-ms': { type: 'string' },
    seed: { type: 'string', default: '1' },
    openings: { type: 'string', default: '0' },
    'a-weights': { type: 'string' },
    'b-weights': { type: 'string' },
    'a-reductions': { type: 'boolean', default: false },
    'b-reductions': { type: 'boolean', default: false },
    'a-aspiration': { type: 'boolean', default: false },
    'b-aspiration': { type: 'boolean', default: false },
    'a-threats': { type: 'boolean', default: false },
    'b-threats': { type: 'boolean', default: false },
    'old-dist': { type: 'string' },
  },
});
const games = Math.min(10_000, Math.max(1, Number(values.games)));
const timeMs = values['time-ms'] === undefined ? undefined : Math.max(1, Number(values['time-ms']));
const random = seededRandom(Number(values.seed) >>> 0);

type EnginePlayerMaker = (level: number, random: () => number, timeMs?: number) => V1Player;

/**
 * "oldN" plays an earlier build of this project: --old-dist names its dist
 * folder (for example a past commit extracted with git archive and built
 * in a temporary folder), whose engine-match.js gives its enginePlayer.
 */
async function oldEnginePlayer(): Promise<EnginePlayerMaker> {
  const dist = values['old-dist'];
  if (dist === undefined) {
    console.error('an "old" player needs --old-dist DIR, the dist folder of an earlier build');
    process.exit(2);
  }
  const url = pathToFileURL(resolve(dist, 'src/game/engine/engine-match.js')).href;
  const module = (await import(url).catch(() => undefined)) as { enginePlayer?: EnginePlayerMaker } | undefined;
  if (typeof module?.enginePlayer !== 'function') {
    console.error(`${dist} holds no built engine (src/game/engine/engine-match.js): build the old commit there first`);
    process.exit(2);
  }
  return module.enginePlayer;
}

async function maker(
  spec: string,
  weights: Int32Array | undefined,
  reductions: boolean,
  aspiration: boolean,
  threatExtension: boolean,
): Promise<() => V1Player> {
  if (spec === 'random') return () => randomPlayer(random);
  const kind = /^(plain|old)?(\d+)$/.exec(spec);
  const level = Number(kind?.[2]);
  if (!kind || level < 1 || level > 10) {
    console.error(`a player is "random", a level from 1 to 10, or "plain" or "old" and a level, not "${spec}"`);
    process.exit(2);
  }
  if (kind[1] === 'plain') return () => plainPlayer(level, random, timeMs);
  if (kind[1] === 'old') {
    const old = await oldEnginePlayer();
    return () => old(level, random, timeMs);
  }
  return () =>
    enginePlayer(level, random, timeMs, { ...(weights && { weights }), reductions, aspiration, threatExtension });
}

/**
 * `--openings three-move`: each pair of games from the next ballot of the deck, its pending jumps played by the
 * referee (version 1); a number: that many random steps.
 */
const openings: number | V1Game[] =
  values.openings === 'three-move'
    ? THREE_MOVE_OPENINGS.flatMap(({ position }) => {
        const settled = openingEvents({ position, quietPlies: 0, result: undefined }, (options) =>
          Math.floor(random() * options.length),
        );
        return settled.ok && !settled.game.result ? [settled.game] : [];
      })
    : Math.min(20, Math.max(0, Number(values.openings) || 0));
const started = performance.now();
let fortyMoveDraws = 0;
const score = playMatch(
  await maker(
    values.a,
    weightsOption(values['a-weights'], '--a-weights'),
    values['a-reductions'],
    values['a-aspiration'],
    values['a-threats'],
  ),
  await maker(
    values.b,
    weightsOption(values['b-weights'], '--b-weights'),
    values['b-reductions'],
    values['b-aspiration'],
    values['b-threats'],
  ),
  games,
  random,
  (index, _aColor, _winner, reason) => {
    if (reason === 'forty-move-rule') fortyMoveDraws++;
    if ((index + 1) % 10 === 0) process.stderr.write(`${index + 1} games...\n`);
  },
  openings,
);
const seconds = (performance.now() - started) / 1000;
const elo = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : value > 0 ? '+inf' : '-inf');
console.log(
  `command: npm run bench:match -- --a ${values.a} --b ${values.b} --games ${games}${timeMs ? ` --time-ms ${timeMs}` : ''} --seed ${values.seed} --openings ${values.openings}${values['a-weights'] ? ` --a-weights ${values['a-weights']}` : ''}${values['b-weights'] ? ` --b-weights ${values['b-weights']}` : ''}${values['a-reductions'] ? ' --a-reductions' : ''}${values['b-reductions'] ? ' --b-reductions' : ''}${values['a-aspiration'] ? ' --a-aspiration' : ''}${values['b-aspiration'] ? ' --b-aspiration' : ''}${values['a-threats'] ? ' --a-threats' : ''}${values['b-threats'] ? ' --b-threats' : ''}${values['old-dist'] ? ` --old-dist ${values['old-dist']}` : ''}`,
);
console.log(
  `${values.a} vs ${values.b}: ${score.wins} wins, ${score.draws} draws, ${score.losses} losses; Elo difference ${elo(score.elo)} (95%: ${elo(score.eloLow)} to ${elo(score.eloHigh)}); ${fortyMoveDraws} drawn by the 40-move rule; ${seconds.toFixed(0)} s`,
);
