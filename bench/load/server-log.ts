import type { ProcessStatsLine } from '../../src/server/process-stats.js';
import type { Timed } from './timeline.js';
import type { ServerEvent } from './waits.js';

/** A `process stats` line of the server (CHECKERS_STATS_INTERVAL_MS), with when it was logged. */
export type ServerStats = ProcessStatsLine & Timed;

/** Ends of games that are not decided on the board: someone left, was closed or ran out of time. */
const BOARD_ENDS = new Set(['no-pieces', 'no-moves', 'forty-move-rule']);

/**
 * Reads the server's JSON log lines into what explains an honest player's
 * wait: closes and logouts by account name (the close lines name only the
 * session, so logins map sessions to names), forfeits, and the periodic
 * process stats. The session map holds only sessions still logged in.
 */
export class ServerLogReader {
  readonly #users = new Map<number, string>();

  read(entry: Record<string, unknown>): { events: ServerEvent[]; stats?: ServerStats } {
    const at = typeof entry.time === 'string' ? Date.parse(entry.time) : Number.NaN;
    if (!Number.isFinite(at)) return { events: [] };
    const session = typeof entry.session === 'number' ? entry.session : undefined;
    const user =
      typeof entry.user === 'string' ? entry.user : session === undefined ? undefined : this.#users.get(session);
    const about = (what: string) => ({ events: [{ at, what, ...(user === undefined ? {} : { user }) }] });
    switch (entry.msg) {
      case 'process stats':
        return { events: [], stats: { ...(entry as unknown as ProcessStatsLine), at } };
      case 'logged in':
        if (session !== undefined && user !== undefined) this.#users.set(session, user);
        return { events: [] };
      case 'logged out':
        if (session !== undefined) this.#users.delete(session);
        return about(`logged it out (${String(entry.reason)})`);
      case 'connection lost':
        if (session !== undefined) this.#users.delete(session);
        return about(`saw its connection end (${String(entry.reason)}; its game waits --reconnect-grace for it)`);
      case 'connection keeps exceeding its rate limits; closing':
        return about(`closed it after ${String(entry.throttledMs)} ms held back by the rate limits (--throttle-limit)`);
      case 'client does not read its messages; closing':
        return about(`closed it for not reading (${String(entry.pending)} bytes unsent, --max-output-kib)`);
      case 'protocol error':
        return about(`closed it for a protocol error (${String(entry.reason)})`);
      case 'connection taken over by a new login':
        return about('let a new login take its connection over');
      case 'game finished': {
        // Games decided on the board explain nothing; a forfeit or a timeout is told to both players.
        if (BOARD_ENDS.has(String(entry.termination))) return { events: [] };
        const what = `ended its game (${String(entry.termination)}, winner ${String(entry.winner)})`;
        return {
          events: [entry.black, entry.white]
            .filter((name): name is string => typeof name === 'string')
            .map((name) => ({ at, user: name, what })),
        };
      }
      default:
        return { events: [] };
    }
  }
}
