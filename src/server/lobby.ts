import type { Clock } from './clock.js';
import { wireRating } from './domain/rating.js';
import { DEFAULT_MATCHMAKING, type MatchmakingPolicy, pairPlayers, type WaitingPlayer } from './matchmaking.js';
import type { PlayerLink } from './player-link.js';

export interface LobbyEntry<L extends PlayerLink = PlayerLink> extends WaitingPlayer {
  readonly link: L;
}

/**
 * Players waiting for a game. Joining answers QueuePosition at once; every
 * tick (once a second) pairs whoever it can, then tells everyone still
 * waiting where they stand.
 */
export class Lobby<L extends PlayerLink = PlayerLink> {
  readonly #waiting = new Map<L, LobbyEntry<L>>();
  #nextKey = 1;

  constructor(
    private readonly clock: Clock,
    private readonly onPair: (first: LobbyEntry<L>, second: LobbyEntry<L>) => void,
    private readonly policy: MatchmakingPolicy = DEFAULT_MATCHMAKING,
  ) {}

  get size(): number {
    return this.#waiting.size;
  }

  has(link: L): boolean {
    return this.#waiting.has(link);
  }

  join(link: L, rating: number): void {
    const entry: LobbyEntry<L> = {
      key: this.#nextKey++,
      accountId: link.accountId,
      rating,
      since: this.clock.now(),
      link,
    };
    this.#waiting.set(link, entry);
    link.deliver({
      type: 'QueuePosition',
      queueSize: this.#waiting.size,
      position: this.#waiting.size,
      rating: wireRating(rating),
    });
  }

  leave(link: L): boolean {
    return this.#waiting.delete(link);
  }

  /** Everyone waiting, in the order they joined (longest wait first). */
  entries(): IterableIterator<LobbyEntry<L>> {
    return this.#waiting.values();
  }

  /** True if anyone has waited since `before` or longer. */
  hasWaitingSince(before: number): boolean {
    for (const entry of this.#waiting.values()) if (entry.since <= before) return true;
    return false;
  }

  /** Removes and returns up to `max` of those who have waited since `before` or longer, longest first (for the house bot). */
  takeWaitingSince(before: number, max = Number.POSITIVE_INFINITY): LobbyEntry<L>[] {
    const lonely = [...this.#waiting.values()]
      .filter((entry) => entry.since <= before)
      .sort((a, b) => a.since - b.since)
      .slice(0, Math.max(0, max));
    for (const entry of lonely) this.#waiting.delete(entry.link);
    return lonely;
  }

  /** Pairs whoever it can (unless `pair` is false: no game may start now), then sends QueuePosition to the rest. */
  tick({ pair = true }: { pair?: boolean } = {}): void {
    const pairs = pair ? pairPlayers([...this.#waiting.values()], this.clock.now(), this.policy) : [];
    for (const { first, second } of pairs) {
      this.#waiting.delete(first.link);
      this.#waiting.delete(second.link);
      this.onPair(first, second);
    }
    let position = 0;
    for (const entry of this.#waiting.values()) {
      position++;
      entry.link.deliver({
        type: 'QueuePosition',
        queueSize: this.#waiting.size,
        position,
        rating: wireRating(entry.rating),
      });
    }
  }
}
