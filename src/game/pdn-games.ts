import { positionFromFen } from './fen.js';
import { matchMove, parseMoveText } from './notation.js';
import { clockOfComment } from './pdn.js';
import type { PdnProblem, PdnRecord } from './pdn-read.js';
import { tagValue } from './pdn-read.js';
import { INITIAL_POSITION, type Position } from './position.js';
import { applyMove, legalMoves, type Move } from './standard.js';

/** A PDN game's main line replayed by the standard rules. */
export interface PlayedGame {
  readonly start: Position;
  readonly moves: readonly Move[];
  /** Each move in standard notation, as the record wrote it. */
  readonly texts: readonly string[];
  /** Each move's `[%clk H:MM:SS]` comment, the mover's time left in ms; undefined where it has none. */
  readonly clocks: readonly (number | undefined)[];
}

export type PlayedReading =
  | { readonly ok: true; readonly game: PlayedGame }
  | { readonly ok: false; readonly problem: PdnProblem };

/**
 * Replays a record's main line from its FEN (or the opening position) by the
 * standard rules; a GameType other than 21 (English draughts), a bad FEN or
 * an illegal move gets a problem naming where it stands. Pure, never throws.
 */
export function playPdnGame(record: PdnRecord): PlayedReading {
  const where = { line: record.line, column: 1 };
  const gameType = tagValue(record, 'GameType');
  if (gameType !== undefined && gameType.split(',')[0]?.trim() !== '21') {
    return {
      ok: false,
      problem: { ...where, message: `GameType "${gameType}" is not English draughts (21); this board plays only 21` },
    };
  }
  let start = INITIAL_POSITION;
  const fen = tagValue(record, 'FEN');
  if (fen !== undefined) {
    try {
      start = positionFromFen(fen);
    } catch (error) {
      return {
        ok: false,
        problem: { ...where, message: `the FEN tag is not a position: ${(error as Error).message}` },
      };
    }
  }
  const moves: Move[] = [];
  const texts: string[] = [];
  const clocks: (number | undefined)[] = [];
  let position = start;
  for (const written of record.moves) {
    const parsed = parseMoveText(written.text);
    const found = parsed.ok ? matchMove(legalMoves(position), parsed.move) : parsed;
    if (!found.ok) {
      return { ok: false, problem: { line: written.line, column: written.column, message: found.reason } };
    }
    moves.push(found.move);
    texts.push(written.text);
    clocks.push(clockOfComment(written.comment));
    position = applyMove(position, found.move);
  }
  return { ok: true, game: { start, moves, texts, clocks } };
}
