import type { FinishedGame, LiveGame } from './domain/games.js';

/** How a login ended: the protocol's answers, and the server's own refusals. */
export const LOGIN_OUTCOMES = [
  'ok',
  'rejoin',
  'no-such-account',
  'wrong-password',
  'already-logged-in',
  'house-bot',
  /** The account's budget of wrong passwords is spent (AccountGuesses): refused unchecked. */
  'account-guess-limit',
  'invalid-version',
  'storage-outage',
  /** Version 2: a Resume with a token unknown, expired, revoked or another account's. */
  'token-refused',
  /** Version 2: a Guest login on a server run with `--guests off`. */
  'guests-off',
] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/**
 * What the game service tells observers (metrics, the watch feed) as it
 * happens. Called synchronously, before the turn's commit: an observer that
 * passes any of it to a client must hold it until the commit, as sessions do
 * (TurnBatch.hold). Listeners must not throw.
 */
export interface GameListener {
  gameStarted?(game: LiveGame): void;
  /** A game started or a turn was played (forced jumps included): its whole state now. */
  gameChanged?(game: LiveGame): void;
  gameOver?(gameId: number, game: FinishedGame): void;
  login?(outcome: LoginOutcome): void;
  /** A move from a player was handled (legal or not), in this many ms of the event loop. */
  moveHandled?(ms: number, legal: boolean): void;
}

/** Passes every event to each listener subscribed. */
export class GameEvents implements Required<GameListener> {
  readonly #listeners = new Set<GameListener>();

  /** Returns a function that unsubscribes. */
  subscribe(listener: GameListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  gameStarted(game: LiveGame): void {
    for (const listener of this.#listeners) listener.gameStarted?.(game);
  }

  gameChanged(game: LiveGame): void {
    for (const listener of this.#listeners) listener.gameChanged?.(game);
  }

  gameOver(gameId: number, game: FinishedGame): void {
    for (const listener of this.#listeners) listener.gameOver?.(gameId, game);
  }

  login(outcome: LoginOutcome): void {
    for (const listener of this.#listeners) listener.login?.(outcome);
  }

  moveHandled(ms: number, legal: boolean): void {
    for (const listener of this.#listeners) listener.moveHandled?.(ms, legal);
  }
}
