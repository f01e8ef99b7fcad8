import type { SeekList } from '../../../common/api-types.js';
import type { Clock } from '../../clock.js';
import type { TimeControl } from '../../play/time-control.js';
import type { ApiRoute } from '../http-types.js';
import { ok, PUBLIC_ANSWER_MS, rounded } from './answers.js';
import { timeControlJson } from './game-json.js';

/** The most seeks `GET /api/seeks` lists: a lobby shows a screenful, not the whole queue. */
export const MAX_SEEKS = 50;

/** A player waiting in a version-2 queue, as the queues hold them. */
export interface WaitingSeek {
  readonly link: { readonly name: string };
  readonly rating: number;
  readonly since: number;
  readonly timeControl: TimeControl;
}

/** What the seeks answer reads: the version-2 queues in memory (StandardQueues). */
export interface SeekSource {
  readonly size: number;
  longestWaiting(max: number): readonly WaitingSeek[];
}

/**
 * `GET /api/seeks`: the players waiting now in the version-2 queues, longest
 * wait first, read from memory (no store read). Version-1 players are not
 * listed: their queue has no time control.
 */
export function seeksRoute(source: SeekSource | undefined, clock: Clock): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/seeks',
    cacheMs: PUBLIC_ANSWER_MS,
    handle() {
      const now = clock.now();
      return ok<SeekList>({
        total: source?.size ?? 0,
        seeks: (source?.longestWaiting(MAX_SEEKS) ?? []).map((seek) => ({
          name: seek.link.name,
          rating: rounded(seek.rating),
          timeControl: timeControlJson(seek.timeControl),
          waitingSeconds: Math.max(0, Math.floor((now - seek.since) / 1000)),
        })),
      });
    },
  };
}
