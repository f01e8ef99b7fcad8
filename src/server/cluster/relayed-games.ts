import type { Logger } from 'pino';
import type { Match } from '../match.js';
import type { Cluster } from './index.js';
import { OWNER_UNKNOWN, refereeVerdict } from './referee-lost.js';
import type { RelaySession } from './relay-order.js';
import { type RelayedGame, resyncExpired } from './resync.js';

/** A login on this node, as the relayed-games check sees it. */
export interface RelayedLogin {
  readonly accountId: number;
  readonly name: string;
  remote: RelayedGame | undefined;
}

/** What the check needs of the game service. */
export interface RelayedSeats<L extends RelayedLogin> {
  readonly node: string;
  readonly cluster: Cluster;
  readonly log: Logger;
  logins(): Iterable<L>;
  openSession(): RelaySession;
  /** The game if this node referees it. */
  owned(gameId: number): Match | undefined;
  /** Takes these games over from the store; returns those the store has finished. */
  adopt(gameIds: readonly number[]): Promise<number[]>;
  /** The login's game is refereed here now: its seat is taken again, its connection kept. */
  resumeHere(login: L, match: Match): void;
  queue(login: L): void;
  /** The connection is closed, so that the client logs in again. */
  rejoinElsewhere(login: L): void;
}

/**
 * Once a tick, on a player's node: a relayed player whose referee's lease
 * expired (its node died) stays connected; this node takes the game over
 * from the store, or follows it to the node that did (referee-lost.ts). A
 * game found finished (its lease may go just before its GameOver arrives)
 * is left two more ticks for that message, then the player rejoins. A
 * player waiting for `synced` is left to that wait, bounded in time, then
 * joins the game again with its connection kept.
 */
export async function checkRelayedGames<L extends RelayedLogin>(seats: RelayedSeats<L>, now: number): Promise<void> {
  // No answer to `sync` (the referee died, or is cut off): the player joins again, still connected; a dead
  // referee's lease then runs out and the game is taken over below.
  for (const login of [...seats.logins()]) {
    if (login.remote && resyncExpired(login.remote, now)) followGame(seats, login, login.remote.owner);
  }
  const relayed = [...seats.logins()].filter((login) => login.remote && login.remote.syncUntil === undefined);
  if (relayed.length === 0) return;
  const remotes = relayed.map((login) => login.remote);
  // Redis unreachable: nothing is known, nobody is dropped.
  const owners = await seats.cluster.gameOwners(remotes.map((remote) => remote?.gameId ?? 0)).catch(() => undefined);
  if (!owners) return;
  const verdicts = remotes.map((remote, i) => remote && refereeVerdict(remote, owners[i], seats.node));
  const orphaned = new Set(
    remotes.flatMap((remote, i) => (remote && verdicts[i] === 'take-over' ? [remote.gameId] : [])),
  );
  const finished = orphaned.size > 0 ? await seats.adopt([...orphaned]) : [];
  relayed.forEach((login, i) => {
    const remote = remotes[i];
    if (!remote || login.remote !== remote) return;
    const here = seats.owned(remote.gameId);
    if (verdicts[i] === 'keep') remote.missing = 0;
    else if (here) seats.resumeHere(login, here);
    else if (verdicts[i] === 'follow') followGame(seats, login, owners[i] ?? '');
    else if (finished.includes(remote.gameId) && remote.owner === OWNER_UNKNOWN) {
      // A login that waited for a game which ended meanwhile: it queues as any login with no game.
      login.remote = undefined;
      seats.queue(login);
    } else if (finished.includes(remote.gameId) && ++remote.missing >= 2) {
      seats.log.warn({ user: login.name, game: remote.gameId }, 'cluster: relayed game over; player rejoins');
      seats.rejoinElsewhere(login);
    }
  });
}

/** The player joins its game where `owner` referees it (again, or after a takeover), its connection kept. */
function followGame<L extends RelayedLogin>(seats: RelayedSeats<L>, login: L, owner: string): void {
  const remote = login.remote;
  if (!remote) return;
  const relay = seats.openSession();
  login.remote = { gameId: remote.gameId, owner, missing: 0, relay, resumed: true };
  seats.log.info({ user: login.name, game: remote.gameId, node: owner }, 'cluster: player joins its game there');
  seats.cluster.send(owner, {
    type: 'join',
    gameId: remote.gameId,
    accountId: login.accountId,
    from: seats.node,
    sequence: relay.opening(),
  });
}
