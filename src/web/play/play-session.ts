import { type GameEnding, GameView, type MoveSummary } from '../../client-core/game-view.js';
import { explainIllegalStep } from '../../client-core/move-explanation.js';
import { moveByteOf, readMoveByte } from '../../common/wire.js';
import { BLACK, type Color, movePiece, other, type Position, piecesOf, WHITE } from '../../game/position.js';
import { JUMP, STEP, squareNumber } from '../../game/squares.js';
import type { Move } from '../../game/standard.js';
import { InvalidLoginReason, loginRefusalText, type MessageOfType, NO_MOVE } from '../../protocol/index.js';
import { appendPly, type Ply, type RecordEntry } from './move-record.js';
import { SocketConnection as Connection, type SocketFactory } from './socket-connection.js';

/**
 * The browser player's side of the game, without a screen: login, queue,
 * game and game over, and coming back to a game after a dropped connection or
 * a page reload. It turns the server's messages into snapshots the page
 * draws; the page calls its commands.
 */
export type Phase = 'login' | 'connecting' | 'lobby' | 'queue' | 'game' | 'over' | 'reconnecting';

export interface QueueInfo {
  readonly size: number;
  readonly position: number;
  readonly rating: number;
}

export interface GameInfo {
  readonly opponent: string;
  readonly opponentRating: number;
  readonly myRating: number;
  /** The colour this player plays, once a board from the server told it. */
  readonly color: Color | undefined;
  /** Until then, the colour expected: the lower rating moves first, at equal ratings the one who waited longer. */
  readonly expectedColor: Color;
  readonly position: Position | undefined;
  readonly myTurn: boolean;
  /** Legal steps while it is this player's turn (version 1: the server plays every capture). */
  readonly legal: readonly Move[];
  readonly record: readonly RecordEntry[];
  readonly lastPly: Ply | undefined;
}

export interface Ending {
  readonly outcome: 'won' | 'lost' | 'draw';
  /** How it ended, in words. */
  readonly how: string;
  readonly oldRating: number | undefined;
  readonly newRating: number | undefined;
}

export interface PlaySnapshot {
  readonly phase: Phase;
  readonly username: string | undefined;
  /** What went wrong, for the login form or the lobby. */
  readonly error: string | undefined;
  /** The status line: what happened and whose turn it is. */
  readonly status: string;
  readonly queue: QueueInfo | undefined;
  readonly game: GameInfo | undefined;
  readonly ending: Ending | undefined;
}

/** A ply to show, with the position after it. */
export interface ShownPly extends Ply {
  readonly after: Position;
  /** Played by this player in this page (the board already shows it). */
  readonly own: boolean;
}

/** Where the version-1 session keeps the credentials it logs in again with: the page's memory (main.ts), never the browser's storage. */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface PlaySessionOptions {
  readonly url: string;
  readonly createSocket: SocketFactory;
  readonly storage: SessionStore;
  readonly timers: Timers;
  /** How long to keep trying to come back to a game (the server's --reconnect-grace, 60 s by default). */
  readonly reconnectForMs?: number;
}

export const CREDENTIALS_KEY = 'checkers.credentials';
export const GAME_KEY = 'checkers.game';
const RECONNECT_FOR_MS = 60_000;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 5000;
/** Close-frame reasons after which coming back makes no sense (docs/PROTOCOL.md 9.7): said in words instead. */
const FINAL_CLOSES: ReadonlyArray<readonly [string, string]> = [
  ['takeover', 'This account logged in from another window or client, which took over. Log in here to play here.'],
  ['account-removed', 'The operator removed this account.'],
];

interface SavedGame {
  readonly opponent: string;
  readonly color: Color;
  readonly position: Position;
  readonly record: RecordEntry[];
}

type Listener = (snapshot: PlaySnapshot, plies: readonly ShownPly[]) => void;

/** Why a name or password cannot be sent, or undefined (version 1: 1-16 ASCII characters). */
export function credentialProblem(label: string, value: string): string | undefined {
  if (value.length === 0) return `enter a ${label.toLowerCase()}`;
  if (value.length > 16) return `the ${label.toLowerCase()} is longer than 16 characters`;
  if (!/^[\x20-\x7e]+$/.test(value))
    return `the ${label.toLowerCase()} may only hold plain ASCII letters, digits and signs`;
  return undefined;
}

