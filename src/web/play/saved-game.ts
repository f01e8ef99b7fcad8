import type { Position } from '../../game/position.js';
import type { RecordEntry } from './move-record.js';
import type { KeyValueStore } from './resume-token.js';

/**
 * What a tab keeps of its current version-2 game across a reload
 * (sessionStorage): the move list and position, whether it is a game against
 * the computer, and the hints used. The server sends only the board on
 * return, so the moves played before come from here.
 */
export const STANDARD_GAME_KEY = 'checkers.game2';

export interface SavedGame {
  readonly gameId: number;
  readonly record: readonly RecordEntry[];
  readonly position: Position | undefined;
  readonly againstComputer: boolean;
  readonly hintsUsed: number;
}

export function saveGame(store: KeyValueStore, game: SavedGame): void {
  store.setItem(STANDARD_GAME_KEY, JSON.stringify(game));
}

/** The game this tab kept, or undefined when there is none or it is unreadable. */
export function savedGame(store: KeyValueStore): SavedGame | undefined {
  try {
    const value = JSON.parse(store.getItem(STANDARD_GAME_KEY) ?? 'null') as {
      gameId?: unknown;
      record?: unknown;
      position?: Partial<Record<keyof Position, unknown>>;
      againstComputer?: unknown;
      hintsUsed?: unknown;
    } | null;
    if (!value || typeof value.gameId !== 'number' || !Array.isArray(value.record)) return undefined;
    const p = value.position;
    const position: Position | undefined =
      p &&
      typeof p.black === 'number' &&
      typeof p.white === 'number' &&
      typeof p.kings === 'number' &&
      (p.turn === 0 || p.turn === 1)
        ? { black: p.black, white: p.white, kings: p.kings, turn: p.turn === 1 ? 1 : 0 }
        : undefined;
    const hintsUsed = typeof value.hintsUsed === 'number' && value.hintsUsed >= 0 ? Math.floor(value.hintsUsed) : 0;
    return {
      gameId: value.gameId,
      record: value.record as RecordEntry[],
      position,
      againstComputer: value.againstComputer === true,
      hintsUsed,
    };
  } catch {
    return undefined;
  }
}
