import type { Timed, Timeline } from './timeline.js';

/** The message that ended an honest player's wait for its move's consequence. */
export type SettledBy = 'YourTurn' | 'CompulsoryMove' | 'GameOver' | 'OpponentDisconnect' | 'TheirMove';

/** One honest move and how long its player waited for the server's answer. */
export interface HonestWait {
  /** When the MakeMove was sent, in ms since the epoch. */
  readonly at: number;
  readonly waitedMs: number;
  readonly player: string;
  readonly opponent: string;
  /** False when the opponent is not one of the simulated players (an attacker's account). */
  readonly opponentSimulated: boolean;
  readonly settledBy: SettledBy;
  /** The phase of the run when the move was sent ("attack no-read", ...). */
  readonly phase: string;
  /** Bytes the load generator had not yet handed to the kernel on that socket when it sent the move. */
  readonly queuedBytes: number;
}

/** A server log line about one player or session (a close, a logout...), reduced to what explains a wait. */
export interface ServerEvent extends Timed {
  readonly user?: string;
  readonly what: string;
}

/** The event loop of one process over the `intervalMs` that ended at `at`. */
export interface LoopSample extends Timed {
  readonly intervalMs: number;
  readonly loopDelayMaxMs: number;
  /** Server only: the longest GC pause in the interval. */
  readonly gcMaxMs?: number;
  /** Linux: how long the main thread ran, and how long it waited for a CPU, in the interval. */
  readonly cpuMs?: number;
  readonly cpuWaitMs?: number;
}

export interface WaitEvidence {
  readonly serverEvents: Timeline<ServerEvent>;
  readonly serverLoop: Timeline<LoopSample>;
  readonly benchLoop: Timeline<LoopSample>;
}

/** A stall explains a wait when it covers at least this share of it, and lasts at least MIN_STALL_MS. */
const STALL_SHARE = 0.5;
const MIN_STALL_MS = 20;
/** A main thread busy or waiting for a CPU this share of the time has no idle time left: work queues. */
const SATURATED_SHARE = 0.9;
/** Similar waits that end this close together were ended by the same thing (one stall releases many moves). */
export const EPISODE_MS = 250;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The longest stall of the loop samples that overlap [from, to]. */
function worstStall(samples: Timeline<LoopSample>, from: number, to: number): LoopSample | undefined {
  let worst: LoopSample | undefined;
  // A sample covers (at - intervalMs, at]: it overlaps when at >= from and at - intervalMs <= to.
  for (const sample of samples.between(from, to + 60_000)) {
    if (sample.at - sample.intervalMs > to) break;
    if (!worst || sample.loopDelayMaxMs > worst.loopDelayMaxMs) worst = sample;
  }
  return worst;
}

/** How busy one process's main thread was over the samples that overlap [from, to], if the samples say. */
function busyness(
  samples: Timeline<LoopSample>,
  from: number,
  to: number,
): { ranShare: number; waitedShare: number } | undefined {
  let ran = 0;
  let waited = 0;
  let interval = 0;
  for (const sample of samples.between(from, to + 60_000)) {
    if (sample.at - sample.intervalMs > to) break;
    if (sample.cpuMs === undefined || sample.cpuWaitMs === undefined) return undefined;
    ran += sample.cpuMs;
    waited += sample.cpuWaitMs;
    interval += sample.intervalMs;
  }
  return interval > 0 ? { ranShare: ran / interval, waitedShare: waited / interval } : undefined;
}

function describeSaturation(who: 'server' | 'bench', busy: { ranShare: number; waitedShare: number }): string {
  const name = who === 'server' ? "the server's" : "the load generator's";
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return (
    `${name} main thread had no idle time (it ran ${percent(busy.ranShare)} of the time and waited for a CPU ` +
    `${percent(busy.waitedShare)}): moves queued behind each other, no single stall`
  );
}

/**
 * What a stall of one process's event loop was: a GC pause, the main thread
 * waiting for a CPU that other processes held, work, or (none of those) a
 * blocking system call.
 */
export function describeStall(who: 'server' | 'bench', sample: LoopSample): string {
  const stall = sample.loopDelayMaxMs;
  const gc = sample.gcMaxMs ?? 0;
  const name = who === 'server' ? "the server's" : "the load generator's own";
  const second = `${(sample.intervalMs / 1000).toFixed(0)} s`;
  const schedule =
    sample.cpuMs === undefined || sample.cpuWaitMs === undefined
      ? ''
      : `; in that ${second} its main thread ran ${sample.cpuMs} ms and waited ${sample.cpuWaitMs} ms for a CPU`;
  const gcNote = who === 'server' ? `, longest GC pause ${gc.toFixed(0)} ms` : '';
  let cause: string;
  if (gc >= STALL_SHARE * stall) cause = `a GC pause of ${gc.toFixed(0)} ms`;
  else if ((sample.cpuWaitMs ?? 0) >= STALL_SHARE * stall) cause = 'waiting for a CPU held by other processes';
  else if (
    sample.cpuMs !== undefined &&
    sample.cpuMs + (sample.cpuWaitMs ?? 0) < sample.intervalMs - STALL_SHARE * stall
  )
    cause = 'off the CPU without waiting for one: blocked in a system call (disk?)';
  else cause = 'busy running JavaScript or native code';
  return `${name} event loop was blocked for ${stall.toFixed(0)} ms, ${cause}${schedule}${gcNote}`;
}