/** The sentence the login form shows for an InvalidLogin reason. */
export function loginRefusalSentence(reason: number): string {
  switch (reason) {
    case InvalidLoginReason.NoSuchAccount:
      return 'There is no account with that name. Check the spelling, or ask the operator for an account.';
    case InvalidLoginReason.WrongPassword:
      return 'Wrong password. Check it and try again.';
    case InvalidLoginReason.AlreadyLoggedIn:
      return 'That account is already logged in elsewhere. Log out there first, or wait a minute and try again.';
    default:
      return `The server refused the login (${loginRefusalText(reason)}).`;
  }
}

export class PlaySession {
  #phase: Phase = 'login';
  #error: string | undefined;
  #status = 'Log in to play.';
  #queue: QueueInfo | undefined;
  #view: GameView | undefined;
  #record: RecordEntry[] = [];
  #lastPly: Ply | undefined;
  #ending: Ending | undefined;
  #expectedColor: Color = BLACK;
  #connection: Connection | undefined;
  #username: string | undefined;
  /** The login in flight was made by the session itself (page reload, dropped connection). */
  #automatic = false;
  #awaitingLogin = false;
  #pendingOwnStep = false;
  /** What the server played since this player's last move, for the status line. */
  #happened: string[] = [];
  #retryTimer: unknown;
  #retries = 0;
  #dropAt: number | undefined;
  #listeners: Listener[] = [];
  readonly #reconnectForMs: number;

  constructor(private readonly options: PlaySessionOptions) {
    this.#reconnectForMs = options.reconnectForMs ?? RECONNECT_FOR_MS;
  }

  /** Calls `listener` now and on every change; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.push(listener);
    listener(this.snapshot(), []);
    return () => {
      this.#listeners = this.#listeners.filter((kept) => kept !== listener);
    };
  }

  snapshot(): PlaySnapshot {
    const view = this.#view;
    const game: GameInfo | undefined = view && {
      opponent: view.opponent,
      opponentRating: view.opponentRating,
      myRating: view.myRating,
      color: view.color,
      expectedColor: view.color ?? this.#expectedColor,
      position: view.position,
      myTurn: view.awaitingMyMove && this.#phase === 'game',
      legal: this.#phase === 'game' ? view.legalMoves() : [],
      record: this.#record,
      lastPly: this.#lastPly,
    };
    return {
      phase: this.#phase,
      username: this.#username,
      error: this.#error,
      status: this.#status,
      queue: this.#queue,
      game,
      ending: this.#ending,
    };
  }

  /** Whether logging out now forfeits a game (the page asks first). */
  logoutForfeits(): boolean {
    return this.#phase === 'game' || this.#phase === 'reconnecting';
  }

  /** On page load: logs in again with the credentials this tab kept, if any. Returns whether it tries. */
  resume(): boolean {
    const saved = this.#savedCredentials();
    if (!saved) return false;
    this.#startLogin(saved.username, saved.password, true);
    return true;
  }

  login(username: string, password: string): void {
    const problem = credentialProblem('Username', username) ?? credentialProblem('Password', password);
    if (problem) {
      this.#error = `Cannot log in: ${problem}.`;
      this.#emit();
      return;
    }
    this.options.storage.removeItem(GAME_KEY);
    this.#startLogin(username, password, false);
  }

