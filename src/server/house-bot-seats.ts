import type { Logger } from 'pino';
import { BLACK, type Color, WHITE } from '../game/position.js';
import type { BotThinker } from './bot-thinker.js';
import type { Clock } from './clock.js';
import type { Account } from './domain/players.js';
import { HouseBot, type HouseBotSettings, levelForRating } from './house-bot.js';
import { Match, type MatchOptions, type MatchOutput } from './match.js';
import type { PlayerLogin } from './player-login.js';

/**
 * The house bot's settings with its account found (or created) and its
 * defaults resolved; `thinker` is where its moves are searched (the server's
 * BotPool, which the server owns and closes), else on the event loop.
 */
export type HouseBotSeatSettings = HouseBotSettings & {
  readonly accountId: number;
  readonly maxGames: number;
  readonly thinker?: BotThinker;
};

/** What the game service lends the version-1 house-bot seats. */
export interface HouseBotSeatsContext {
  /** The bot's pause before each move and where it thinks (HouseBotSeatSettings). */
  readonly settings: Pick<HouseBotSeatSettings, 'pauseMs' | 'thinker'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Routes what a bot's move produced, as for a player's. */
  route(match: Match, output: MatchOutput): void;
}

/**
 * The house bot's seats in version-1 games (version 2's are in
 * play/standard-play.ts): one HouseBot per game, its moves checked by the
 * match like anyone's, its level suited to the person's rating.
 */
export class HouseBotSeats {
  readonly #bots = new Set<HouseBot>();

  constructor(private readonly context: HouseBotSeatsContext) {}

  /** Version-1 games the bot is playing. */
  get count(): number {
    return this.#bots.size;
  }

  stopAll(): void {
    for (const bot of [...this.#bots]) bot.stop();
  }

  /** A game between a person who waited too long and the bot (its account read just now), not yet started. */
  pair(human: PlayerLogin, account: Account, matchId: number, options: MatchOptions): Match {
    // As between people: the lower rating moves first; on a tie, the player who waited.
    const humanIsBlack = human.rating.rating <= account.rating.rating;
    const seat = this.seat(account.id, account.name, humanIsBlack ? WHITE : BLACK, human.rating.rating);
    const botPlayer = { accountId: account.id, name: account.name, rating: account.rating, link: seat.bot };
    const match = Match.create(
      matchId,
      humanIsBlack ? human.matchSeat() : botPlayer,
      humanIsBlack ? botPlayer : human.matchSeat(),
      options,
    );
    seat.attach(match);
    this.context.log.info(
      { player: human.name, bot: account.name, botLevel: seat.level },
      'game against the house bot',
    );
    return match;
  }

  /** A house bot for one match (a new one, or one restored from storage, once `attach`ed). */
  seat(accountId: number, name: string, color: Color, opponentRating: number) {
    const { settings, clock, log } = this.context;
    let match: Match | undefined;
    const level = levelForRating(opponentRating);
    const bot = new HouseBot({
      accountId,
      name,
      level,
      color,
      clock,
      stopped: (self) => this.#bots.delete(self),
      ...(settings.pauseMs ? { pauseMs: settings.pauseMs } : {}),
      ...(settings.thinker ? { thinker: settings.thinker } : {}),
      play: (self, move) => {
        const result = match?.play(self, move);
        if (result?.ok) this.context.route(match as Match, result.output);
        else if (result) {
          log.error({ bot: name, move, problem: result.problem }, 'the house bot chose an illegal move');
        }
      },
    });
    this.#bots.add(bot);
    return {
      bot,
      level,
      attach(to: Match) {
        match = to;
      },
    };
  }
}
