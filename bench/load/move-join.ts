/**
 * Move latency when the two players of a game live in different load
 * generator processes (bench:load --nodes): each process logs what it sent
 * and what it heard, on the machine's monotonic clock, and the parent joins
 * the logs. A move's latency ends at the first message it causes to either
 * player: the opponent's YourTurn (heard maybe in another process) or the
 * mover's own CompulsoryMove, GameOver or OpponentDisconnect (heard where the
 * move was sent).
 */

/** Milliseconds on CLOCK_MONOTONIC: the same clock in every process of this machine (performance.now() is not). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Moves one process sent, as columns (players by their index: player `c17` is 17). */
export interface MovesSent {
  readonly mover: ArrayLike<number>;
  readonly opponent: ArrayLike<number>;
  readonly at: ArrayLike<number>;
  /** When the mover heard the move's first consequence itself, or NaN if it heard none. */
  readonly settledAt: ArrayLike<number>;
}

/** YourTurn messages one process heard: caused by `mover`'s move, heard at `at`. */
export interface TurnsHeard {
  readonly mover: ArrayLike<number>;
  readonly at: ArrayLike<number>;
}

export interface JoinedMoves {
  /** Latency of every move that got a consequence, in ms. */
  readonly latencies: number[];
  /** The same, for games whose two players are on one node, and on two. */
  readonly sameNode: number[];
  readonly crossNode: number[];
  /** Moves no consequence was heard for (the run ended first, or a message was lost). */
  readonly unsettled: number;
}

/**
 * Joins the logs of all processes. Each YourTurn belongs to the latest move
 * its mover sent before it: a player sends its next move only after its
 * previous one had a consequence, so there is no other candidate. Player i
 * is on node `nodeOf(i)`.
 */
export function joinMoves(
  sent: readonly MovesSent[],
  heard: readonly TurnsHeard[],
  nodeOf: (player: number) => number,
): JoinedMoves {
  const mover: number[] = [];
  const opponent: number[] = [];
  const at: number[] = [];
  const settledAt: number[] = [];
  for (const log of sent) {
    for (let i = 0; i < log.mover.length; i++) {
      mover.push(log.mover[i] as number);
      opponent.push(log.opponent[i] as number);
      at.push(log.at[i] as number);
      settledAt.push(log.settledAt[i] as number);
    }
  }
  // Moves ordered by mover, then by time; each mover's run found by its first and last place.
  const order = Array.from({ length: mover.length }, (_, i) => i).sort(
    (a, b) => (mover[a] as number) - (mover[b] as number) || (at[a] as number) - (at[b] as number),
  );
  const runs = new Map<number, { first: number; end: number }>();
  for (let place = 0; place < order.length; place++) {
    const who = mover[order[place] as number] as number;
    const run = runs.get(who);
    if (run) run.end = place + 1;
    else runs.set(who, { first: place, end: place + 1 });
  }
  for (const log of heard) {
    for (let i = 0; i < log.mover.length; i++) {
      const run = runs.get(log.mover[i] as number);
      if (!run) continue;
      const when = log.at[i] as number;
      // The last place in the run whose move was sent at or before `when`.
      let low = run.first;
      let high = run.end;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((at[order[middle] as number] as number) <= when) low = middle + 1;
        else high = middle;
      }
      if (low === run.first) continue;
      const move = order[low - 1] as number;
      const settled = settledAt[move] as number;
      if (Number.isNaN(settled) || when < settled) settledAt[move] = when;
    }
  }
  const latencies: number[] = [];
  const sameNode: number[] = [];
  const crossNode: number[] = [];
  let unsettled = 0;
  for (let move = 0; move < mover.length; move++) {
    const settled = settledAt[move] as number;
    if (Number.isNaN(settled)) {
      unsettled++;
      continue;
    }
    const latency = settled - (at[move] as number);
    latencies.push(latency);
    const same = nodeOf(mover[move] as number) === nodeOf(opponent[move] as number);
    (same ? sameNode : crossNode).push(latency);
  }
  return { latencies, sameNode, crossNode, unsettled };
}

/** The index of a cluster bench player from its name (`c17` is 17), or -1. */
export function playerIndex(name: string): number {
  const match = /^c(\d+)$/.exec(name);
  return match ? Number(match[1]) : -1;
}

/** What a simulated player reports about its moves when the opponent may be in another process. */
export interface MoveRecorder {
  /** `mover` sent a MakeMove in a game against `opponent`. */
  moveSent(mover: string, opponent: string): void;
  /** `mover` heard its own move's first consequence (CompulsoryMove, GameOver, OpponentDisconnect). */
  settledLocally(mover: string): void;
  /** `hearer` heard a YourTurn that `mover`'s move caused (so `hearer`'s own last move was answered too). */
  turnHeard(mover: string, hearer: string): void;
}

/** One process's log of the measured window: moves sent from `start` to `stopSending`, what they caused until read. */
export class MoveLog implements MoveRecorder {
  #recording = false;
  #listening = false;
  readonly sent = { mover: [] as number[], opponent: [] as number[], at: [] as number[], settledAt: [] as number[] };
  readonly heard = { mover: [] as number[], at: [] as number[] };
  /** Each mover's move still waiting for a consequence heard here, by its place in `sent`. */
  readonly #pending = new Map<string, number>();

  constructor(private readonly clock: () => number = monotonicMs) {}

  moveSent(mover: string, opponent: string): void {
    if (!this.#recording) {
      this.#pending.delete(mover);
      return;
    }
    this.#pending.set(mover, this.sent.mover.length);
    this.sent.mover.push(playerIndex(mover));
    this.sent.opponent.push(playerIndex(opponent));
    this.sent.at.push(this.clock());
    this.sent.settledAt.push(Number.NaN);
  }

  settledLocally(mover: string): void {
    const place = this.#pending.get(mover);
    if (place === undefined) return;
    this.#pending.delete(mover);
    this.sent.settledAt[place] = this.clock();
  }

  turnHeard(mover: string, hearer: string): void {
    this.#pending.delete(hearer);
    if (!this.#listening) return;
    this.heard.mover.push(playerIndex(mover));
    this.heard.at.push(this.clock());
  }

  start(): void {
    this.#recording = true;
    this.#listening = true;
  }

  /** Stops logging new moves; consequences of the moves logged are still heard. */
  stopSending(): void {
    this.#recording = false;
  }
}
