import { fenOf } from './fen.js';
import { matchMove, parseMoveText } from './notation.js';
import { INITIAL_POSITION, type Position } from './position.js';
import { applyMove, legalMoves } from './standard.js';

/** A tournament opening: its three forced moves, the position after them (White to move) and its FEN. */
export interface Opening {
  /** 1 to 156, in the deck's order (first Black move, then White's, then Black's, by square numbers). */
  readonly number: number;
  /** "ballot 1: 9-13 21-17 5-9". */
  readonly name: string;
  /** The three moves in standard notation. */
  readonly moves: readonly string[];
  readonly position: Position;
  readonly fen: string;
}

/**
 * The American Checker Federation's three-move ballots in play: of the 174
 * openings of three moves that the ballot list counts, 18 lose by force and
 * are barred, leaving these 156. Each line is a first Black move and the
 * White replies with Black's third moves after them (`|` between replies).
 */
const BALLOTS: readonly string[] = [
  '9-13 21-17: 5-9 6-9 | 22-17: 13x22 | 22-18: 6-9 10-14 10-15 11-15 11-16 12-16',
  '9-13 23-18: 5-9 6-9 10-15 11-15 11-16 12-16 | 23-19: 5-9 6-9 10-14 10-15 11-16',
  '9-13 24-19: 5-9 6-9 10-14 11-15 11-16 | 24-20: 5-9 6-9 10-14 10-15 11-15 11-16',
  '9-14 22-17: 5-9 6-9 11-15 11-16 | 22-18: 5-9 10-15 11-15 11-16 | 23-18: 14x23 | 23-19: 5-9 11-16 14-18',
  '9-14 24-19: 5-9 11-15 11-16 | 24-20: 5-9 10-15 11-15 11-16',
  '10-14 22-17: 7-10 9-13 11-15 11-16 14-18 | 22-18: 6-10 7-10 11-15 11-16 12-16 | 23-18: 14x23',
  '10-14 23-19: 6-10 7-10 11-15 11-16 14-18 | 24-19: 6-10 7-10 11-16 14-18 | 24-20: 6-10 7-10 11-15 11-16 14-18',
  '10-15 21-17: 6-10 7-10 9-13 11-16 15-18 | 22-17: 6-10 7-10 9-13 11-16 15-19 | 22-18: 15x22',
  '10-15 23-18: 6-10 7-10 9-14 11-16 12-16 | 23-19: 6-10 7-10 11-16 | 24-19: 15x24 | 24-20: 6-10 7-10 15-19',
  '11-15 21-17: 8-11 9-13 9-14 15-19 | 22-17: 8-11 9-13 15-18 15-19 | 22-18: 15x22',
  '11-15 23-18: 8-11 9-14 10-14 12-16 15-19 | 23-19: 8-11 9-13 9-14 | 24-19: 15x24 | 24-20: 8-11 12-16 15-18',
  '11-16 21-17: 7-11 8-11 9-13 9-14 16-20 | 22-17: 7-11 8-11 9-13 16-20 | 22-18: 7-11 8-11 16-19 16-20',
  '11-16 23-18: 7-11 8-11 9-14 10-14 16-20 | 23-19: 16x23 | 24-19: 7-11 8-11 16-20 | 24-20: 7-11 16-19',
  '12-16 21-17: 9-13 9-14 16-19 16-20 | 22-17: 16-19 16-20 | 22-18: 16-19 16-20 | 23-18: 16-19 16-20',
  '12-16 24-19: 16-20 | 24-20: 8-12 10-15',
];

function play(position: Position, text: string): Position {
  const parsed = parseMoveText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const found = matchMove(legalMoves(position), parsed.move);
  if (!found.ok) throw new Error(`opening move ${text}: ${found.reason}`);
  return applyMove(position, found.move);
}

/** Every ballot's moves, in the deck's order. */
function ballotMoves(): string[][] {
  const lines: string[][] = [];
  for (const row of BALLOTS) {
    const [first, ...rest] = row.split(' ');
    for (const reply of rest.join(' ').split('|')) {
      const [white, thirds] = reply.split(':') as [string, string];
      for (const third of thirds.trim().split(/\s+/)) lines.push([first as string, white.trim(), third]);
    }
  }
  return lines;
}

/** The three-move deck: 156 openings, each checked legal move by move from the initial position. */
export const THREE_MOVE_OPENINGS: readonly Opening[] = ballotMoves().map((moves, index) => {
  const position = moves.reduce(play, INITIAL_POSITION);
  return { number: index + 1, name: `ballot ${index + 1}: ${moves.join(' ')}`, moves, position, fen: fenOf(position) };
});

/** Opening decks by the name a command line or a queue gives them. */
export const OPENING_DECKS: Readonly<Record<string, readonly Opening[]>> = { 'three-move': THREE_MOVE_OPENINGS };
