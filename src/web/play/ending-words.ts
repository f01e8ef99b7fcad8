/**
 * How a version-2 game ended, in words for the result panel and the status
 * line (GameOver2's result and reason, docs/PROTOCOL.md), pure.
 */
export const GameResultCode = { Loss: 0, Win: 1, Draw: 2 } as const;

export const EndReasonCode = {
  NoMove: 0,
  Resignation: 1,
  DrawAgreed: 2,
  FortyMoves: 3,
  Repetition: 4,
  OutOfTime: 5,
  DidNotComeBack: 6,
  LoggedOut: 7,
  AccountRemoved: 8,
  MoveClock: 9,
} as const;

export type Outcome = 'won' | 'lost' | 'draw';

export function outcomeOf(result: number): Outcome {
  return result === GameResultCode.Win ? 'won' : result === GameResultCode.Draw ? 'draw' : 'lost';
}

/**
 * The sentence after "You won:" / "You lost:" / "Draw:", without a full stop.
 * `loserHasPieces` tells "no pieces left" from "no move left" for reason 0.
 */
export function endingSentence(outcome: Outcome, reason: number, opponent: string, loserHasPieces: boolean): string {
  const won = outcome === 'won';
  switch (reason) {
    case EndReasonCode.NoMove: {
      const what = loserHasPieces ? 'move' : 'pieces';
      return won ? `${opponent} has no ${what} left` : `you have no ${what} left`;
    }
    case EndReasonCode.Resignation:
      return won ? `${opponent} resigned` : 'you resigned';
    case EndReasonCode.DrawAgreed:
      return 'drawn by agreement';
    case EndReasonCode.FortyMoves:
      return 'forty moves each without a capture or a man moving';
    case EndReasonCode.Repetition:
      return 'the same position came up a third time';
    case EndReasonCode.OutOfTime:
      return won ? `${opponent} ran out of time` : 'you ran out of time';
    case EndReasonCode.DidNotComeBack:
      return won ? `${opponent} left and did not come back in time` : 'you did not come back in time';
    case EndReasonCode.LoggedOut:
      return won ? `${opponent} logged out` : 'you logged out';
    case EndReasonCode.AccountRemoved:
      return won ? `${opponent}'s account was removed` : 'the operator removed your account';
    case EndReasonCode.MoveClock:
      return won ? `${opponent}'s move clock ran out` : 'your move clock ran out';
    default:
      return `the game ended (reason ${reason})`;
  }
}
