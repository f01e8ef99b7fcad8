import { fromWireBoard } from '../../common/wire.js';
import { SeenHistory } from '../../game/engine/seen-history.js';
import type { Color } from '../../game/position.js';
import { legalMoves } from '../../game/standard.js';
import type { AnyMessage } from '../../protocol/index.js';
import { type BotThinker, InlineThinker } from '../bot-thinker.js';
import type { Clock } from '../clock.js';
import type { Rating } from '../domain/rating.js';
import type { StandardLink } from './standard-play.js';

export interface StandardBotOptions {
  readonly accountId: number;
  readonly name: string;
  /** Its standard-rules rating (the seat's rating). */
  readonly rating: Rating;
  readonly level: number;
  readonly clock: Clock;
  /** Where its moves are searched (the server's BotPool); default: on the event loop, by nodes. */
  readonly thinker?: BotThinker;
  /** Plays the chosen path (the table checks it like anyone's). */
  readonly play: (bot: StandardBot, path: readonly number[]) => void;
  readonly random?: () => number;
  /** The pause before each move, drawn from [min, max] ms, so it plays at a person's pace. */
  readonly pauseMs?: readonly [number, number];
  /** Told when its game is over (or the server stops it). */
  readonly stopped?: (bot: StandardBot) => void;
}

/**
 * The house bot at a version-2 game: seated like a connection, it hears what
 * a client would and answers YourMove with a whole path (standard rules,
 * searched by the same engine and bot pool as version 1's bot) after a
 * person-like pause, thinking inside the pause. It never offers or accepts a
 * draw (an offer to it lapses when it moves) and never asks for a rematch.
 */
export class StandardBot implements StandardLink {
  readonly accountId: number;
  readonly name: string;
  rating: Rating;
  readonly #thinker: BotThinker;
  #color: Color | undefined;
  /** The game's history rebuilt from the boards of its turns: its search knows the 40-move count and repetitions. */
  readonly #seen = new SeenHistory();
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(private readonly options: StandardBotOptions) {
    this.accountId = options.accountId;
    this.name = options.name;
    this.rating = options.rating;
    this.#thinker = options.thinker ?? new InlineThinker(options.random);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  deliver(message: AnyMessage): void {
    if (this.#stopped) return;
    switch (message.type) {
      case 'GameStart2':
        this.#color = message.colour === 0 ? 0 : 1;
        return;
      case 'GameOver2':
        this.stop();
        return;
      case 'YourMove':
        this.#think(message.board);
        return;
      default:
        return;
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.options.stopped?.(this);
  }

  /** The search and the pause start together; the path is played once both are over. */
  #think(board: Parameters<typeof fromWireBoard>[0]): void {
    const color = this.#color;
    if (color === undefined) return;
    this.#cancel?.();
    const reading = fromWireBoard(board, color, color);
    if (!reading.ok) return;
    const { position } = reading;
    const [min, max] = this.options.pauseMs ?? [400, 1200];
    const pause = min + Math.floor((this.options.random ?? Math.random)() * (max - min));
    let paused = false;
    let answer: { readonly index: number | undefined } | undefined;
    const playWhenReady = () => {
      if (!paused || !answer || this.#stopped) return;
      this.#cancel = undefined;
      const move = answer.index === undefined ? undefined : legalMoves(position)[answer.index];
      if (move)
        this.options.play(
          this,
          [move.from, ...move.path].map((bit) => bit + 1),
        );
    };
    const cancelPause = this.options.clock.after(pause, () => {
      paused = true;
      playWhenReady();
    });
    const request = {
      position,
      level: this.options.level,
      rules: 'standard' as const,
      history: this.#seen.observe(position),
    };
    const cancelThinking = this.#thinker.think(request, (index) => {
      answer = { index };
      playWhenReady();
    });
    this.#cancel = () => {
      cancelPause();
      cancelThinking();
    };
  }
}
