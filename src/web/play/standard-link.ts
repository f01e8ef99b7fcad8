import type { WireBoard } from '../../protocol/index.js';
import type { ChallengeOffer } from './friends.js';
import type { GameChoices } from './game-choices.js';
import type { TurnFacts } from './standard-game.js';
import type { TimeControl } from './time-controls.js';

/**
 * A version-2 connection as the session uses it: commands to send, and the
 * server's messages as events, already decoded and checked against the
 * version-2 state machine. The WebSocket implementation is
 * StandardConnection; tests may drive the session through a fake.
 */
export interface StandardLinkEvents {
  open(): void;
  /** Once, when the connection ends; `protocolError` when the server broke the protocol. */
  closed(reason: string, protocolError: boolean, serverReason?: string): void;
  loggedIn(login: { token: Uint8Array; rating: number; validSeconds: number; gameFollows: boolean }): void;
  invalidLogin(reason: number): void;
  invalidVersion(highest: number, lowest: number): void;
  queuePosition(queue: { size: number; position: number; rating: number }): void;
  gameStart(start: {
    opponent: string;
    opponentRating: number;
    color: 0 | 1;
    timeControl: TimeControl;
    rated: boolean;
    gameId: number;
  }): void;
  turn(turn: TurnFacts, mine: boolean): void;
  illegalMove(path: readonly number[], reason: number): void;
  drawOffered(): void;
  drawDeclined(): void;
  gameOver(end: {
    result: number;
    reason: number;
    newRating: number;
    oldRating: number;
    rated: boolean;
    lastPath: readonly number[] | null;
    board: WireBoard;
  }): void;
  rematchOffered(): void;
  rematchGone(): void;
  opponentAway(seconds: number): void;
  opponentBack(): void;
  /** Our PlayComputer was refused: every house-bot game is in use. */
  computerBusy(): void;
  /** Our Guest login was accepted, under a name the server made. */
  guestLoggedIn(login: { name: string; token: Uint8Array; validSeconds: number }): void;
  challengeOffered(offer: ChallengeOffer): void;
  challengeGone(id: number): void;
  challengeDeclined(reason: number): void;
  inviteCreated(invite: { code: Uint8Array; validSeconds: number }): void;
  inviteRefused(reason: number): void;
  /** The answer to Hint: squares 1-32 of the best move, or null when this game has no hints. */
  hintMove(path: readonly number[] | null): void;
}

export type StandardCommand =
  | 'Connect'
  | 'Resume'
  | 'Seek'
  | 'LeaveQueue'
  | 'MovePath'
  | 'Resign'
  | 'OfferDraw'
  | 'AnswerDraw'
  | 'Rematch'
  | 'PlayComputer'
  | 'Guest'
  | 'Challenge'
  | 'AnswerChallenge'
  | 'WithdrawOffer'
  | 'CreateInvite'
  | 'JoinInvite'
  | 'Hint'
  | 'LogOut';

export interface StandardLink {
  readonly ended: boolean;
  canSend(command: StandardCommand): boolean;
  connect(username: string, password: string): void;
  resume(username: string, token: Uint8Array): void;
  seek(control: TimeControl): void;
  leaveQueue(): void;
  /** Squares 1-32: the piece, then each landing. */
  movePath(squares: readonly number[]): void;
  resign(): void;
  offerDraw(): void;
  answerDraw(accept: boolean): void;
  rematch(): void;
  /** A game against the computer at `level` (1-10), in `control`, rated or casual. */
  playComputer(request: ComputerRequest): void;
  /** Log in as a guest (instead of Connect or Resume). */
  guest(): void;
  challenge(opponent: string, choices: GameChoices): void;
  answerChallenge(id: number, accept: boolean): void;
  /** Withdraws our open challenge or invite. */
  withdrawOffer(): void;
  createInvite(choices: GameChoices): void;
  joinInvite(code: Uint8Array): void;
  hint(): void;
  logout(): void;
  close(): void;
}

/** What the player chose for a game against the computer: the level (1-10) and the game's choices. */
export interface ComputerRequest extends GameChoices {
  readonly level: number;
}

export type StandardLinkFactory = (events: StandardLinkEvents) => StandardLink;