  /** Plays the step from `from` to `to` (bits); returns why not when it is not a legal step now. */
  moveStep(from: number, to: number): string | undefined {
    const view = this.#view;
    if (!view || this.#phase !== 'game' || !view.awaitingMyMove) return 'it is not your turn';
    const legal = view.legalMoves().find((move) => move.from === from && move.path[0] === to);
    if (!legal) {
      return view.position && view.color !== undefined
        ? explainIllegalStep(view.position, view.color, squareNumber(from), squareNumber(to))
        : `${squareNumber(from)}-${squareNumber(to)} is not a legal move here`;
    }
    const direction = ([0, 1, 2, 3] as const).find((d) => STEP[d]?.[from] === to);
    if (direction === undefined) return 'that is not a diagonal step';
    this.#sendStep(moveByteOf(from, direction), from, to);
    return undefined;
  }

  /** Plays a typed move such as "11-15"; returns why not when it cannot be played. */
  moveText(text: string): string | undefined {
    const view = this.#view;
    if (!view || this.#phase !== 'game') return 'there is no game in progress';
    const reading = view.readInput(text);
    if (!reading.ok) return reading.reason.replace('; type "moves" to list your moves', '');
    const [fromText, toText] = reading.text.split('-');
    this.#sendStep(reading.move, Number(fromText) - 1, Number(toText) - 1);
    return undefined;
  }

  leaveQueue(): void {
    if (this.#phase !== 'queue' || !this.#connection?.canSend('LogOut')) return;
    this.#connection.logout();
    this.#phase = 'lobby';
    this.#queue = undefined;
    this.#status = 'You left the queue.';
    this.#emit();
  }

  /** From the lobby or after a game: back into the queue. */
  playAgain(): void {
    this.#error = undefined;
    if (this.#phase === 'over' && this.#connection?.canSend('ReQueue')) {
      this.#connection.requeue();
      this.#clearGame();
      this.#phase = 'queue';
      this.#status = 'Looking for an opponent…';
      this.#emit();
      return;
    }
    const saved = this.#savedCredentials();
    if (!saved) {
      this.#toLogin('Log in again to play.');
      return;
    }
    this.#clearGame();
    if (this.#connection && !this.#connection.ended && this.#connection.canSend('Connect')) {
      this.#phase = 'connecting';
      this.#awaitingLogin = true;
      this.#automatic = false;
      this.#connection.login(saved.username, saved.password);
      this.#emit();
      return;
    }
    this.#startLogin(saved.username, saved.password, false);
  }

  logOut(): void {
    if (this.#connection?.canSend('LogOut')) this.#connection.logout();
    this.#dropConnection();
    this.#stopRetrying();
    this.options.storage.removeItem(CREDENTIALS_KEY);
    this.options.storage.removeItem(GAME_KEY);
    this.#clearGame();
    this.#queue = undefined;
    this.#username = undefined;
    this.#toLogin(undefined, 'You logged out.');
  }

  #startLogin(username: string, password: string, automatic: boolean): void {
    this.#stopRetrying();
    this.#dropConnection();
    this.#username = username;
    this.#automatic = automatic;
    this.#error = undefined;
    if (this.#phase !== 'reconnecting') this.#phase = 'connecting';
    this.#status = automatic ? 'Connecting to the server again…' : 'Logging in…';
    this.#awaitingLogin = true;
    const connection: Connection = new Connection(
      this.options.url,
      {
        open: () => connection.login(username, password),
        closed: (reason, protocolError, serverReason) => this.#closed(connection, reason, protocolError, serverReason),
        QueuePosition: (message) => this.#queuePosition(connection, message, username, password),
        InvalidLogin: (message) => this.#invalidLogin(connection, message.reason),
        InvalidVersion: () => this.#loginFailed(connection, 'The server does not speak version 1 of the protocol.'),
        GameStart: (message) => this.#gameStart(message),
        YourTurn: (message) => this.#yourTurn(message),
        CompulsoryMove: (message) => this.#compulsoryMove(message),
        InvalidMove: (message) => this.#invalidMove(message),
        GameOver: (message) => this.#gameOver(message),
        OpponentDisconnect: () => this.#opponentDisconnect(),
      },
      this.options.createSocket,
    );
    this.#connection = connection;
    this.#emit();
  }

  #queuePosition(connection: Connection, message: MessageOfType<'QueuePosition'>, user: string, password: string) {
    if (connection !== this.#connection) return;
    if (this.#awaitingLogin) {
      this.#awaitingLogin = false;
      this.options.storage.setItem(CREDENTIALS_KEY, JSON.stringify({ username: user, password }));
      this.#retries = 0;
      this.#dropAt = undefined;
    } else {
      // A game to resume starts right after the login's answer; past that, any kept game is over.
      this.#automatic = false;
      this.options.storage.removeItem(GAME_KEY);
    }
    const resumed = this.#phase === 'reconnecting' && this.#view !== undefined;
    if (this.#phase === 'reconnecting') this.#clearGame();
    this.#queue = { size: message.queueSize, position: message.position, rating: message.rating };
    this.#phase = 'queue';
    this.#status = resumed
      ? 'Back online. Your game had ended while you were away; you are in the queue again.'
      : `Waiting for an opponent: you are number ${message.position} of ${message.queueSize} in the queue.`;
    this.#emit();
  }

  #invalidLogin(connection: Connection, reason: number): void {
    if (connection !== this.#connection) return;
    if (reason === InvalidLoginReason.AlreadyLoggedIn && this.#automatic && this.#withinReconnectWindow()) {
      // After a reload the server may not yet have seen the old page's connection close.
      this.#dropConnection();
      this.#scheduleRetry();
      return;
    }
    if (reason !== InvalidLoginReason.AlreadyLoggedIn) this.options.storage.removeItem(CREDENTIALS_KEY);
    this.#loginFailed(connection, loginRefusalSentence(reason));
  }

  #loginFailed(connection: Connection, sentence: string): void {
    if (connection !== this.#connection) return;
    this.#dropConnection();
    this.#stopRetrying();
    this.#clearGame();
    this.#toLogin(sentence);
  }

  #gameStart(message: MessageOfType<'GameStart'>): void {
    const view = new GameView(message.opponent, message.opponentRating, this.#queue?.rating ?? 0);
    const saved = this.#automatic ? this.#savedGame() : undefined;
    this.#record = [];
    this.#lastPly = undefined;
    this.#happened = [];
    if (saved && saved.opponent === message.opponent) {
      view.color = saved.color;
      view.position = saved.position;
      this.#record = saved.record;
    }
    this.#view = view;
    this.#ending = undefined;
    this.#phase = 'game';
    this.#automatic = false;
    const byRating = view.expectedFirstMover();
    // At equal ratings the player who waited longer moves first: the one who was first in the queue.
    const first = byRating ?? (this.#queue?.position === 1 ? 'me' : 'opponent');
    this.#expectedColor = first === 'me' ? BLACK : WHITE;
    this.#status = saved
      ? `Back in your game against ${view.opponent}.`
      : `Game against ${view.opponent} (rating ${view.opponentRating}) starts.` +
        (first === 'opponent' ? ` ${view.opponent} moves first.` : ' You move first.');
    this.#emit();
  }

  #yourTurn(message: MessageOfType<'YourTurn'>): void {
    const view = this.#view;
    if (!view) return;
    const before = view.position;
    view.onYourTurn(message);
    const plies: ShownPly[] = [];
    const changed = !before || !view.position || !samePosition(before, view.position);
    if (message.lastMove !== NO_MOVE && changed && view.lastMove && view.position) {
      plies.push(this.#shown(view.lastMove, view.position, false));
    }
    this.#pendingOwnStep = false;
    this.#happened.push(...plies.map((ply) => this.#describe(ply)));
    const said = this.#happened.join(' ');
    this.#happened = [];
    this.#status = `${said ? `${said} ` : ''}Your move (you play ${view.colorName()}).`;
    this.#saveGame();
    this.#emit(plies);
  }

  #compulsoryMove(message: MessageOfType<'CompulsoryMove'>): void {
    const view = this.#view;
    if (!view) return;
    const before = view.position;
    const summaries = view.onForcedMove(message);
    const plies: ShownPly[] = [];
    for (const summary of summaries) {
      if (summary.kind === 'step' && before && view.color !== undefined) {
        const color = summary.by === 'me' ? view.color : other(view.color);
        plies.push(this.#shown(summary, movePiece(before, color, summary.from, summary.to, 0), false));
      } else if (view.position) {
        plies.push(this.#shown(summary, view.position, false));
      }
    }
    this.#pendingOwnStep = false;
    const next = plies.at(-1)?.color === view.color ? `${view.opponent}'s turn.` : 'Your turn comes next.';
    this.#happened.push(...plies.map((ply) => this.#describe(ply)));
    this.#status = `${this.#happened.join(' ')} ${next}`;
    this.#saveGame();
    this.#emit(plies);
  }

  #invalidMove(message: MessageOfType<'InvalidMove'>): void {
    const view = this.#view;
    if (!view) return;
    view.onInvalidMove(message);
    if (this.#pendingOwnStep) this.#record = this.#record.slice(0, -1);
    this.#pendingOwnStep = false;
    this.#status = 'The server refused that move; it is still your move.';
    this.#emit();
  }

  #gameOver(message: MessageOfType<'GameOver'>): void {
    const view = this.#view;
    if (!view) return;
    const before = view.position;
    const ending: GameEnding = view.onGameOver(message);
    const plies: ShownPly[] = [];
    const changed = !before || !view.position || !samePosition(before, view.position);
    if (message.lastMove !== NO_MOVE && changed && view.position) {
      const summary = summaryOnBoard(view.position, view.color ?? 0, message.lastMove);
      if (summary) plies.push(this.#shown(summary, view.position, false));
    }
    this.#ending = { ...ending, how: capitalize(ending.how) };
    this.#finishGame(`${this.#endingHeadline(this.#ending)} ${ending.how}.`);
    this.#emit(plies);
  }

  #opponentDisconnect(): void {
    const view = this.#view;
    if (!view) return;
    this.#ending = {
      outcome: 'won',
      how: `${view.opponent} left the game`,
      oldRating: undefined,
      newRating: undefined,
    };
    this.#finishGame(`You won: ${view.opponent} left the game.`);
    this.#emit();
  }

  #finishGame(status: string): void {
    this.#phase = 'over';
    this.#status = status;
    this.#pendingOwnStep = false;
    this.options.storage.removeItem(GAME_KEY);
  }

  #endingHeadline(ending: Ending): string {
    return ending.outcome === 'won' ? 'You won:' : ending.outcome === 'lost' ? 'You lost:' : 'Draw:';
  }

  #sendStep(move: number, from: number, to: number): void {
    const view = this.#view;
    const connection = this.#connection;
    if (!view || !connection?.canSend('MakeMove') || view.color === undefined) return;
    connection.move(move);
    view.onMoveSent(move);
    this.#pendingOwnStep = true;
    this.#happened = [];
    const ply: Ply = { from, to, kind: 'step', color: view.color };
    this.#record = appendPly(this.#record, ply);
    this.#lastPly = ply;
    this.#status = `You moved ${squareNumber(from)}-${squareNumber(to)}. ${view.opponent}'s turn.`;
    this.#saveGame();
    this.#emit(view.position ? [{ ...ply, after: view.position, own: true }] : []);
  }

  #shown(summary: MoveSummary, after: Position, own: boolean): ShownPly {
    const view = this.#view;
    const mine = view?.color ?? 0;
    const ply: Ply = {
      from: summary.from,
      to: summary.to,
      kind: summary.kind,
      color: summary.by === 'me' ? mine : other(mine),
    };
    this.#record = appendPly(this.#record, ply);
    this.#lastPly = ply;
    return { ...ply, after, own };
  }

  #describe(ply: Ply): string {
    const mine = this.#view?.color;
    const text = `${squareNumber(ply.from)}${ply.kind === 'jump' ? 'x' : '-'}${squareNumber(ply.to)}`;
    if (ply.kind === 'jump') {
      return ply.color === mine
        ? `The server jumped for you: ${text}.`
        : `The server jumped for ${this.#view?.opponent}: ${text}.`;
    }
    return ply.color === mine ? `You moved ${text}.` : `${this.#view?.opponent} moved ${text}.`;
  }

