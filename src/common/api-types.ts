/*
 * The community API as it travels (docs/API.md): the JSON of /api/* and of the
 * /watch feed, and the feed's close codes. The server's handlers build these
 * and the browser's pages read them, so both import them from here; nothing
 * here needs Node or the DOM. The server's own types (src/server/domain/)
 * never import these: src/server/web/api/ maps them to this JSON.
 */

import type { Termination } from '../game/termination.js';
import type { TimeControl } from '../protocol/v2-values.js';

/** Black moved first (the version-1 first player). */
export type Side = 'black' | 'white';
export type GameWinner = Side | 'draw' | 'abandoned';

/** How a game ended: the server's own list (src/game/termination.ts), spelled the same in the JSON. */
export type { Termination };

export type StandingsList = 'ranked' | 'provisional';

/** The rule set of a game and of a rating: `v1` (protocol version 1) or `standard` (English draughts, version 2). */
export type Rules = 'v1' | 'standard';

/** A Fischer time control in seconds (initial + increment per move): the protocol's (protocol/v2-values.ts). */
export type { TimeControl };

/** A player's rating and game counts, as the standings and a profile show them. */
export interface PlayerRecord {
  readonly name: string;
  readonly rating: number;
  readonly deviation: number;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
}

/** One line of the standings; `rank` counts from 1 within its list. */
export interface Standing extends PlayerRecord {
  readonly rank: number;
}

/** `GET /api/leaderboard`. */
export interface StandingsPage {
  readonly list: StandingsList;
  /** Whose rating the list ranks. */
  readonly rules: Rules;
  readonly rule: { readonly minGames: number; readonly maxDeviation: number };
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly players: readonly Standing[];
}

/** A player of a finished game, ratings rounded. */
export interface GameSide {
  readonly name: string;
  /** Present (true) for a guest, who has no rating to show. */
  readonly guest?: true;
  readonly ratingBefore: number;
  readonly ratingAfter: number;
}

/** A finished game in a list (`GET /api/games`, a profile's recent games). */
export interface GameSummary {
  readonly id: number;
  readonly black: GameSide;
  readonly white: GameSide;
  readonly winner: GameWinner;
  /** As PDN writes it: 1-0 (black won), 0-1, 1/2-1/2, or * (abandoned). */
  readonly result: string;
  readonly termination: Termination;
  readonly rules: Rules;
  /** Null: no clock (every version-1 game, and standard games without one). */
  readonly timeControl: TimeControl | null;
  /** Turns played, Black's and White's together. */
  readonly plies: number;
  readonly startedAt: string;
  readonly endedAt: string;
}

/** `GET /api/games`: `next` is the `before` cursor of the next page, null on the last. */
export interface GamesPage {
  readonly games: readonly GameSummary[];
  readonly next: string | null;
}

/** `GET /api/games/:id`. */
export interface GameDetail extends GameSummary {
  readonly moves: readonly string[];
  /** The path of the game's PDN export. */
  readonly pdn: string;
}

/** One rated game in a player's rating history. */
export interface RatingHistoryPoint {
  readonly gameId: number;
  readonly endedAt: string;
  readonly before: number;
  readonly after: number;
}

/** A player's rating under one rule set, with its games and standing. */
export interface RulesRecord extends Omit<PlayerRecord, 'name'> {
  readonly provisional: boolean;
  /** Null while provisional. */
  readonly rank: number | null;
}

/** `GET /api/players/:name`: the version-1 record at the top level (as before version 2), the standard one beside it. */
export interface Profile extends PlayerRecord {
  /** Present (true) for a guest: a generated name, casual games only, no rating to show. */
  readonly guest?: true;
  readonly provisional: boolean;
  /** Null while provisional. */
  readonly rank: number | null;
  /** The version-1 rating's history. */
  readonly history: readonly RatingHistoryPoint[];
  readonly standard: RulesRecord & { readonly history: readonly RatingHistoryPoint[] };
  /** Games of both rule sets. */
  readonly recentGames: readonly GameSummary[];
}

/** A player of a game in progress, with the rating before the game. */
export interface LivePlayer {
  readonly name: string;
  /** Present (true) for a guest, who has no rating to show. */
  readonly guest?: true;
  readonly rating: number;
}

/** A game in progress in `GET /api/live`. */
export interface LiveGameSummary {
  readonly id: number;
  readonly black: LivePlayer;
  readonly white: LivePlayer;
  readonly plies: number;
  /** The move (a Black turn and a White turn) under way. */
  readonly moveNumber: number;
  readonly turn: Side;
  readonly rules: Rules;
  /** Null: no clock. */
  readonly timeControl: TimeControl | null;
  readonly startedAt: string;
  /** The path of its watch feed. */
  readonly watch: string;
}

/** `GET /api/live`. */
export interface LiveList {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly games: readonly LiveGameSummary[];
}

/** A version-2 player waiting in a queue, in `GET /api/seeks`. */
export interface Seek {
  readonly name: string;
  /** The standard-rules rating, rounded. */
  readonly rating: number;
  /** Null: no clock. */
  readonly timeControl: TimeControl | null;
  /** Whole seconds since they joined the queue. */
  readonly waitingSeconds: number;
}

/** `GET /api/seeks`: who waits now in the version-2 queues, longest wait first (at most 50 listed). */
export interface SeekList {
  /** Everyone waiting in the version-2 queues, listed or not. */
  readonly total: number;
  readonly seeks: readonly Seek[];
}

/** `GET /api/site`: what a page needs to know about this server before it offers anything. */
export interface SiteFacts {
  /** `open` when anyone may sign up (POST /api/accounts). */
  readonly registration: 'open' | 'closed';
  /**
   * Whether the demo accounts (docs/PROTOCOL.md section 11) are still there:
   * the account `cam` exists. Their passwords are not checked (that would
   * cost a password hash per request), only that the operator has not removed them.
   */
  readonly demoAccounts: boolean;
}

/** `POST /api/accounts` (201). */
export interface SignedUp {
  readonly name: string;
  readonly rating: number;
}

/** `POST /api/password`. */
export interface PasswordChanged {
  readonly name: string;
  readonly changed: true;
}

/** Every refusal: one line saying what went wrong and what to do. */
export interface ApiErrorBody {
  readonly error: string;
}

/** What a watcher of `/watch/:id` receives, as JSON text frames. */
export type WatchMessage =
  | {
      readonly type: 'game';
      readonly id: number;
      readonly black: LivePlayer;
      readonly white: LivePlayer;
      readonly moves: readonly string[];
      readonly fen: string;
      readonly turn: Side;
      readonly startedAt: string;
    }
  | {
      readonly type: 'moves';
      /** The turns played since the last message, in standard notation. */
      readonly moves: readonly string[];
      readonly plies: number;
      readonly fen: string;
      readonly turn: Side;
    }
  | {
      readonly type: 'over';
      readonly moves: readonly string[];
      readonly plies: number;
      readonly winner: GameWinner;
      readonly termination: Termination;
      readonly gameId: number;
    };

/** The WebSocket close codes a watcher may see. */
export const WATCH_CLOSE = {
  gameOver: 1000,
  shutdown: 1001,
  /** The watcher sent something: the feed is read-only. */
  readOnly: 1008,
  storageDown: 1011,
  /** A watcher limit (per game or per address): try again later. */
  tooMany: 1013,
  noSuchGame: 4404,
} as const;
