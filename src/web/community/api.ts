import type { ApiErrorBody, GameSummary, Termination } from '../../common/api-types.js';

/* Reading the community API from the pages; its shapes are in src/common/api-types.ts (docs/API.md). */

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
  const body = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
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
  const how: Record<Termination, string> = {
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
    resignation: 'resignation',
    'draw-agreed': 'draw agreed',
    'threefold-repetition': 'threefold repetition',
    'out-of-time': 'out of time',
  };
  const who =
    game.winner === 'draw'
      ? 'Draw'
      : game.winner === 'abandoned'
        ? 'Abandoned'
        : `${game.winner === 'black' ? 'Black' : 'White'} won`;
  return `${who} (${how[game.termination] ?? game.termination})`;
}
