import { fromWireBoard, moveByteOf } from '../common/wire.js';
import { EnginePlayer, levelSettings } from '../game/engine/levels.js';
import { V1_RULES, type V1Step } from '../game/engine/rules.js';
import type { Color } from '../game/position.js';
import { newV1Game, type V1Game } from '../game/v1.js';
import type { Message } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { PlayerLink } from './player-link.js';

export const DEFAULT_BOT_NAME = 'checkers-bot';
/**
 * Each bot move is up to 20,000 nodes (about 50 ms) of work on the event
 * loop, once per few seconds of a game; 32 games at once keep that near a
 * tenth of a core.
 */
export const DEFAULT_MAX_BOT_GAMES = 32;
/** Stored in place of a password hash: it is no scrypt hash, so no password ever matches it. */
export const NO_PASSWORD = '!house-bot: no login';

/**
 * Whether an account is the house bot's: the default bot name (reserved, in
 * any case) or any account holding the bot's marker instead of a password
 * (a bot created under another --bot-name). Nobody may log in as it or give it
 * a password.
 */
export function isHouseBotAccount(name: string, passwordHash?: string): boolean {
  return name.toLowerCase() === DEFAULT_BOT_NAME || passwordHash === NO_PASSWORD;
}

/**
 * The house bot as the operator sets it up, the one shape from the command
 * line to the game service. It plays only when ServerTiming.botAfterMs is above 0.
 */
export interface HouseBotSettings {
  /** Its account, created if missing with no password that can match. */
  readonly name: string;
  /** House-bot games at once (default DEFAULT_MAX_BOT_GAMES); more lonely players wait for a free bot or a person. */
  readonly maxGames?: number;
  /** The pause before each move, drawn from [min, max] ms, so it plays at a person's pace. */
  readonly pauseMs?: readonly [number, number];
}

/** The engine level that suits a rating: 600 or less plays level 1, 1500 and above level 10. */
export function levelForRating(rating: number): number {
  return Math.min(10, Math.max(1, Math.round((rating - 500) / 100)));
}

export interface HouseBotOptions {
  readonly accountId: number;
  readonly name: string;
  readonly level: number;
  readonly color: Color;
  readonly clock: Clock;
  /**
   * Thinking happens on the server's event loop, so it is bounded by nodes,
   * not by the level's time: about 50 ms of work per move at most.
   */
  readonly maxNodes?: number;
  /** Plays the chosen move (the match checks it like anyone's). */
  readonly play: (bot: HouseBot, move: number) => void;
  readonly random?: () => number;
  /** The pause before each move, drawn from [min, max] ms, so it plays at a person's pace. */
  readonly pauseMs?: readonly [number, number];
  /** Told when the bot's game is over (or the server stops it). */
  readonly stopped?: (bot: HouseBot) => void;
}

/**
 * The server's own player, seated in a match like a connection would be: it
 * receives the same messages a client would and answers YourTurn with a
 * move after a human-like pause, so on the wire its opponent sees an
 * ordinary opponent.
 */
export class HouseBot implements PlayerLink {
  readonly accountId: number;
  readonly name: string;
  readonly #engine: EnginePlayer<V1Game, V1Step>;
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(private readonly options: HouseBotOptions) {
    this.accountId = options.accountId;
    this.name = options.name;
    this.#engine = new EnginePlayer(V1_RULES, levelSettings(options.level), options.random);
  }

  deliver(message: Message): void {
    if (this.#stopped) return;
    if (message.type === 'GameOver' || message.type === 'OpponentDisconnect') {
      this.stop();
      return;
    }
    if (message.type !== 'YourTurn' && message.type !== 'InvalidMove') return;
    const board = message.board;
    const [min, max] = this.options.pauseMs ?? [400, 1200];
    const pause = min + Math.floor((this.options.random ?? Math.random)() * (max - min));
    this.#cancel?.();
    this.#cancel = this.options.clock.after(pause, () => {
      this.#cancel = undefined;
      if (this.#stopped) return;
      const reading = fromWireBoard(board, this.options.color, this.options.color);
      if (!reading.ok) return;
      const settings = levelSettings(this.options.level);
      const { move } = this.#engine.choose(newV1Game(reading.position), {
        maxDepth: settings.maxDepth,
        maxNodes: this.options.maxNodes ?? 20_000,
      });
      if (move) this.options.play(this, moveByteOf(move.from, move.direction));
    });
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancel?.();
    this.options.stopped?.(this);
  }
}
