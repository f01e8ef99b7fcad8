/**
 * Identities of relayed messages, so that a message the transport delivers
 * twice is applied once. Redis can hand a node the same envelope again:
 * ioredis resends a command whose reply a reset connection lost
 * (`autoResendUnfulfilledCommands`, so the XADD runs twice), and a reader
 * that reads its inbox again from the start after Redis lost its data sees
 * what it already handled. Pure: no I/O, no clock.
 *
 * Each game has two directions per relayed player, each its own sequence:
 * - referee to player (`msg`, `gone`, and `away` from the referee): the
 *   epoch is the referee's fencing token for the game, the position counts
 *   from 1 on that referee. A node taking the game over has a larger token,
 *   so its first message is after everything the previous referee sent,
 *   and a late message of the previous (fenced-off) referee is dropped.
 * - player to referee (`join`, `move`, `away` from the player's node): the
 *   epoch names a relay session, started when the player's node begins
 *   relaying the player's game (a join, or the GameStart of a paired game),
 *   from that node's clock in ms, made strictly larger than the node's last
 *   one; a join is position 0, the moves and the away that follow 1, 2...
 *   The referee compares sessions of one sending node only (the key holds
 *   the node), so clocks of different nodes never need to agree; a new
 *   referee starts with nothing remembered and accepts every session.
 *
 * A receiver keeps the last position it applied per game, direction,
 * player (and sending node, towards the referee), and drops anything at or
 * before it.
 */

/** Where a relayed message stands in its game's sequence for one direction. */
export interface RelaySequence {
  /** The referee's fencing token (to the player), or the relay session (to the referee). */
  readonly epoch: number;
  /** 1, 2, 3... within the epoch; 0 for the join that opens a relay session. */
  readonly position: number;
  readonly direction: RelayDirection;
}

export type RelayDirection = 'to-player' | 'to-referee';

/** True if `a` comes after `b` in one sequence. */
export function isAfter(a: RelaySequence, b: RelaySequence): boolean {
  return a.epoch > b.epoch || (a.epoch === b.epoch && a.position > b.position);
}

/** What a receiver does with a numbered message: drop it, or apply it (`previous`: the last applied before it). */
export type Admission =
  | { readonly admitted: false }
  | { readonly admitted: true; readonly previous: RelaySequence | undefined };

const DROPPED: Admission = { admitted: false };

/** Games remembered at most (the oldest are forgotten first), so that memory stays bounded. */
export const REMEMBERED_GAMES = 50_000;

/**
 * The last position applied, per game and stream (a direction, a player and,
 * towards the referee, the sending node). A game's streams are forgotten
 * when it ends here; past `maxGames` the game remembered longest goes.
 */
export class AppliedSequences {
  readonly #games = new Map<number, Map<string, RelaySequence>>();

  constructor(private readonly maxGames = REMEMBERED_GAMES) {}

  /** Admitted (and remembered) if the message comes after the last one applied on its stream, with that one. */
  admit(gameId: number, stream: string, sequence: RelaySequence): Admission {
    let streams = this.#games.get(gameId);
    const last = streams?.get(stream);
    if (last && !isAfter(sequence, last)) return DROPPED;
    if (!streams) {
      streams = new Map();
      this.#games.set(gameId, streams);
      if (this.#games.size > this.maxGames) {
        const oldest = this.#games.keys().next().value;
        if (oldest !== undefined) this.#games.delete(oldest);
      }
    }
    streams.set(stream, sequence);
    return { admitted: true, previous: last };
  }

  /** The game ended or left this node. */
  forgetGame(gameId: number): void {
    this.#games.delete(gameId);
  }

  /** One player's streams of the game (its result was delivered). */
  forgetPlayer(gameId: number, accountId: number): void {
    const streams = this.#games.get(gameId);
    if (!streams) return;
    for (const stream of streams.keys()) if (streamAccount(stream) === accountId) streams.delete(stream);
    if (streams.size === 0) this.#games.delete(gameId);
  }

  get gameCount(): number {
    return this.#games.size;
  }
}

/** The stream a message belongs to, as the receiver keys it. */
export function streamOf(direction: RelayDirection, accountId: number, fromNode: string | undefined): string {
  return direction === 'to-player' ? `${accountId}:p` : `${accountId}:r:${fromNode ?? ''}`;
}

function streamAccount(stream: string): number {
  return Number(stream.slice(0, stream.indexOf(':')));
}

/**
 * The referee's side: numbers the messages to one relayed player of a game,
 * under the referee's token. A player who rejoins through a new relay link
 * keeps the numbering of the previous link (same game, player and token),
 * so the count goes on.
 */
export class PlayerStreamNumbering {
  #position = 0;

  constructor(readonly fence: number) {}

  next(): RelaySequence {
    this.#position += 1;
    return { epoch: this.fence, position: this.#position, direction: 'to-player' };
  }
}

/**
 * The player's node's side: relay session epochs, from the node's clock in
 * ms but strictly increasing even if the clock stands still or steps back.
 */
export class SessionEpochs {
  #last = 0;

  next(nowMs: number): number {
    this.#last = Math.max(Math.floor(nowMs), this.#last + 1);
    return this.#last;
  }
}

/** One relay session of a player's game, on the player's node: numbers what it sends to the referee. */
export class RelaySession {
  #position = 0;
  #lastSent = NOTHING;

  constructor(readonly epoch: number) {}

  /** The join that opens the session. */
  opening(): RelaySequence {
    this.#lastSent = 0;
    return { epoch: this.epoch, position: 0, direction: 'to-referee' };
  }

  next(): RelaySequence {
    this.#position += 1;
    this.#lastSent = this.#position;
    return { epoch: this.epoch, position: this.#position, direction: 'to-referee' };
  }

  /** The position of the last envelope numbered, NOTHING if none. */
  get lastSent(): number {
    return this.#lastSent;
  }
}

/** No position: nothing sent, or nothing applied, in a session. */
export const NOTHING = -1;

/**
 * After Redis lost its data, a player's node and the referee compare notes
 * (`sync` and its answer `synced`, which follow everything sent before them
 * on each side): the relayed game goes on as it is if nothing was lost
 * either way, else the player rejoins from the stored game.
 */
export function nothingLost(notes: {
  /** The player's node: the last position it sent in its session before `sync`. */
  readonly sentBeforeSync: number;
  /** The referee: the last position of that session it had applied when `sync` arrived. */
  readonly receivedBeforeSync: number;
  /** The answer's own place in the stream to the player. */
  readonly synced: RelaySequence;
  /** The player's node: the last message from the referee it had applied before the answer. */
  readonly appliedBeforeSynced: RelaySequence | undefined;
}): boolean {
  const { sentBeforeSync, receivedBeforeSync, synced, appliedBeforeSynced } = notes;
  return (
    sentBeforeSync === receivedBeforeSync &&
    appliedBeforeSynced !== undefined &&
    appliedBeforeSynced.epoch === synced.epoch &&
    appliedBeforeSynced.position === synced.position - 1
  );
}