/**
 * Says, as precisely as the evidence allows, why an honest move waited:
 * an opponent that is an attacker (the move was answered, to the attacker,
 * which never plays), a stall of the server's event loop (and whether a GC
 * pause was it), a stall of the load generator's own loop, or none of those.
 */
export function explainWait(wait: HonestWait, evidence: WaitEvidence): string {
  const end = wait.at + wait.waitedMs;
  const about = (user: string) =>
    evidence.serverEvents.between(wait.at - 1000, end + 1000).filter((event) => event.user === user);
  const after = (event: ServerEvent) => `${seconds(event.at - wait.at)} after the move`;
  if (!wait.opponentSimulated) {
    const ended = about(wait.opponent).find((event) => event.at >= wait.at);
    return (
      `the opponent ${wait.opponent} is an attacker's account: the server answered the move to it at once, ` +
      `and ${wait.player} heard nothing more until ${wait.settledBy}` +
      (ended ? `; the server ${ended.what} ${after(ended)}` : '')
    );
  }
  const causes: string[] = [];
  const server = worstStall(evidence.serverLoop, wait.at, end);
  const bench = worstStall(evidence.benchLoop, wait.at, end);
  const explains = (stall: LoopSample | undefined): stall is LoopSample =>
    stall !== undefined && stall.loopDelayMaxMs >= Math.max(MIN_STALL_MS, STALL_SHARE * wait.waitedMs);
  if (explains(server)) causes.push(describeStall('server', server));
  if (explains(bench)) causes.push(describeStall('bench', bench));
  for (const event of [...about(wait.player), ...about(wait.opponent)]) {
    causes.push(`the server ${event.what} (${event.user}) ${after(event)}`);
  }
  if (wait.queuedBytes > 0)
    causes.push(`${wait.queuedBytes} bytes were still queued in the load generator when it sent the move`);
  if (causes.length > 0) return causes.join('; ');
  for (const [who, samples] of [
    ['server', evidence.serverLoop],
    ['bench', evidence.benchLoop],
  ] as const) {
    const busy = busyness(samples, wait.at, end);
    if (busy && busy.ranShare + busy.waitedShare >= SATURATED_SHARE) causes.push(describeSaturation(who, busy));
  }
  if (causes.length > 0) return causes.join('; ');
  return (
    `no stall seen: server loop at most ${server?.loopDelayMaxMs.toFixed(0) ?? '?'} ms ` +
    `(GC ${server?.gcMaxMs?.toFixed(0) ?? '?'} ms), load generator loop at most ${bench?.loopDelayMaxMs.toFixed(0) ?? '?'} ms`
  );
}

interface Episode {
  wait: HonestWait;
  /** Other moves whose wait ended at about the same time (the same cause, most likely). */
  others: number;
  cause: string | undefined;
}

/**
 * The `count` longest honest waits, each explained once its evidence has
 * arrived. Waits that ended together are one episode, listed once with the
 * number of other moves it held up, so that one stall does not fill the list.
 */
export class WorstWaits {
  readonly #waits: Episode[] = [];

  constructor(readonly count: number) {}

  offer(wait: HonestWait): void {
    const waits = this.#waits;
    const end = wait.at + wait.waitedMs;
    // Moves answered at the same moment with a much shorter (or longer) wait were held up by something else.
    const same = waits.find(
      (entry) =>
        Math.abs(entry.wait.at + entry.wait.waitedMs - end) <= EPISODE_MS &&
        Math.min(entry.wait.waitedMs, wait.waitedMs) >= STALL_SHARE * Math.max(entry.wait.waitedMs, wait.waitedMs),
    );
    if (same) {
      same.others++;
      if (wait.waitedMs > same.wait.waitedMs && same.cause === undefined) {
        same.wait = wait;
        waits.sort((a, b) => b.wait.waitedMs - a.wait.waitedMs);
      }
      return;
    }
    if (waits.length >= this.count && (waits.at(-1)?.wait.waitedMs ?? 0) >= wait.waitedMs) return;
    const index = waits.findIndex((entry) => entry.wait.waitedMs < wait.waitedMs);
    waits.splice(index < 0 ? waits.length : index, 0, { wait, others: 0, cause: undefined });
    if (waits.length > this.count) waits.pop();
  }

  /** Explains the waits that ended before `settledBefore` (later ones may still lack their evidence). */
  explain(evidence: WaitEvidence, settledBefore: number): void {
    for (const entry of this.#waits) {
      if (entry.cause === undefined && entry.wait.at + entry.wait.waitedMs < settledBefore) {
        entry.cause = explainWait(entry.wait, evidence);
      }
    }
  }

  /** Longest first; a wait not yet explained says so. */
  list(): Array<HonestWait & { othersAtOnce: number; cause: string }> {
    return this.#waits.map(({ wait, others, cause }) => ({
      ...wait,
      othersAtOnce: others,
      cause: cause ?? 'not explained (the run ended first)',
    }));
  }
}
