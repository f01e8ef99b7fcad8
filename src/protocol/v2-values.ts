/**
 * Named values of version-2 fields (docs/PROTOCOL.md section 12): flags,
 * reasons, colours and the offered time controls.
 */

/** LoggedIn.flags bit 0: a game is in progress; GameStart2 follows. */
export const LOGGED_IN_GAME_IN_PROGRESS = 0b1;
/** YourMove/TheirMove.flags bit 0: the opponent offers a draw. */
export const MOVE_FLAG_DRAW_OFFERED = 0b1;

/** GameStart2.colour: the first player (Black) moves first. */
export const Colour2 = { First: 0, Second: 1 } as const;

/** IllegalMove.reason. */
export const IllegalMoveReason = {
  NotLegal: 0,
  CaptureCompulsory: 1,
  CaptureGoesOn: 2,
} as const;

/** GameOver2.result, from the receiver's side. */
export const GameResult2 = { Loss: 0, Win: 1, Draw: 2 } as const;

/** GameOver2.reason. */
export const GameOverReason = {
  NoMoves: 0,
  Resignation: 1,
  DrawAgreed: 2,
  FortyMoveRule: 3,
  ThreefoldRepetition: 4,
  OutOfTime: 5,
  OpponentGone: 6,
  OpponentLoggedOut: 7,
  AccountRemoved: 8,
  MoveClock: 9,
} as const;

/**
 * A Fischer time control in whole seconds (initial, and added after each
 * move); 0+0 is no clock. Declared once here: the server's domain, the API's
 * JSON and both clients take it from this module.
 */
export interface TimeControl {
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
}

/** The time controls a Seek may name; 0+0 is "no clock" (the server's move timeout applies). */
export const TIME_CONTROLS: readonly TimeControl[] = [
  { initialSeconds: 0, incrementSeconds: 0 },
  { initialSeconds: 180, incrementSeconds: 2 },
  { initialSeconds: 300, incrementSeconds: 3 },
  { initialSeconds: 600, incrementSeconds: 5 },
  { initialSeconds: 900, incrementSeconds: 10 },
];

export function isOfferedTimeControl(initialSeconds: number, incrementSeconds: number): boolean {
  return TIME_CONTROLS.some((t) => t.initialSeconds === initialSeconds && t.incrementSeconds === incrementSeconds);
}

/** "5+3" for 300 s + 3 s, "no clock" for 0+0. */
export function timeControlText(control: TimeControl): string {
  if (control.initialSeconds === 0 && control.incrementSeconds === 0) return 'no clock';
  return `${control.initialSeconds / 60}+${control.incrementSeconds}`;
}

/** Reads "5+3" or "none"/"0+0"; undefined if it is not one of TIME_CONTROLS. */
export function parseTimeControl(text: string): TimeControl | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'none' || trimmed === 'no clock') return TIME_CONTROLS[0];
  const match = /^(\d{1,2})\+(\d{1,2})$/.exec(trimmed);
  if (!match) return undefined;
  const initialSeconds = Number(match[1]) * 60;
  const incrementSeconds = Number(match[2]);
  return TIME_CONTROLS.find((t) => t.initialSeconds === initialSeconds && t.incrementSeconds === incrementSeconds);
}

/** What a GameOver2 reason tells a player. */
export function gameOverReasonText(reason: number): string {
  return GAME_OVER_REASONS[reason] ?? `reason ${reason}`;
}

const GAME_OVER_REASONS: Readonly<Record<number, string>> = {
  [GameOverReason.NoMoves]: 'no pieces or no legal move left',
  [GameOverReason.Resignation]: 'resignation',
  [GameOverReason.DrawAgreed]: 'draw agreed',
  [GameOverReason.FortyMoveRule]: 'forty-move rule',
  [GameOverReason.ThreefoldRepetition]: 'threefold repetition',
  [GameOverReason.OutOfTime]: 'out of time',
  [GameOverReason.OpponentGone]: 'the opponent did not come back',
  [GameOverReason.OpponentLoggedOut]: 'the opponent logged out',
  [GameOverReason.AccountRemoved]: 'account removed',
  [GameOverReason.MoveClock]: 'the move clock ran out',
};

/** What an IllegalMove reason tells a player. */
export function illegalMoveText(reason: number): string {
  switch (reason) {
    case IllegalMoveReason.NotLegal:
      return 'that is not a legal move here';
    case IllegalMoveReason.CaptureCompulsory:
      return 'a capture is compulsory';
    case IllegalMoveReason.CaptureGoesOn:
      return 'the capture can go on: give the whole path';
    default:
      return `reason ${reason}`;
  }
}