  #closed(connection: Connection, reason: string, protocolError: boolean, serverReason = ''): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    const saved = this.#savedCredentials();
    const now = this.options.timers.now();
    const final = FINAL_CLOSES.find(([prefix]) => serverReason.startsWith(prefix));
    if (final) {
      this.#stopRetrying();
      this.options.storage.removeItem(CREDENTIALS_KEY);
      this.options.storage.removeItem(GAME_KEY);
      this.#clearGame();
      this.#toLogin(final[1]);
      return;
    }
    const keepTrying = this.#phase === 'reconnecting' && this.#withinReconnectWindow();
    if (saved && !protocolError && (this.#phase === 'game' || this.#phase === 'queue' || keepTrying)) {
      if (this.#phase !== 'reconnecting') {
        this.#dropAt = now;
        this.#retries = 0;
        this.#phase = 'reconnecting';
      }
      this.#status = 'The connection to the server was lost; reconnecting…';
      this.#scheduleRetry();
      this.#emit();
      return;
    }
    if (this.#phase === 'connecting' || this.#phase === 'reconnecting' || this.#phase === 'login') {
      this.#clearGame();
      this.#toLogin(
        this.#phase === 'reconnecting'
          ? 'Could not reach the server again in time; the game may have been forfeited. Log in to play on.'
          : `Could not log in: ${reason}. Is the server running?`,
      );
      return;
    }
    this.#error = `The connection to the server was closed (${reason}).`;
    if (this.#phase === 'over' || this.#phase === 'lobby') {
      this.#emit();
      return;
    }
    this.#toLogin(this.#error);
  }

  /** Closes the current connection without treating its end as a drop. */
  #dropConnection(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.close();
  }

  #withinReconnectWindow(): boolean {
    const since = this.#dropAt ?? this.#autoLoginStartedAt();
    return this.options.timers.now() - since < this.#reconnectForMs;
  }

  #autoLoginStartedAt(): number {
    this.#dropAt = this.options.timers.now();
    return this.#dropAt;
  }

  #scheduleRetry(): void {
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.#retries, LAST_RETRY_MS);
    this.#retries += 1;
    this.#retryTimer = this.options.timers.setTimeout(() => {
      this.#retryTimer = undefined;
      const saved = this.#savedCredentials();
      if (saved) this.#startLogin(saved.username, saved.password, true);
    }, delay);
  }

  #stopRetrying(): void {
    if (this.#retryTimer !== undefined) this.options.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #toLogin(error: string | undefined, status = 'Log in to play.'): void {
    this.#phase = 'login';
    this.#error = error;
    this.#status = status;
    this.#awaitingLogin = false;
    this.#dropAt = undefined;
    this.#emit();
  }

  #clearGame(): void {
    this.#view = undefined;
    this.#happened = [];
    this.#record = [];
    this.#lastPly = undefined;
    this.#ending = undefined;
    this.#pendingOwnStep = false;
  }

  #savedCredentials(): { username: string; password: string } | undefined {
    try {
      const value = JSON.parse(this.options.storage.getItem(CREDENTIALS_KEY) ?? 'null') as unknown;
      if (value && typeof value === 'object' && 'username' in value && 'password' in value) {
        const { username, password } = value as { username: unknown; password: unknown };
        if (typeof username === 'string' && typeof password === 'string') return { username, password };
      }
    } catch {
      // Unreadable: as if nothing was kept.
    }
    return undefined;
  }

  #saveGame(): void {
    const view = this.#view;
    if (!view || view.color === undefined || !view.position) return;
    const saved: SavedGame = {
      opponent: view.opponent,
      color: view.color,
      position: view.position,
      record: this.#record,
    };
    this.options.storage.setItem(GAME_KEY, JSON.stringify(saved));
  }

  #savedGame(): SavedGame | undefined {
    try {
      const value = JSON.parse(this.options.storage.getItem(GAME_KEY) ?? 'null') as SavedGame | null;
      if (value && typeof value.opponent === 'string' && (value.color === 0 || value.color === 1)) return value;
    } catch {
      // Unreadable: the board shows from the server's next message.
    }
    return undefined;
  }

  #emit(plies: readonly ShownPly[] = []): void {
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot, plies);
  }
}

function samePosition(a: Position, b: Position): boolean {
  return a.black === b.black && a.white === b.white && a.kings === b.kings;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A move byte read on the board after it: a jump when the piece stands two squares away, else a step. */
export function summaryOnBoard(after: Position, mine: Color, move: number): MoveSummary | undefined {
  const read = readMoveByte(move);
  if (!read) return undefined;
  const occupied = after.black | after.white;
  const stepTo = STEP[read.direction]?.[read.from] ?? -1;
  const jumpTo = JUMP[read.direction]?.[read.from] ?? -1;
  const jumped = jumpTo >= 0 && (occupied >>> jumpTo) & 1 && stepTo >= 0 && ((occupied >>> stepTo) & 1) === 0;
  const to = jumped ? jumpTo : stepTo;
  if (to < 0) return undefined;
  const by = (piecesOf(after, mine) >>> to) & 1 ? 'me' : 'opponent';
  return { from: read.from, to, kind: jumped ? 'jump' : 'step', by };
}
