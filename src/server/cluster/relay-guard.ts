import type { Envelope } from './envelope.js';
import { type Admission, AppliedSequences, RelaySession, SessionEpochs, streamOf } from './relay-order.js';

const UNNUMBERED: Admission = { admitted: true, previous: undefined };

/**
 * One node's bookkeeping of relayed messages' identities (relay-order.ts):
 * it opens the relay sessions of players here, and drops what arrives a
 * second time, whatever the transport resent. (What a referee sends is
 * numbered by its relay links.)
 */
export class RelayGuard {
  readonly #applied = new AppliedSequences();
  readonly #epochs = new SessionEpochs();

  /** `now`: wall-clock ms, so that a restarted node's sessions come after those of its previous process. */
  constructor(private readonly now: () => number) {}

  /** Dropped: an envelope at or before the last one applied on its stream. Unnumbered ones pass. */
  admit(envelope: Envelope): Admission {
    if (!('sequence' in envelope) || !envelope.sequence) return UNNUMBERED;
    const { sequence } = envelope;
    return this.#applied.admit(
      envelope.gameId,
      streamOf(sequence.direction, envelope.accountId, envelope.from),
      sequence,
    );
  }

  /** As the player's node: a new relay session of the player's game (a join, or a paired game's start). */
  openSession(): RelaySession {
    return new RelaySession(this.#epochs.next(this.now()));
  }

  /** The game ended here, or is refereed elsewhere now: what was applied of it goes. */
  forgetGame(gameId: number): void {
    this.#applied.forgetGame(gameId);
  }

  /** The player's node delivered the game's result: that player's streams of it go. */
  forgetPlayer(gameId: number, accountId: number): void {
    this.#applied.forgetPlayer(gameId, accountId);
  }
}
