import type { WireBoard } from '../../protocol/index.js';
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
  logout(): void;
  close(): void;
}

export type StandardLinkFactory = (events: StandardLinkEvents) => StandardLink;
