/* The community API as the pages read it (shapes: docs/API.md). */

export interface Standing {
  readonly rank: number;
  readonly name: string;
  readonly rating: number;
  readonly deviation: number;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
}

export interface StandingsPage {
  readonly list: 'ranked' | 'provisional';
  readonly rule: { readonly minGames: number; readonly maxDeviation: number };
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly players: readonly Standing[];
}

export interface GameSide {
  readonly name: string;
  readonly ratingBefore: number;
  readonly ratingAfter: number;
}

export interface GameSummary {
  readonly id: number;
  readonly black: GameSide;
  readonly white: GameSide;
  readonly winner: 'black' | 'white' | 'draw' | 'abandoned';
  readonly result: string;
  readonly termination: string;
  readonly plies: number;
  readonly startedAt: string;
  readonly endedAt: string;
}

export interface GameRecord extends GameSummary {
  readonly moves: readonly string[];
  readonly pdn: string;
}

export interface Profile {
  readonly name: string;
  readonly rating: number;
  readonly deviation: number;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
  readonly provisional: boolean;
  readonly rank: number | null;
  readonly history: ReadonlyArray<{ gameId: number; endedAt: string; before: number; after: number }>;
  readonly recentGames: readonly GameSummary[];
}

export interface LiveList {
  readonly total: number;
  readonly games: ReadonlyArray<{
    readonly id: number;
    readonly black: { readonly name: string; readonly rating: number };
    readonly white: { readonly name: string; readonly rating: number };
    readonly plies: number;
    readonly moveNumber: number;
    readonly turn: 'black' | 'white';
    readonly startedAt: string;
  }>;
}

/** An answer that is not 2xx: its status and the server's one-line error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `the server answered ${response.status}`);
  return body as T;
}

export function getJson<T>(path: string): Promise<T> {
  return fetch(path, { headers: { Accept: 'application/json' } }).then((response) => answer<T>(response));
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }).then((response) => answer<T>(response));
}

/** A short, human description of how a game ended. */
export function endingText(game: Pick<GameSummary, 'winner' | 'termination'>): string {
  const how: Record<string, string> = {
    'no-pieces': 'no pieces left',
    'no-moves': 'no moves left',
    'forty-move-rule': 'forty-move rule',
    logout: 'a player left',
    disconnect: 'a player disconnected',
    'protocol-error': 'a protocol error',
    'move-clock': 'the move clock ran out',
    'both-away': 'both players away',
    'server-shutdown': 'server shutdown',
    'storage-outage': 'storage outage',
    'account-removed': 'an account was removed',
  };
  const who =
    game.winner === 'draw'
      ? 'Draw'
      : game.winner === 'abandoned'
        ? 'Abandoned'
        : `${game.winner === 'black' ? 'Black' : 'White'} won`;
  return `${who} (${how[game.termination] ?? game.termination})`;
}
