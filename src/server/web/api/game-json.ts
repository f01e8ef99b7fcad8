import type {
  GameWinner as ApiGameWinner,
  Termination as ApiTermination,
  TimeControl as ApiTimeControl,
  GameSide,
  GameSummary,
} from '../../../common/api-types.js';
import { openingOfMoves } from '../../../game/opening-draw.js';
import { THREE_MOVE_OPENINGS } from '../../../game/openings.js';
import { writePdn } from '../../../game/pdn.js';
import type { GameWinner, StoredGame, Termination, TimeControl } from '../../domain/games.js';
import { wireRating } from '../../domain/rating.js';
import { isGuestName } from '../../play/guests.js';
import { rounded } from './answers.js';

/* How a finished game is shown by the API (JSON) and exported (PDN); `games export` writes the same PDN. */

const PDN_RESULT = { black: '1-0', white: '0-1', draw: '1/2-1/2', abandoned: '*' } as const;

/*
 * The server's outcomes as the API spells them (docs/API.md). The same words
 * today; the tables make a new outcome in the server a compile error here
 * until its JSON spelling is chosen, and let either side be renamed alone.
 */
const WINNER_JSON: { readonly [W in GameWinner]: ApiGameWinner } = {
  black: 'black',
  white: 'white',
  draw: 'draw',
  abandoned: 'abandoned',
};

const TERMINATION_JSON: { readonly [T in Termination]: ApiTermination } = {
  'no-pieces': 'no-pieces',
  'no-moves': 'no-moves',
  'forty-move-rule': 'forty-move-rule',
  logout: 'logout',
  disconnect: 'disconnect',
  'protocol-error': 'protocol-error',
  'move-clock': 'move-clock',
  'both-away': 'both-away',
  'server-shutdown': 'server-shutdown',
  'storage-outage': 'storage-outage',
  'account-removed': 'account-removed',
  resignation: 'resignation',
  'draw-agreed': 'draw-agreed',
  'threefold-repetition': 'threefold-repetition',
  'out-of-time': 'out-of-time',
};

/** How the API writes who won. */
export function winnerJson(winner: GameWinner): ApiGameWinner {
  return WINNER_JSON[winner];
}

/** How the API writes how a game ended. */
export function terminationJson(termination: Termination): ApiTermination {
  return TERMINATION_JSON[termination];
}

/** A game's time control as the API writes it: null without a clock. */
export function timeControlJson(clock: TimeControl | undefined): ApiTimeControl | null {
  if (!clock || (clock.initialSeconds === 0 && clock.incrementSeconds === 0)) return null;
  return { initialSeconds: clock.initialSeconds, incrementSeconds: clock.incrementSeconds };
}

export function gameSummary(game: StoredGame): GameSummary {
  const side = (player: StoredGame['black']): GameSide => ({
    name: player.name,
    // A stored game keeps names, not accounts: a guest is known by its name (sign-up refuses guest- names).
    ...(isGuestName(player.name) ? { guest: true as const } : {}),
    ratingBefore: rounded(player.ratingBefore),
    ratingAfter: rounded(player.ratingAfter),
  });
  return {
    id: game.id,
    black: side(game.black),
    white: side(game.white),
    winner: winnerJson(game.winner),
    result: PDN_RESULT[game.winner],
    termination: terminationJson(game.termination),
    rules: game.rules,
    timeControl: timeControlJson(game.timeControl),
    plies: game.moves.length,
    startedAt: game.startedAt.toISOString(),
    endedAt: game.endedAt.toISOString(),
  };
}

export function gameToPdn(game: StoredGame): string {
  // A standard game's opening is the three-move ballot its first three moves form, drawn by --openings or played freely.
  const opening = game.rules === 'standard' ? openingOfMoves(THREE_MOVE_OPENINGS, game.moves) : undefined;
  return writePdn({
    event: `checkers-server game ${game.id}`,
    date: game.startedAt,
    black: game.black.name,
    white: game.white.name,
    result: PDN_RESULT[game.winner],
    moves: game.moves,
    ...(game.moveClocks ? { clocks: game.moveClocks } : {}),
    tags: {
      BlackRating: String(wireRating(game.black.ratingBefore)),
      WhiteRating: String(wireRating(game.white.ratingBefore)),
      Termination: game.termination,
      // PGN's form, seconds + increment: the standard games with a clock (version-1 games and no-clock games have none).
      ...(game.timeControl.initialSeconds > 0 || game.timeControl.incrementSeconds > 0
        ? { TimeControl: `${game.timeControl.initialSeconds}+${game.timeControl.incrementSeconds}` }
        : {}),
      ...(opening ? { Opening: opening.name } : {}),
    },
  });
}
