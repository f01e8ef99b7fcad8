import { fromWireBoard } from '../common/wire.js';
import { SeenHistory } from '../game/engine/seen-history.js';
import type { Color } from '../game/position.js';
import type { Message, MoveByte } from '../protocol/index.js';
import { type BotThinker, InlineThinker } from './bot-thinker.js';
import type { Clock } from './clock.js';
import type { PlayerLink } from './player-link.js';

export const DEFAULT_BOT_NAME = 'checkers-bot';
/**
 * Bot games at once. The bot thinks in worker threads (--bot-threads), so
 * more games cost no player latency, only a slower bot: while its requests
 * queue, each move gets less of its level's time.
 */
export const DEFAULT_MAX_BOT_GAMES = 32;
/** Stored in place of a password hash: it is no hash at all, so no password ever matches it. */
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
  /** Worker threads for its engine (default defaultBotThreads()); 0 = think on the event loop, by nodes. */
  readonly threads?: number;
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
  /** Where its moves are searched (the server's BotPool); default: on the event loop, by nodes, with `random`. */
  readonly thinker?: BotThinker;
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
  readonly #thinker: BotThinker;
  /** The game's history rebuilt from the boards of its turns, so its search knows the 40-move count and repetitions. */
  readonly #seen = new SeenHistory();
  /** Cancels the turn under way: its pause and its search. */
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(private readonly options: HouseBotOptions) {
    this.accountId = options.accountId;
    this.name = options.name;
    this.#thinker = options.thinker ?? new InlineThinker(options.random);
  }

  /**
   * YourTurn starts the search and the pause together; the move is played
   * once both are over, so thinking hides inside the pause.
   */
  deliver(message: Message): void {
    if (this.#stopped) return;
    if (message.type === 'GameOver' || message.type === 'OpponentDisconnect') {
      this.stop();
      return;
    }
    if (message.type !== 'YourTurn' && message.type !== 'InvalidMove') return;
    this.#cancel?.();
    this.#cancel = undefined;
    const reading = fromWireBoard(message.board, this.options.color, this.options.color);
    if (!reading.ok) return;
    const [min, max] = this.options.pauseMs ?? [400, 1200];
    const pause = min + Math.floor((this.options.random ?? Math.random)() * (max - min));
    let paused = false;
    let answer: { readonly move: MoveByte | undefined } | undefined;
    const playWhenReady = () => {
      if (!paused || !answer || this.#stopped) return;
      this.#cancel = undefined;
      if (answer.move !== undefined) this.options.play(this, answer.move);
    };
    const cancelPause = this.options.clock.after(pause, () => {
      paused = true;
      playWhenReady();
    });
    const history = this.#seen.observe(reading.position);
    const request = { position: reading.position, level: this.options.level, history };
    const cancelThinking = this.#thinker.think(request, (move) => {
      answer = { move };
      playWhenReady();
    });
    this.#cancel = () => {
      cancelPause();
      cancelThinking();
    };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancel?.();
    this.options.stopped?.(this);
  }
}
