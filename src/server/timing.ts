import { defaultsOf, type OptionTable } from './option-table.js';
import { DEFAULT_STORAGE_OUTAGE_LIMIT_MS } from './turn-batch.js';

/**
 * The server's game and storage timings, in milliseconds: the command line
 * converts its seconds once, at the edge, and the server, the game service and
 * each match read this one object. In every field 0 means "no limit" (the rule
 * never fires), except `reconnectGraceMs`, where 0 is no grace at all.
 */
export interface ServerTiming {
  /** A player who does not move within this time loses. */
  readonly moveTimeoutMs: number;
  /** How long a dropped player's game waits for them; 0 = a drop forfeits at once. */
  readonly reconnectGraceMs: number;
  /** A player alone in the queue this long plays the house bot (when it is set up). */
  readonly botAfterMs: number;
  /** How long storage may fail before games in progress are abandoned unrated. */
  readonly storageOutageLimitMs: number;
}

/** The timings as command-line options, in the table the command line is generated from. */
export const TIMING_OPTIONS: OptionTable<ServerTiming> = {
  moveTimeoutMs: {
    flag: '--move-timeout',
    unit: 'seconds',
    help: 'a player who does not move in time loses (0 = no limit)',
    default: 300_000,
  },
  reconnectGraceMs: {
    flag: '--reconnect-grace',
    unit: 'seconds',
    help: 'how long a game waits for a player whose connection dropped (0 = they forfeit at once)',
    // Covers our client's automatic reconnects (after 1, 2 and 4 s) with room for a person to restart it.
    default: 60_000,
  },
  botAfterMs: {
    flag: '--bot-after',
    unit: 'seconds',
    help: 'a player alone in the queue this long plays the house bot (0 = never)',
    // Off unless the operator asks for the bot (docs/engine.md: 30 suits a small server).
    default: 0,
  },
  storageOutageLimitMs: {
    flag: '--storage-outage-limit',
    unit: 'seconds',
    help: 'while the database cannot write, replies wait; after this long, games in progress are abandoned unrated (0 = never)',
    default: DEFAULT_STORAGE_OUTAGE_LIMIT_MS,
  },
};

export const DEFAULT_TIMING: ServerTiming = defaultsOf(TIMING_OPTIONS);
