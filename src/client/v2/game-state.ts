import { BLACK, type Color, type Position, WHITE } from '../../game/position.js';
import type { Path } from '../../protocol/index.js';
import { printable } from '../printable.js';
import type { TurnClock } from '../turn-clock.js';
import { GameClocks } from './game-clocks.js';
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
  /** A Hint is on its way (one at a time). */
  hintAsked: boolean;
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
    hintAsked: false,
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
