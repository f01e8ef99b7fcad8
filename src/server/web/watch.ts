import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { fenOf } from '../../game/fen.js';
import { BLACK } from '../../game/position.js';
import type { GameEvents, GameListener } from '../game-events.js';
import { addressKey } from '../limits/address-key.js';
import type { FinishedGame, LiveGame } from '../store/store.js';
import type { HeldOutput } from '../turn-batch.js';
import type { WebSocketRoute } from './http-types.js';

export interface WatchLimits {
  readonly maxWatchersPerGame: number;
  /** Watchers from one address (an IPv4 address or an IPv6 /64), all games together. */
  readonly maxWatchersPerAddress: number;
  /** A watcher whose unsent frames exceed this is dropped (it does not read). */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_WATCH_LIMITS: WatchLimits = {
  maxWatchersPerGame: 200,
  maxWatchersPerAddress: 8,
  maxBufferedBytes: 256 * 1024,
};

/** The WebSocket close codes a watcher may see. */
export const WATCH_CLOSE = {
  gameOver: 1000,
  shutdown: 1001,
  /** The watcher sent something: the feed is read-only. */
  readOnly: 1008,
  storageDown: 1011,
  /** A watcher limit (per game or per address): try again later. */
  tooMany: 1013,
  noSuchGame: 4404,
} as const;

/** What a watcher receives, as JSON text frames (docs/API.md, "Watching a game"). */
export type WatchMessage =
  | {
      readonly type: 'game';
      readonly id: number;
      readonly black: { readonly name: string; readonly rating: number };
      readonly white: { readonly name: string; readonly rating: number };
      readonly moves: readonly string[];
      readonly fen: string;
      readonly turn: 'black' | 'white';
      readonly startedAt: string;
    }
  | {
      readonly type: 'moves';
      /** The turns played since the last message, in standard notation. */
      readonly moves: readonly string[];
      readonly plies: number;
      readonly fen: string;
      readonly turn: 'black' | 'white';
    }
  | {
      readonly type: 'over';
      readonly moves: readonly string[];
      readonly plies: number;
      readonly winner: FinishedGame['winner'];
      readonly termination: FinishedGame['termination'];
      readonly gameId: number;
    };

/** Where the watch feed learns of games and where it waits for commits. */
export interface WatchSource {
  readonly events: GameEvents;
  liveGame(id: number): LiveGame | undefined;
}

export interface CommitBarrier {
  hold(output: HeldOutput): void;
}

/** One watching WebSocket: its messages wait for the commit of what they tell, like a player's replies. */
class Watcher implements HeldOutput {
  readonly concernsGame = true;
  readonly #queue: string[] = [];
  #closeAfterFlush = false;
  /** Turns of the game already queued for this watcher. */
  plies: number;

  constructor(
    readonly socket: WebSocket,
    readonly gameId: number,
    readonly address: string,
    plies: number,
    private readonly maxBufferedBytes: number,
  ) {
    this.plies = plies;
  }

  queue(message: WatchMessage, thenClose = false): void {
    this.#queue.push(JSON.stringify(message));
    this.#closeAfterFlush ||= thenClose;
  }

  flushOutput(): void {
    for (const frame of this.#queue.splice(0)) {
      if (this.socket.readyState !== this.socket.OPEN) return;
      this.socket.send(frame);
    }
    if (this.socket.bufferedAmount > this.maxBufferedBytes) this.socket.terminate();
    else if (this.#closeAfterFlush) this.socket.close(WATCH_CLOSE.gameOver, 'game over');
  }

  abandonOutput(): void {
    this.#queue.length = 0;
    this.socket.close(WATCH_CLOSE.storageDown, 'storage is down; the game was abandoned');
  }
}

function turnOf(game: LiveGame): 'black' | 'white' {
  return game.position.turn === BLACK ? 'black' : 'white';
}

/**
 * The read-only feed of a game in progress, `/watch/:id`: on connect the
 * game so far, then each turn as it is played, then how it ended. Everything
 * goes out after the commit that stores it (TurnBatch), exactly when the
 * players' own replies do, so a watcher never learns a move before its
 * players could, nor one that storage never took.
 */
export class WatchHub implements GameListener {
  readonly #byGame = new Map<number, Set<Watcher>>();
  readonly #byAddress = new Map<string, number>();
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: WatchSource,
    private readonly barrier: CommitBarrier,
    private readonly log: Logger,
    private readonly limits: WatchLimits = DEFAULT_WATCH_LIMITS,
  ) {
    this.#unsubscribe = source.events.subscribe(this);
  }

