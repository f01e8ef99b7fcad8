import type { Clock } from '../clock.js';
import type { PlayerLink } from '../player-link.js';
import type { TimeControl } from './time-control.js';

/** How long a rematch offer stands (docs/PROTOCOL.md, Rematch). */
export const REMATCH_OFFER_MS = 60_000;

interface GameEnd<L> {
  readonly black: L;
  readonly white: L;
  readonly timeControl: TimeControl;
  offeredBy: L | undefined;
  cancelExpiry: (() => void) | undefined;
}

/**
 * Rematches: after a game both players are at its end; when both send
 * Rematch, a new game starts with the colours swapped and the same time
 * control. The first Rematch is told to the opponent (RematchOffered); the
 * offer lapses after REMATCH_OFFER_MS. Either player leaving the game's end
 * (Seek, LogOut, a dropped connection) ends the chance, and whoever is still
 * there hears RematchGone, as does a Rematch sent when there is no chance.
 */
export class RematchDesk<L extends PlayerLink> {
  readonly #ends = new Map<L, GameEnd<L>>();

  constructor(
    private readonly clock: Clock,
    private readonly start: (black: L, white: L, timeControl: TimeControl) => void,
  ) {}

  /** Both players of a finished game are at its end, connected. */
  open(black: L, white: L, timeControl: TimeControl): void {
    this.leave(black);
    this.leave(white);
    const end: GameEnd<L> = { black, white, timeControl, offeredBy: undefined, cancelExpiry: undefined };
    this.#ends.set(black, end);
    this.#ends.set(white, end);
  }

  offer(link: L): void {
    const end = this.#ends.get(link);
    if (!end) {
      link.deliver({ type: 'RematchGone' });
      return;
    }
    if (end.offeredBy === link) return;
    if (end.offeredBy) {
      this.#close(end);
      // The colours swap: the last game's second player moves first.
      this.start(end.white, end.black, end.timeControl);
      return;
    }
    end.offeredBy = link;
    this.#opponent(end, link).deliver({ type: 'RematchOffered' });
    end.cancelExpiry = this.clock.after(REMATCH_OFFER_MS, () => {
      end.cancelExpiry = undefined;
      if (this.#ends.get(link) !== end) return;
      this.#close(end);
      end.black.deliver({ type: 'RematchGone' });
      end.white.deliver({ type: 'RematchGone' });
    });
  }

  /** `link` left the game's end: no rematch; the opponent, still there, is told. */
  leave(link: L): void {
    const end = this.#ends.get(link);
    if (!end) return;
    this.#close(end);
    this.#opponent(end, link).deliver({ type: 'RematchGone' });
  }

  /** Shutdown: every chance ends silently. */
  clear(): void {
    for (const end of new Set(this.#ends.values())) this.#close(end);
  }

  #opponent(end: GameEnd<L>, link: L): L {
    return end.black === link ? end.white : end.black;
  }

  #close(end: GameEnd<L>): void {
    end.cancelExpiry?.();
    end.cancelExpiry = undefined;
    if (this.#ends.get(end.black) === end) this.#ends.delete(end.black);
    if (this.#ends.get(end.white) === end) this.#ends.delete(end.white);
  }
}