/** The computer's levels (PlayComputer): 1 the weakest, 10 the strongest. */
export const COMPUTER_LEVELS = { lowest: 1, highest: 10 } as const;

/** Why a PlayComputer cannot be played (a protocol error), or undefined when it can. */
export function playComputerProblem(request: {
  readonly level: number;
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
}): string | undefined {
  if (request.level < COMPUTER_LEVELS.lowest || request.level > COMPUTER_LEVELS.highest)
    return `computer level ${request.level} is not 1 to 10`;
  if (!isOfferedTimeControl(request.initialSeconds, request.incrementSeconds))
    return `unsupported time control ${request.initialSeconds}+${request.incrementSeconds} s`;
  return undefined;
}

/**
 * The colour field of PlayComputer, Challenge and CreateInvite (the colour
 * the sender will play) and of ChallengeOffered (the colour the receiver
 * would play). Random: the server draws it when the game starts.
 */
export const OfferColour = { Black: 0, White: 1, Random: 2 } as const;

/** The opening field: the standard start, or a three-move ballot drawn by the server (src/game/openings.ts). */
export const OpeningChoice = { Standard: 0, ThreeMove: 1 } as const;

/** ChallengeDeclined.reason, to the challenger. */
export const ChallengeDeclinedReason = {
  Declined: 0,
  /** No such player online, or only on a version-1 connection (which cannot be challenged). */
  NotOnline: 1,
  Busy: 2,
  NotAnswered: 3,
  /** Yourself, or rated with a guest on either side. */
  NotPossible: 4,
} as const;

/** InviteRefused.reason, to the one who tried to join. */
export const InviteRefusedReason = {
  Unknown: 0,
  MakerGone: 1,
  OwnInvite: 2,
  RatedNeedsAccount: 3,
} as const;

/** How long a challenge waits for its answer, and an invite for its guest (InviteCreated says the latter). */
export const CHALLENGE_SECONDS = 60;
export const INVITE_SECONDS = 600;

/**
 * What a ChallengeDeclined reason tells the challenger, as a sentence about
 * the challenged player `opponent`. Both clients show these words; each may
 * add its own hint on what to type or click.
 */
export function challengeDeclinedText(reason: number, opponent: string): string {
  switch (reason) {
    case ChallengeDeclinedReason.Declined:
      return `${opponent} declined your challenge.`;
    case ChallengeDeclinedReason.NotOnline:
      return `${opponent} is not online (or plays with an older client, which cannot be challenged).`;
    case ChallengeDeclinedReason.Busy:
      return `${opponent} is busy in a game: challenge them again after it.`;
    case ChallengeDeclinedReason.NotAnswered:
      return `${opponent} did not answer within ${CHALLENGE_SECONDS} s: the challenge expired.`;
    case ChallengeDeclinedReason.NotPossible:
      return `You cannot challenge ${opponent} that way: not yourself, and a rated game needs accounts on both sides.`;
    default:
      return `${opponent} cannot take your challenge (the server's reason ${reason}).`;
  }
}

/** What an InviteRefused reason tells the one who tried to join (by link, code or command); both clients show it. */
export function inviteRefusedText(reason: number): string {
  switch (reason) {
    case InviteRefusedReason.Unknown:
      return `That invite is unknown, already used or expired (an invite lasts ${INVITE_SECONDS / 60} minutes and serves one game): ask for a new one.`;
    case InviteRefusedReason.MakerGone:
      return 'Whoever made that invite is not online now, or has started another game: ask them for a new one.';
    case InviteRefusedReason.OwnInvite:
      return 'That is your own invite: send it to a friend, who opens it to play you.';
    case InviteRefusedReason.RatedNeedsAccount:
      return 'That invite is for a rated game: log in with an account to play it (guests play casual games only).';
    default:
      return `The server refused the invite (reason ${reason}).`;
  }
}

/**
 * Why a Challenge or CreateInvite cannot be made (a protocol error), or
 * undefined when it can. Colour and opening values are checked by the
 * decoder already; a guest's rated offer is the server's to refuse.
 */
export function offerProblem(request: {
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
}): string | undefined {
  if (!isOfferedTimeControl(request.initialSeconds, request.incrementSeconds))
    return `unsupported time control ${request.initialSeconds}+${request.incrementSeconds} s`;
  return undefined;
}
