import type { WireBoard } from '../../protocol/index.js';

/*
 * The version-2 server messages a game produces, by the names and fields of
 * the version-2 contract (docs/PROTOCOL.md). Structural stand-ins until the
 * protocol's message table derives them; a path is its squares 1-32 in order.
 */
export type WirePath = readonly number[];

interface BoardView {
  /** The move that led here; null before the first move. */
  readonly lastPath: WirePath | null;
  readonly board: WireBoard;
  readonly yourClockMs: number;
  readonly opponentClockMs: number;
  /** Bit 0: the opponent offers a draw. */
  readonly flags: number;
}

export type GameStart2 = {
  readonly type: 'GameStart2';
  readonly opponent: string;
  readonly opponentRating: number;
  /** 0 first player (Black, moves first), 1 second (White). */
  readonly colour: number;
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
  readonly rated: boolean;
  readonly gameId: number;
};
export type YourMove = { readonly type: 'YourMove' } & BoardView;
export type TheirMove = { readonly type: 'TheirMove' } & BoardView;
export type IllegalMove = { readonly type: 'IllegalMove'; readonly path: WirePath; readonly reason: number };
export type DrawOffered = { readonly type: 'DrawOffered' };
export type DrawDeclined = { readonly type: 'DrawDeclined' };
export type GameOver2 = {
  readonly type: 'GameOver2';
  /** 0 loss, 1 win, 2 draw. */
  readonly result: number;
  readonly reason: number;
  readonly newRating: number;
  readonly oldRating: number;
  readonly rated: boolean;
  readonly lastPath: WirePath | null;
  readonly board: WireBoard;
};
export type RematchOffered = { readonly type: 'RematchOffered' };
export type RematchGone = { readonly type: 'RematchGone' };

export type StandardGameMessage =
  | GameStart2
  | YourMove
  | TheirMove
  | IllegalMove
  | DrawOffered
  | DrawDeclined
  | GameOver2
  | RematchOffered
  | RematchGone;

/** YourMove / TheirMove flags. */
export const DRAW_OFFERED_FLAG = 1;

/** GameOver2 results, from the receiver's side. */
export const GameResultCode = { Loss: 0, Win: 1, Draw: 2 } as const;
