import type { MoveSummary } from '../../client-core/game-view.js';
import { bitOfSquare } from '../../game/squares.js';
import { GameOverReason, GameResult2, type MessageOfType, type Path } from '../../protocol/index.js';

/* The words of a version-2 game for the terminal, pure: the result, moves, queue places. */

/** The result in words, and the rating change (forfeits included). */
export function describeGameOver2(message: MessageOfType<'GameOver2'>, opponent: string): string[] {
  const how = endingText(message.reason, message.result, opponent);
  const headline =
    message.result === GameResult2.Win
      ? `*** You won against ${opponent}: ${how}. ***`
      : message.result === GameResult2.Loss
        ? `*** You lost against ${opponent}: ${how}. ***`
        : `*** Draw with ${opponent}: ${how}. ***`;
  const change = message.newRating - message.oldRating;
  return [
    headline,
    message.rated
      ? `Rating ${message.oldRating} -> ${message.newRating} (${change >= 0 ? '+' : ''}${change}).`
      : `Unrated game: your rating stays ${message.newRating}.`,
  ];
}

function endingText(reason: number, result: number, opponent: string): string {
  const won = result === GameResult2.Win;
  switch (reason) {
    case GameOverReason.NoMoves:
      return won ? `${opponent} has no piece or no legal move left` : 'you have no piece or no legal move left';
    case GameOverReason.Resignation:
      return won ? `${opponent} resigned` : 'you resigned';
    case GameOverReason.OutOfTime:
      return won ? `${opponent} ran out of time` : 'you ran out of time';
    case GameOverReason.MoveClock:
      return won ? `${opponent}'s move clock ran out` : 'your move clock ran out';
    case GameOverReason.OpponentGone:
      return won ? `${opponent} did not come back (forfeit)` : 'you did not come back in time (forfeit)';
    case GameOverReason.OpponentLoggedOut:
      return won ? `${opponent} logged out (forfeit)` : 'you logged out (forfeit)';
    case GameOverReason.DrawAgreed:
      return 'agreed';
    case GameOverReason.FortyMoveRule:
      return 'forty moves each without a capture or a man moving';
    case GameOverReason.ThreefoldRepetition:
      return 'the same position for the third time';
    default:
      return `the server's reason ${reason}`;
  }
}

/** A player's rating as shown beside the name: a guest (named guest-…, rated 0) has none. */
export function ratingText(rating: number, name: string): string {
  return rating === 0 && name.toLowerCase().startsWith('guest-') ? 'guest' : String(rating);
}

export function pathText(path: Path): string {
  const [from, to] = path;
  // A step moves one diagonal: its squares' rows differ by one; a jump by two.
  const jump =
    path.length > 2 ||
    (from !== undefined && to !== undefined && Math.abs(Math.floor((from - 1) / 4) - Math.floor((to - 1) / 4)) === 2);
  return path.join(jump ? 'x' : '-');
}

export function lastMoveSummary(path: Path | null): MoveSummary | undefined {
  if (!path || path.length < 2) return undefined;
  return { from: bitOfSquare(path[0] ?? 0), to: bitOfSquare(path.at(-1) ?? 0), kind: 'step', by: 'opponent' };
}

export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