  get watchers(): number {
    let count = 0;
    for (const set of this.#byGame.values()) count += set.size;
    return count;
  }

  readonly route: WebSocketRoute = {
    pattern: '/watch/:id',
    accept: (socket, params, _request: IncomingMessage, remoteAddress) => this.#accept(socket, params, remoteAddress),
  };

  #accept(socket: WebSocket, params: Readonly<Record<string, string>>, remoteAddress: string): void {
    const text = params.id ?? '';
    const game = /^[1-9]\d{0,14}$/.test(text) && this.#unsubscribe ? this.source.liveGame(Number(text)) : undefined;
    if (!game) {
      socket.close(WATCH_CLOSE.noSuchGame, 'no game in progress with that id');
      return;
    }
    const address = addressKey(remoteAddress);
    const fromAddress = this.#byAddress.get(address) ?? 0;
    const watching = this.#byGame.get(game.id) ?? new Set<Watcher>();
    if (fromAddress >= this.limits.maxWatchersPerAddress) {
      socket.close(WATCH_CLOSE.tooMany, 'too many watchers from your address');
      return;
    }
    if (watching.size >= this.limits.maxWatchersPerGame) {
      socket.close(WATCH_CLOSE.tooMany, 'too many watchers of this game');
      return;
    }
    const watcher = new Watcher(socket, game.id, address, game.moves.length, this.limits.maxBufferedBytes);
    watching.add(watcher);
    this.#byGame.set(game.id, watching);
    this.#byAddress.set(address, fromAddress + 1);
    socket.on('message', () => socket.close(WATCH_CLOSE.readOnly, 'the watch feed is read-only'));
    socket.on('error', (error) => this.log.debug({ address: remoteAddress, err: error.message }, 'watcher error'));
    socket.once('close', () => this.#forget(watcher));
    watcher.queue({
      type: 'game',
      id: game.id,
      black: { name: game.black.name, rating: Math.round(game.black.rating.rating) },
      white: { name: game.white.name, rating: Math.round(game.white.rating.rating) },
      moves: game.moves,
      fen: fenOf(game.position),
      turn: turnOf(game),
      startedAt: game.startedAt.toISOString(),
    });
    this.barrier.hold(watcher);
  }

  gameChanged(game: LiveGame): void {
    for (const watcher of this.#byGame.get(game.id) ?? []) {
      if (game.moves.length <= watcher.plies) continue;
      watcher.queue({
        type: 'moves',
        moves: game.moves.slice(watcher.plies),
        plies: game.moves.length,
        fen: fenOf(game.position),
        turn: turnOf(game),
      });
      watcher.plies = game.moves.length;
      this.barrier.hold(watcher);
    }
  }

  gameOver(gameId: number, game: FinishedGame): void {
    const watching = this.#byGame.get(gameId);
    if (!watching) return;
    for (const watcher of watching) {
      watcher.queue(
        {
          type: 'over',
          gameId,
          moves: game.moves.slice(watcher.plies),
          plies: game.moves.length,
          winner: game.winner,
          termination: game.termination,
        },
        true,
      );
      watcher.plies = game.moves.length;
      this.barrier.hold(watcher);
    }
  }

  /** Server shutdown: every watcher is closed (1001) and no new one is taken. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const watching of this.#byGame.values()) {
      for (const watcher of watching) watcher.socket.close(WATCH_CLOSE.shutdown, 'server shutting down');
    }
  }

  #forget(watcher: Watcher): void {
    const watching = this.#byGame.get(watcher.gameId);
    watching?.delete(watcher);
    if (watching?.size === 0) this.#byGame.delete(watcher.gameId);
    const count = (this.#byAddress.get(watcher.address) ?? 1) - 1;
    if (count > 0) this.#byAddress.set(watcher.address, count);
    else this.#byAddress.delete(watcher.address);
  }
}
