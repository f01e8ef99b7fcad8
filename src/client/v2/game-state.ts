import { BLACK, type Color, type Position, WHITE } from '../../game/position.js';
import type { Path } from '../../protocol/index.js';
import { printable } from '../printable.js';
import type { TurnClock } from '../turn-clock.js';
import { GameClocks } from './game-clocks.js';
import { pathText } from './game-text.js';
import { legalPathTexts } from './path-input.js';
import type { TimeControl } from './time-control.js';

/** One version-2 game as this player sees it. */
export interface Game2 {
  readonly opponent: string;
  readonly opponentRating: number;
  readonly color: Color;
  readonly timeControl: TimeControl;
  readonly rated: boolean;
  readonly clocks: GameClocks;
  position: Position | undefined;
  lastPath: Path | null;
  awaitingMyMove: boolean;
  /** The opponent's draw offer is pending. */
  drawOffered: boolean;
  /** We offered a draw and have not moved since (one offer per own move). */
  offeredSinceMyMove: boolean;
  /** Our MovePath is on its way: the server allows nothing else from us until it answers. */
  moveInFlight: boolean;
  /** The no-clock game's move clock (the server's --move-timeout), while it is our move. */
  moveClock: { clock: TurnClock; startedAt: number } | undefined;
  /** The positions (counted from the game's start) each Hint on its way was asked in, oldest first. */
  hintsAsked: number[];
  /** YourMove and TheirMove messages so far: which position a hint was for. */
  positions: number;
  /** The hints the server gave in this game, shown with the result. */
  hints: number;
}

/** The game a GameStart2 begins, before its first position arrives. */
export function newGame2(message: {
  readonly opponent: string;
  readonly opponentRating: number;
  readonly colour: number;
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
  readonly rated: boolean;
}): Game2 {
  const timeControl = { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds };
  return {
    opponent: printable(message.opponent),
    opponentRating: message.opponentRating,
    color: message.colour === 0 ? BLACK : WHITE,
    timeControl,
    rated: message.rated,
    clocks: new GameClocks(timeControl.initialSeconds > 0 || timeControl.incrementSeconds > 0),
    position: undefined,
    lastPath: null,
    awaitingMyMove: false,
    drawOffered: false,
    offeredSinceMyMove: false,
    moveInFlight: false,
    moveClock: undefined,
    hintsAsked: [],
    positions: 0,
    hints: 0,
  };
}

/** The clocks shown in the prompt: both clocks, or the no-clock game's move clock; empty between them. */
export function clockPrompt(game: Game2 | undefined, now: number): string {
  if (!game) return '';
  if (game.clocks.timed) return ` [${game.clocks.status(game.opponent, now)}]`;
  if (game.moveClock) return ` [${game.moveClock.clock.status((now - game.moveClock.startedAt) / 1000)}]`;
  return '';
}

/** Why a Hint cannot be asked now (the server allows one only on the player's move), or undefined. */
export function hintRefusal(game: Game2 | undefined): string | undefined {
  if (!game?.awaitingMyMove) return 'A hint is given on your move.';
  if (game.hintsAsked.includes(game.positions)) return 'Your hint is on its way.';
  return undefined;
}

/**
 * HintMove answers the oldest Hint on its way: the words for it, while the
 * position it was asked in is still the player's to move (then it counts);
 * undefined for a stale one.
 */
export function hintAnswer(game: Game2 | undefined, path: Path | null): string | undefined {
  const askedAt = game?.hintsAsked.shift();
  if (!game || askedAt === undefined) return undefined;
  if (!path) return 'No hint: hints are given in casual games against the computer only.';
  if (askedAt !== game.positions || !game.awaitingMyMove) return undefined;
  game.hints++;
  return `Hint: ${pathText(path)} (hint ${game.hints} in this game).`;
}

/** The answer to `moves`: the legal moves, on the player's turn. */
export function movesAnswer(game: Game2 | undefined): string {
  return game?.position && game.awaitingMyMove
    ? `Legal moves: ${legalPathTexts(game.position).join(' ')}`
    : 'It is not your turn.';
}

/** The answer to `clock`: both clocks, or what the server's move clock gives a no-clock game's move. */
export function clocksAnswer(game: Game2 | undefined, now: number, moveTimeoutSeconds: number): string {
  if (!game) return 'No game in progress.';
  return game.clocks.timed
    ? `Clocks: ${game.clocks.status(game.opponent, now)}`
    : `No clock in this game; the server's move clock gives each move ${moveTimeoutSeconds} s.`;
}
