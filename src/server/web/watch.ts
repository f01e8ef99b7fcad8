import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { WATCH_CLOSE, type WatchMessage } from '../../common/api-types.js';
import { fenOf } from '../../game/fen.js';
import type { FinishedGame, LiveGame } from '../domain/games.js';
import type { GameEvents, GameListener } from '../game-events.js';
import { addressKey } from '../limits/address-key.js';
import type { HeldOutput } from '../turn-batch.js';
import { gameIdOf } from './api/answers.js';
import { terminationJson, winnerJson } from './api/game-json.js';
import { livePlayer, sideToMove } from './api/live-json.js';
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
    const id = gameIdOf(params.id ?? '');
    const game = id !== undefined && this.#unsubscribe ? this.source.liveGame(id) : undefined;
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
      black: livePlayer(game.black),
      white: livePlayer(game.white),
      moves: game.moves,
      fen: fenOf(game.position),
      turn: sideToMove(game.position),
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
        turn: sideToMove(game.position),
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
          winner: winnerJson(game.winner),
          termination: terminationJson(game.termination),
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
