import { writePdn } from '../../../game/pdn.js';
import { wireRating } from '../../rating.js';
import type { StoredGame } from '../../store/store.js';

/* How a finished game is shown by the API (JSON) and exported (PDN); `games export` writes the same PDN. */

const PDN_RESULT = { black: '1-0', white: '0-1', draw: '1/2-1/2', abandoned: '*' } as const;

export interface GameSide {
  readonly name: string;
  readonly ratingBefore: number;
  readonly ratingAfter: number;
}

export interface GameSummary {
  readonly id: number;
  readonly black: GameSide;
  readonly white: GameSide;
  readonly winner: StoredGame['winner'];
  /** As PDN writes it: 1-0 (black won), 0-1, 1/2-1/2, or * (abandoned). */
  readonly result: string;
  readonly termination: StoredGame['termination'];
  /** Turns played, Black's and White's together. */
  readonly plies: number;
  readonly startedAt: string;
  readonly endedAt: string;
}

export function gameSummary(game: StoredGame): GameSummary {
  const side = (player: StoredGame['black']): GameSide => ({
    name: player.name,
    ratingBefore: Math.round(player.ratingBefore),
    ratingAfter: Math.round(player.ratingAfter),
  });
  return {
    id: game.id,
    black: side(game.black),
    white: side(game.white),
    winner: game.winner,
    result: PDN_RESULT[game.winner],
    termination: game.termination,
    plies: game.moves.length,
    startedAt: game.startedAt.toISOString(),
    endedAt: game.endedAt.toISOString(),
  };
}

export function gameToPdn(game: StoredGame): string {
  return writePdn({
    event: `checkers-server game ${game.id}`,
    date: game.startedAt,
    black: game.black.name,
    white: game.white.name,
    result: PDN_RESULT[game.winner],
    moves: game.moves,
    tags: {
      BlackRating: String(wireRating(game.black.ratingBefore)),
      WhiteRating: String(wireRating(game.white.ratingBefore)),
      Termination: game.termination,
    },
  });
}
