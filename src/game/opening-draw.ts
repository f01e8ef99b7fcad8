import { parseMoveText } from './notation.js';
import type { Opening } from './openings.js';
import { newStandardGame, playStandardPath, type StandardGame } from './standard-game.js';

/* Tournament openings in play: drawing a ballot, playing its moves, naming the ballot a game began with. */

/** One ballot of `deck`, chosen by `random` (uniform in [0, 1), such as the server's seeded generator). */
export function drawOpening(deck: readonly Opening[], random: () => number): Opening {
  if (deck.length === 0) throw new RangeError('an opening deck needs at least one ballot');
  const index = Math.min(deck.length - 1, Math.max(0, Math.floor(random() * deck.length)));
  return deck[index] as Opening;
}

/** A game with an opening's moves played: the referee's state, the moves' texts and the last move's squares. */
export interface OpenedGame {
  readonly game: StandardGame;
  readonly moves: readonly string[];
  readonly lastPath: readonly number[];
}

/** A new standard game with the opening's moves already played (as the referee would have taken them). */
export function playOpening(opening: Opening): OpenedGame {
  let game = newStandardGame();
  const moves: string[] = [];
  let lastPath: readonly number[] = [];
  for (const text of opening.moves) {
    const reading = parseMoveText(text);
    if (!reading.ok) throw new RangeError(`${opening.name}: ${reading.reason}`);
    const outcome = playStandardPath(game, reading.move.squares);
    if (!outcome.ok) throw new RangeError(`${opening.name}: ${text} is not legal in its place`);
    game = outcome.game;
    moves.push(outcome.text);
    lastPath = reading.move.squares;
  }
  return { game, moves, lastPath };
}

/** The ballot of `deck` whose moves a game's first moves are, if any (the ballot names the game's opening). */
export function openingOfMoves(deck: readonly Opening[], moves: readonly string[]): Opening | undefined {
  return deck.find((opening) => opening.moves.every((move, index) => moves[index] === move));
}

/** The server's draw: a ballot of `deck` per game, by `random` (Math.random unless a test injects a seeded one). */
export function openingDraw(settings: {
  readonly deck: readonly Opening[];
  readonly random?: () => number;
}): () => Opening {
  const random = settings.random ?? Math.random;
  return () => drawOpening(settings.deck, random);
}
