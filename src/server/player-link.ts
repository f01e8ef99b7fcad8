import type { AnyMessage } from '../protocol/index.js';

/** What the lobby and a match need of a logged-in player's connection. */
export interface PlayerLink {
  readonly accountId: number;
  readonly name: string;
  /** Sends a message through the connection's state machine. */
  deliver(message: AnyMessage): void;
}
