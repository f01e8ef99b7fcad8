import { GameOverReason, GameResult2 } from '../protocol/index.js';

export interface StandardEnding {
  readonly outcome: 'won' | 'lost' | 'draw';
  /** Why, from this player's side: "jen resigned", "you ran out of time". */
  readonly how: string;
  readonly reason: number;
  readonly rated: boolean;
  readonly oldRating: number;
  readonly newRating: number;
  /** The whole line to show: "You won: jen resigned. Rating 1200 → 1216 (+16)." */
  readonly text: string;
}

export interface EndingFacts {
  readonly result: number;
  readonly reason: number;
  readonly rated: boolean;
  readonly oldRating: number;
  readonly newRating: number;
  readonly opponent: string;
  /** For reason 0: whether the loser had no piece left (else no legal move). */
  readonly loserHasNoPieces: boolean;
}

/** The result of a GameOver2 in words, for the side that received it; forfeits included. */
export function describeEnding(facts: EndingFacts): StandardEnding {
  const outcome = facts.result === GameResult2.Win ? 'won' : facts.result === GameResult2.Draw ? 'draw' : 'lost';
  const how = howItEnded(facts, outcome);
  const headline = outcome === 'won' ? 'You won' : outcome === 'lost' ? 'You lost' : 'Draw';
  return {
    outcome,
    how,
    reason: facts.reason,
    rated: facts.rated,
    oldRating: facts.oldRating,
    newRating: facts.newRating,
    text: `${headline}: ${how}. ${ratingText(facts)}`,
  };
}

/** "Rating 1200 → 1216 (+16)." or, for an unrated game, "Unrated game: your rating stays 1200." */
export function ratingText(facts: Pick<EndingFacts, 'rated' | 'oldRating' | 'newRating'>): string {
  if (!facts.rated) return `Unrated game: your rating stays ${facts.oldRating}.`;
  const change = facts.newRating - facts.oldRating;
  const signed = change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0';
  return `Rating ${facts.oldRating} → ${facts.newRating} (${signed}).`;
}

function howItEnded(facts: EndingFacts, outcome: 'won' | 'lost' | 'draw'): string {
  const they = facts.opponent;
  const won = outcome === 'won';
  switch (facts.reason) {
    case GameOverReason.NoMoves: {
      const what = facts.loserHasNoPieces ? 'no pieces left' : 'no legal move left';
      return won ? `${they} has ${what}` : `you have ${what}`;
    }
    case GameOverReason.Resignation:
      return won ? `${they} resigned` : 'you resigned';
    case GameOverReason.DrawAgreed:
      return 'draw agreed';
    case GameOverReason.FortyMoveRule:
      return '40 moves each without a capture or a man moving';
    case GameOverReason.ThreefoldRepetition:
      return 'the same position came up for the third time';
    case GameOverReason.OutOfTime:
      return won ? `${they} ran out of time` : 'you ran out of time';
    case GameOverReason.OpponentGone:
      return won ? `${they} did not come back` : 'you did not come back in time';
    case GameOverReason.OpponentLoggedOut:
      return won ? `${they} left the game` : 'you left the game';
    case GameOverReason.AccountRemoved:
      return won ? `${they}'s account was removed` : 'your account was removed';
    case GameOverReason.MoveClock:
      return won ? `${they}'s move clock ran out` : 'your move clock ran out';
    default:
      return `the server ended the game (reason ${facts.reason})`;
  }
}
