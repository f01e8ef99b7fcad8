import type { AnyMessage, Message, ProtocolMachine } from '../protocol/index.js';
import { skippedOnResume } from './cluster/referee-lost.js';
import type { RelayedGame } from './cluster/resync.js';
import type { LiveSeat } from './domain/games.js';
import type { Rating } from './domain/rating.js';
import type { PlayerLink } from './player-link.js';
import type { Session } from './session.js';

/** An account logged in on a session. */
export class PlayerLogin implements PlayerLink {
  constructor(
    readonly session: Session,
    readonly accountId: number,
    readonly name: string,
    public rating: Rating,
  ) {}

  /** Cluster: the game this player plays on another node, which referees it; its messages are relayed. */
  remote: RelayedGame | undefined;
  /** Cluster: taking its seat again in a game taken over here, while already in it (referee-lost.ts). */
  resuming = false;
  /** The protocol version of the session; version 2 plays standard rules (play/standard-play.ts). */
  version: 1 | 2 = 1;
  /** Version 2: the resume token the session logged in with or was given (LogOut revokes it). */
  token: Uint8Array | undefined;
  /** A guest's login (play/guests.ts): casual games only, no rating on the wire. */
  guest = false;

  /** Its seat in a new version-1 match (Match.create), with the rating it has now. */
  matchSeat(): LiveSeat & { link: PlayerLink } {
    return { accountId: this.accountId, name: this.name, rating: this.rating, link: this };
  }

  deliver(message: AnyMessage): void {
    if (this.passes(message)) this.session.deliver(message);
  }

  /** False for a message this login skips: one a player taking its seat again after a takeover has heard already. */
  passes(message: AnyMessage): boolean {
    // Only version-1 sessions are relayed (a cluster does not offer version 2).
    return !(this.resuming && skippedOnResume(this.session.machine as ProtocolMachine<1>, message as Message));
  }
}
