import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MovesSent, TurnsHeard } from './move-join.js';

/**
 * The parent's side of bench:load --nodes's load generator processes: a
 * process holds at most about 20,000 descriptors, so the players are split
 * over several processes (bench/load/cluster-players.ts), each driven by
 * messages over the IPC channel, every wait bounded.
 */
const GENERATOR_MODULE = fileURLToPath(new URL('./cluster-players.js', import.meta.url));

/** Players one generator process holds by default (well under the 20,000 descriptors a process may open). */
export const PLAYERS_PER_GENERATOR = 15_000;
/** The most one generator may hold with --generators. */
export const MOST_PLAYERS_PER_GENERATOR = 19_000;

/** Players `first` to `end - 1` (named c<index>), player i connecting to node i % ports.length. */
export interface GeneratorSlice {
  readonly ports: readonly number[];
  readonly first: number;
  readonly end: number;
  readonly perAddress: number;
  readonly thinkMs: readonly [number, number];
  readonly password: string;
  readonly loginBatch: number;
}

export interface GeneratorReady {
  readonly type: 'ready';
  readonly loggedIn: number;
  readonly failed: number;
  readonly loginSeconds: number;
  /** The first login failure, to say why. */
  readonly firstFailure?: string;
}

export interface GeneratorResults {
  readonly type: 'results';
  readonly sent: MovesSent;
  readonly heard: TurnsHeard;
  readonly gamesFinished: number;
  readonly errors: number;
  readonly disconnects: number;
  /** This process's user + system CPU from `measure` to `end`, and the seconds between. */
  readonly cpuSeconds: number;
  readonly seconds: number;
}

export type ToGenerator =
  | { readonly type: 'start'; readonly slice: GeneratorSlice }
  | { readonly type: 'measure' }
  | { readonly type: 'end' }
  | { readonly type: 'collect' }
  | { readonly type: 'stop' };

export type FromGenerator = GeneratorReady | GeneratorResults | { readonly type: 'failed'; readonly message: string };

/** Players on the one node of phase 1: a node holding more than about 19,000 connections runs out of descriptors. */
export const ONE_NODE_PLAYERS = 18_000;
/** The most connections a node of phase 2 accepts, for the same reason. */
export const NODE_CONNECTIONS = 19_000;

export interface PhasePlan {
  readonly players: number;
  /** Each node's --max-connections. */
  readonly maxConnections: number;
  readonly generators: number;
}

/** How many players a phase on `nodes` nodes runs, what each node accepts, and in how many generator processes. */
export function phasePlan(players: number, nodes: number, generators?: number): PhasePlan {
  const playing = nodes === 1 ? Math.min(players, ONE_NODE_PLAYERS) : players;
  return {
    players: playing,
    maxConnections: nodes === 1 ? playing + 100 : Math.min(NODE_CONNECTIONS, Math.ceil(playing / nodes) + 500),
    generators: generators ?? Math.max(1, Math.ceil(playing / PLAYERS_PER_GENERATOR)),
  };
}

/** `players` split into `count` consecutive slices of nearly equal size. */
export function slices(players: number, count: number): Array<{ first: number; end: number }> {
  return Array.from({ length: count }, (_, g) => ({
    first: Math.floor((g * players) / count),
    end: Math.floor(((g + 1) * players) / count),
  }));
}

export class GeneratorProcess {
  readonly #child: ChildProcess;
  readonly #inbox: FromGenerator[] = [];
  #wake: (() => void) | undefined;
  #exited: string | undefined;

  private constructor(readonly slice: GeneratorSlice) {
    // 'advanced' serialization carries the logs' typed arrays as they are.
    this.#child = fork(GENERATOR_MODULE, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: FromGenerator) => {
      this.#inbox.push(message);
      this.#wake?.();
    });
    this.#child.once('exit', (code, signal) => {
      this.#exited = `exited with ${code ?? signal}`;
      this.#wake?.();
    });
    this.#child.on('error', (error) => {
      this.#exited = error.message;
      this.#wake?.();
    });
  }

  static start(slice: GeneratorSlice): GeneratorProcess {
    const generator = new GeneratorProcess(slice);
    generator.send({ type: 'start', slice });
    return generator;
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  send(message: ToGenerator): void {
    if (this.#exited === undefined && this.#child.connected) this.#child.send(message);
  }

  /** The next message of `type`; rejects after `timeoutMs`, or if the process fails or exits first. */
  async next<T extends FromGenerator['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromGenerator, { type: T }>> {
    const what = `load generator ${this.slice.first}-${this.slice.end - 1}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#inbox.shift();
      if (message?.type === 'failed') throw new Error(`${what} failed: ${message.message}`);
      if (message?.type === type) return message as Extract<FromGenerator, { type: T }>;
      if (message) continue;
      if (this.#exited !== undefined) throw new Error(`${what} ${this.#exited} before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} sent no "${type}" within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Asks the process to close its players and leave; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.#exited !== undefined) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
