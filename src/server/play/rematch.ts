import type { Clock } from '../clock.js';
import type { PlayerLink } from '../player-link.js';
import { RematchOffer, type RematchOutput } from './rematch-offer.js';
import type { Seat } from './seat.js';
import type { TimeControl } from './time-control.js';

export { REMATCH_WINDOW_MS as REMATCH_OFFER_MS } from './rematch-offer.js';

interface GameEnd<L> {
  /** Black's first, as they sat in the finished game. */
  readonly links: readonly [L, L];
  readonly timeControl: TimeControl;
  readonly offer: RematchOffer;
}

/**
 * Rematches over connections: the referee's RematchOffer (play/rematch-offer.ts)
 * asks the question of one finished game by seats; this desk knows which
 * links sit at which game end, sends each output to them, and starts the
 * new game when both agree: colours swapped, same time control. Either
 * player leaving the game's end (Seek, LogOut, a dropped connection) closes
 * it; a Rematch with no game end to answer it hears RematchGone.
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
    const links = [black, white] as const;
    const offer = new RematchOffer(this.clock, (output) => {
      this.#close(end);
      this.#send(links, output);
    });
    const end: GameEnd<L> = { links, timeControl, offer };
    this.#ends.set(black, end);
    this.#ends.set(white, end);
  }

  offer(link: L): void {
    const end = this.#ends.get(link);
    if (!end) {
      link.deliver({ type: 'RematchGone' });
      return;
    }
    const output = end.offer.ask(this.#seatOf(end, link));
    this.#send(end.links, output);
    if (!output.agreed) return;
    this.#close(end);
    const [black, white] = end.links;
    // The colours swap: the last game's second player moves first.
    this.start(white, black, end.timeControl);
  }

  /** `link` left the game's end: no rematch; the opponent, still there, is told. */
  leave(link: L): void {
    const end = this.#ends.get(link);
    if (!end) return;
    this.#close(end);
    this.#send(end.links, end.offer.leave(this.#seatOf(end, link)));
  }

  /** Shutdown: every chance ends silently. */
  clear(): void {
    for (const end of new Set(this.#ends.values())) {
      end.offer.dispose();
      this.#close(end);
    }
  }

  #seatOf(end: GameEnd<L>, link: L): Seat {
    return end.links[0] === link ? 0 : 1;
  }

  #send(links: readonly [L, L], output: RematchOutput): void {
    for (const { seat, message } of output.outbox) links[seat].deliver(message);
  }

  #close(end: GameEnd<L>): void {
    for (const link of end.links) if (this.#ends.get(link) === end) this.#ends.delete(link);
  }
}
