import { other } from '../../game/position.js';
import type { MessageOfType } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { GamePlayer, LiveSeat } from '../domain/games.js';
import type { Seat } from './seat.js';
import type { StandardFinishedGame } from './standard-result.js';

/** How long a rematch offer waits for the opponent's Rematch. */
export const REMATCH_WINDOW_MS = 60_000;

export type RematchState = 'open' | 'offered' | 'agreed' | 'gone';

export interface RematchOutput {
  readonly outbox: ReadonlyArray<{
    readonly seat: Seat;
    readonly message: MessageOfType<'RematchOffered' | 'RematchGone'>;
  }>;
  /** Both asked: start the new game with the seats swapped (the old White moves first), same time control. */
  readonly agreed: boolean;
  /** Why the call did nothing; for logs. */
  readonly ignored?: string;
}

const NOTHING = (ignored: string): RematchOutput => ({ outbox: [], agreed: false, ignored });
const GONE: MessageOfType<'RematchGone'> = { type: 'RematchGone' };

/**
 * The rematch question after one finished version-2 game, pure on the
 * injected Clock. A Rematch from one seat offers (RematchOffered to the
 * other); a Rematch from the other within REMATCH_WINDOW_MS agrees. The
 * offer lapses after the window (RematchGone to both) or when either player
 * leaves the game end (RematchGone to the one still there); it is then off for
 * good, and a later Rematch is answered RematchGone. So the question is asked
 * at most once per game: nothing to spam.
 */
export class RematchOffer {
  #state: RematchState = 'open';
  #offeredBy: Seat | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    /** The offer lapsed: send this output. */
    private readonly onLapse: (output: RematchOutput) => void,
  ) {}

  get state(): RematchState {
    return this.#state;
  }

  /** A Rematch from `seat`. */
  ask(seat: Seat): RematchOutput {
    if (this.#state === 'gone') return { outbox: [{ seat, message: GONE }], agreed: false };
    if (this.#state === 'agreed') return NOTHING('the rematch is already agreed');
    if (this.#state === 'offered') {
      if (this.#offeredBy === seat) return NOTHING('your rematch offer is already pending');
      this.#close('agreed');
      return { outbox: [], agreed: true };
    }
    this.#state = 'offered';
    this.#offeredBy = seat;
    this.#cancelTimer = this.clock.after(REMATCH_WINDOW_MS, () => {
      this.#cancelTimer = undefined;
      if (this.#state !== 'offered') return;
      this.#close('gone');
      this.onLapse({
        outbox: [
          { seat: 0, message: GONE },
          { seat: 1, message: GONE },
        ],
        agreed: false,
      });
    });
    return { outbox: [{ seat: other(seat), message: { type: 'RematchOffered' } }], agreed: false };
  }

  /** `seat` left the game end (queued, logged out, its connection closed): the rematch is off. */
  leave(seat: Seat): RematchOutput {
    if (this.#state === 'gone' || this.#state === 'agreed') return NOTHING('the rematch question is closed');
    this.#close('gone');
    return { outbox: [{ seat: other(seat), message: GONE }], agreed: false };
  }

  /** Clears the timer (the owner drops this question). */
  dispose(): void {
    if (this.#state === 'open' || this.#state === 'offered') this.#close('gone');
  }

  #close(state: 'agreed' | 'gone'): void {
    this.#state = state;
    this.#offeredBy = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}

/** The seats of an agreed rematch: colours swapped, each player at the rating the finished game left them. */
export function rematchSeats(game: StandardFinishedGame): { readonly black: LiveSeat; readonly white: LiveSeat } {
  const seat = ({ accountId, name, after }: GamePlayer): LiveSeat => ({ accountId, name, rating: after });
  return { black: seat(game.white), white: seat(game.black) };
}
