import type { Clock } from '../clock.js';
import { Lobby, type LobbyEntry } from '../lobby.js';
import type { MatchmakingPolicy } from '../matchmaking.js';
import type { PlayerLink } from '../player-link.js';
import type { TimeControl } from './time-control.js';
import { timeControlName } from './time-control.js';

/** Two players paired in one time control's queue; `first` moves first (the lower rating). */
export interface StandardPairing<L extends PlayerLink> {
  readonly first: LobbyEntry<L>;
  readonly second: LobbyEntry<L>;
  readonly timeControl: TimeControl;
}

/**
 * The version-2 queues: one lobby per time control, so that only players of
 * the same rules (version 2, standard rules) and the same time control meet.
 * Version-1 players wait in the game service's own lobby, never here. Each
 * queue pairs as the version-1 lobby does (closest standard ratings first, a
 * window that widens with the wait) and tells its players their place.
 */
export class StandardQueues<L extends PlayerLink> {
  readonly #lobbies = new Map<string, { lobby: Lobby<L>; timeControl: TimeControl }>();
  readonly #queueOf = new Map<L, Lobby<L>>();

  constructor(
    private readonly clock: Clock,
    private readonly onPair: (pairing: StandardPairing<L>) => void,
    private readonly policy?: MatchmakingPolicy,
  ) {}

  /** How many wait, in all queues. */
  get size(): number {
    return this.#queueOf.size;
  }

  has(link: L): boolean {
    return this.#queueOf.has(link);
  }

  /** Queues `link` for `timeControl` (leaving any other queue first); answers QueuePosition at once. */
  join(link: L, rating: number, timeControl: TimeControl): void {
    this.leave(link);
    const lobby = this.#lobbyFor(timeControl);
    this.#queueOf.set(link, lobby);
    lobby.join(link, rating);
  }

  leave(link: L): boolean {
    const lobby = this.#queueOf.get(link);
    if (!lobby) return false;
    this.#queueOf.delete(link);
    return lobby.leave(link);
  }

  /** Pairs whoever it can in each queue (unless `pair` is false), then tells the rest where they stand. */
  tick({ pair = true }: { pair?: boolean } = {}): void {
    for (const { lobby } of this.#lobbies.values()) lobby.tick({ pair });
  }

  hasWaitingSince(before: number): boolean {
    for (const { lobby } of this.#lobbies.values()) if (lobby.hasWaitingSince(before)) return true;
    return false;
  }

  /** Removes and returns up to `max` players who waited since `before`, with their time control (for the house bot). */
  takeWaitingSince(before: number, max: number): Array<LobbyEntry<L> & { timeControl: TimeControl }> {
    const taken: Array<LobbyEntry<L> & { timeControl: TimeControl }> = [];
    for (const { lobby, timeControl } of this.#lobbies.values()) {
      for (const entry of lobby.takeWaitingSince(before, max - taken.length)) {
        this.#queueOf.delete(entry.link);
        taken.push({ ...entry, timeControl });
      }
    }
    return taken;
  }

  /** Up to `max` of those waiting in all queues, longest wait first, with their time control (GET /api/seeks). */
  longestWaiting(max: number): Array<LobbyEntry<L> & { timeControl: TimeControl }> {
    const all: Array<LobbyEntry<L> & { timeControl: TimeControl }> = [];
    for (const { lobby, timeControl } of this.#lobbies.values()) {
      let taken = 0;
      for (const entry of lobby.entries()) {
        if (taken++ >= max) break;
        all.push({ ...entry, timeControl });
      }
    }
    return all.sort((a, b) => a.since - b.since || a.key - b.key).slice(0, Math.max(0, max));
  }

  #lobbyFor(timeControl: TimeControl): Lobby<L> {
    const key = timeControlName(timeControl);
    let queue = this.#lobbies.get(key);
    if (!queue) {
      const lobby = new Lobby<L>(
        this.clock,
        (first, second) => {
          this.#queueOf.delete(first.link);
          this.#queueOf.delete(second.link);
          this.onPair({ first, second, timeControl });
        },
        this.policy,
      );
      queue = { lobby, timeControl };
      this.#lobbies.set(key, queue);
    }
    return queue.lobby;
  }
}
