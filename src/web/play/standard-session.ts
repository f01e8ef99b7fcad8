import { type Position, pieceCount, positionProblem } from '../../game/position.js';
import type { Move } from '../../game/standard.js';
import { InvalidLoginReason } from '../../protocol/index.js';
import { EndReasonCode, endingSentence, outcomeOf } from './ending-words.js';
import { pathText, readPathText } from './path-text.js';
import type { PlayCommands, PlayListener, PlayView } from './play-commands.js';
import {
  credentialProblem,
  type Ending,
  loginRefusalSentence,
  type Phase,
  type ShownPly,
  type Timers,
} from './play-session.js';
import { forgetLogin, type KeyValueStore, keepLogin, keptLogin } from './resume-token.js';
import { type PathPly, StandardGame } from './standard-game.js';
import type { StandardLink, StandardLinkEvents, StandardLinkFactory } from './standard-link.js';
import {
  DEFAULT_TIME_CONTROL,
  parseTimeControl,
  TIME_CONTROLS,
  type TimeControl,
  timeControlKey,
  timeControlName,
} from './time-controls.js';

/**
 * The browser player's side of a version-2 game, without a screen: login
 * (password once, then the resume token), lobby with the time-control
 * choice, queue, the game with clocks, draws, resignation and rematch, and
 * coming back after a dropped connection or a reload with the token alone.
 */
export interface StandardSessionOptions {
  readonly createLink: StandardLinkFactory;
  /** Where the resume token lives: the browser's localStorage. Never the password. */
  readonly storage: KeyValueStore;
  /** Where this tab keeps the current game's move list across a reload: sessionStorage. */
  readonly tabStorage: KeyValueStore;
  readonly timers: Timers;
  readonly reconnectForMs?: number;
  readonly timeControls?: readonly TimeControl[];
  /**
   * The server offers only version 1 (InvalidVersion with highest 1): hands over to a version-1
   * session, with the password when the refused login carried one.
   */
  readonly onVersion1?: (username: string, password: string | undefined) => void;
}

export const TIME_CONTROL_KEY = 'checkers.time-control';
export const STANDARD_GAME_KEY = 'checkers.game2';
const RECONNECT_FOR_MS = 60_000;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 5000;

type Credential =
  | { readonly kind: 'password'; readonly username: string; readonly password: string }
  | { readonly kind: 'token'; readonly username: string; readonly token: Uint8Array };

export class StandardSession implements PlayCommands {
  #phase: Phase = 'login';
  #error: string | undefined;
  #status = 'Log in to play.';
  #username: string | undefined;
  #rating: number | undefined;
  #queue: { size: number; position: number; rating: number } | undefined;
  #game: StandardGame | undefined;
  #ending: Ending | undefined;
  #opponentAway = false;
  #timeControl: TimeControl;
  #link: StandardLink | undefined;
  #automatic = false;
  /** Join the queue once logged in (the connection had closed while in the lobby or after a game). */
  #seekAfterLogin = false;
  /** A PlayComputer waits for GameStart2 or ComputerBusy: nothing else is asked meanwhile. */
  #askingComputer = false;
  #retryTimer: unknown;
  #retries = 0;
  #dropAt: number | undefined;
  #listeners: PlayListener[] = [];
  readonly #controls: readonly TimeControl[];

  constructor(private readonly options: StandardSessionOptions) {
    this.#controls = options.timeControls ?? TIME_CONTROLS;
    this.#timeControl =
      parseTimeControl(options.storage.getItem(TIME_CONTROL_KEY), this.#controls) ??
      parseTimeControl(timeControlKey(DEFAULT_TIME_CONTROL), this.#controls) ??
      this.#controls[0] ??
      DEFAULT_TIME_CONTROL;
  }

  subscribe(listener: PlayListener): () => void {
    this.#listeners.push(listener);
    listener(this.snapshot(), []);
    return () => {
      this.#listeners = this.#listeners.filter((kept) => kept !== listener);
    };
  }

  snapshot(): PlayView {
    const game = this.#game;
    const playing = this.#phase === 'game';
    return {
      version: 2,
      phase: this.#phase,
      username: this.#username,
      error: this.#error,
      status: this.#status,
      notice: undefined,
      queue: this.#queue,
      ending: this.#ending,
      timeControl: this.#timeControl,
      timeControls: this.#controls,
      askingComputer: this.#askingComputer,
      game: game && {
        opponent: game.facts.opponent,
        opponentRating: game.facts.opponentRating,
        myRating: game.facts.myRating,
        color: game.color,
        expectedColor: game.color,
        position: game.position,
        myTurn: playing && game.myTurn,
        legal: playing ? game.legalMoves() : [],
        record: game.record,
        lastPly: game.lastPly,
      },
      standard: game && {
        clocks: game.clocks,
        timeControl: game.facts.timeControl,
        rated: game.facts.rated,
        draw: game.draw,
        mayOfferDraw: playing && game.mayOfferDraw && game.draw !== 'offered-by-me',
        rematch: game.rematch,
        opponentAway: this.#opponentAway,
        againstComputer: game.againstComputer,
      },
    };
  }

  logoutForfeits(): boolean {
    return this.#phase === 'game' || this.#phase === 'reconnecting';
  }

  resume(): boolean {
    const kept = keptLogin(this.options.storage, this.options.timers.now());
    if (!kept) return false;
    this.#start({ kind: 'token', username: kept.username, token: kept.token }, true);
    return true;
  }

  login(username: string, password: string): void {
    const problem = credentialProblem('Username', username) ?? credentialProblem('Password', password);
    if (problem) {
      this.#error = `Cannot log in: ${problem}.`;
      this.#emit();
      return;
    }
    this.options.tabStorage.removeItem(STANDARD_GAME_KEY);
    this.#start({ kind: 'password', username, password }, false);
  }

  chooseTimeControl(control: TimeControl): void {
    const known = this.#controls.find(
      (c) => c.initialSeconds === control.initialSeconds && c.incrementSeconds === control.incrementSeconds,
    );
    if (!known) return;
    this.#timeControl = known;
    this.options.storage.setItem(TIME_CONTROL_KEY, timeControlKey(known));
    this.#emit();
  }

  joinQueue(): void {
    this.#error = undefined;
    const link = this.#link;
    if ((this.#phase !== 'lobby' && this.#phase !== 'over') || this.#askingComputer) return;
    if (link?.canSend('Seek')) {
      link.seek(this.#timeControl);
      this.#game = undefined;
      this.#ending = undefined;
      this.#phase = 'queue';
      this.#status = `Looking for an opponent (${timeControlName(this.#timeControl)})…`;
      this.#emit();
      return;
    }
    // The connection closed after the game (or in the lobby): log in again with the token, then seek.
    if (link && !link.ended) return;
    if (!this.resume()) {
      this.#toLogin('Log in again to play.');
      return;
    }
    this.#seekAfterLogin = true;
  }

  playComputer(level: number, rated: boolean): void {
    const link = this.#link;
    if ((this.#phase !== 'lobby' && this.#phase !== 'over') || this.#askingComputer) return;
    if (!link?.canSend('PlayComputer')) {
      this.#status = 'The connection to the server is closed: reload the page to log in again and play.';
      this.#emit();
      return;
    }
    this.#error = undefined;
    link.playComputer({ level, control: this.#timeControl, rated });
    this.#askingComputer = true;
    this.#status = `Asking the computer (level ${level}) for a game…`;
    this.#emit();
  }

  leaveQueue(): void {
    if (this.#phase !== 'queue' || !this.#link?.canSend('LeaveQueue')) return;
    this.#link.leaveQueue();
    this.#phase = 'lobby';
    this.#queue = undefined;
    this.#status = 'You left the queue.';
    this.#emit();
  }

  play(move: Move): string | undefined {
    const game = this.#game;
    const link = this.#link;
    if (!game || this.#phase !== 'game' || !game.myTurn) return 'it is not your move';
    if (!link?.canSend('MovePath')) return 'the connection to the server is not ready';
    const plies = game.onMoveSent(move, this.options.timers.now());
    const squares = [move.from, ...move.path].map((bit) => bit + 1);
    link.movePath(squares);
    this.#status = `You played ${pathText(move)}. ${game.facts.opponent}'s move.`;
    this.#saveRecord();
    this.#emit(plies.map((ply) => ({ ...ply, own: true })));
    return undefined;
  }

  moveText(text: string): string | undefined {
    const game = this.#game;
    if (!game || this.#phase !== 'game') return 'there is no game in progress';
    if (!game.myTurn) return 'it is not your move';
    const reading = readPathText(text, game.legalMoves());
    if (!reading.ok) return reading.reason;
    return this.play(reading.move);
  }

  resign(): void {
    if (this.#phase === 'game' && this.#link?.canSend('Resign')) this.#link.resign();
  }

  offerDraw(): void {
    const game = this.#game;
    const link = this.#link;
    if (!game || this.#phase !== 'game') return;
    if (game.draw === 'offered-by-opponent') {
      this.answerDraw(true);
      return;
    }
    if (!game.mayOfferDraw || game.draw === 'offered-by-me' || !link?.canSend('OfferDraw')) return;
    link.offerDraw();
    game.onDrawOfferSent();
    this.#status = `You offered a draw. It lapses when ${game.facts.opponent} moves.`;
    this.#emit();
  }

  answerDraw(accept: boolean): void {
    const game = this.#game;
    const link = this.#link;
    if (!game || this.#phase !== 'game' || game.draw !== 'offered-by-opponent' || !link?.canSend('AnswerDraw')) return;
    link.answerDraw(accept);
    game.draw = 'none';
    this.#status = accept ? 'You accepted the draw.' : `You declined the draw. ${this.#turnWords(game)}`;
    this.#emit();
  }

  rematch(): void {
    const game = this.#game;
    const link = this.#link;
    if (!game || this.#phase !== 'over' || this.#askingComputer || !link?.canSend('Rematch')) return;
    if (game.rematch === 'asked-by-me' || game.rematch === 'gone') return;
    link.rematch();
    const accepting = game.rematch === 'asked-by-opponent';
    game.rematch = 'asked-by-me';
    this.#status = accepting
      ? 'Rematch accepted: the new game starts.'
      : `You offered ${game.facts.opponent} a rematch (colours swapped, same time control).`;
    this.#emit();
  }

  logOut(): void {
    if (this.#link?.canSend('LogOut')) this.#link.logout();
    this.#dropLink();
    this.#stopRetrying();
    forgetLogin(this.options.storage);
    this.options.tabStorage.removeItem(STANDARD_GAME_KEY);
    this.#game = undefined;
    this.#ending = undefined;
    this.#queue = undefined;
    this.#username = undefined;
    this.#toLogin(undefined, 'You logged out.');
  }

  #start(credential: Credential, automatic: boolean): void {
    this.#stopRetrying();
    this.#dropLink();
    this.#username = credential.username;
    this.#automatic = automatic;
    this.#error = undefined;
    if (this.#phase !== 'reconnecting') this.#phase = 'connecting';
    this.#status = automatic ? 'Connecting to the server…' : 'Logging in…';
    const events: StandardLinkEvents = {
      open: () => {
        if (credential.kind === 'password') link.connect(credential.username, credential.password);
        else link.resume(credential.username, credential.token);
      },
      closed: (reason, protocolError, serverReason) => this.#closed(link, reason, protocolError, serverReason),
      loggedIn: (login) => this.#current(link) && this.#loggedIn(credential.username, login),
      invalidLogin: (reason) => this.#current(link) && this.#invalidLogin(credential, reason),
      invalidVersion: (highest, lowest) => this.#current(link) && this.#invalidVersion(credential, highest, lowest),
      queuePosition: (queue) => this.#current(link) && this.#queuePosition(queue),
      gameStart: (start) => this.#current(link) && this.#gameStart(start),
      turn: (turn, mine) => this.#current(link) && this.#turn(turn, mine),
      illegalMove: (path, reason) => this.#current(link) && this.#illegalMove(path, reason),
      drawOffered: () => this.#current(link) && this.#drawOffered(),
      drawDeclined: () => this.#current(link) && this.#drawDeclined(),
      gameOver: (end) => this.#current(link) && this.#gameOver(end),
      rematchOffered: () => this.#current(link) && this.#rematchChanged('asked-by-opponent'),
      rematchGone: () => this.#current(link) && this.#rematchChanged('gone'),
      opponentAway: (seconds) => this.#current(link) && this.#opponentPresence(true, seconds),
      opponentBack: () => this.#current(link) && this.#opponentPresence(false, 0),
      computerBusy: () => this.#current(link) && this.#computerBusy(),
    };
    const link = this.options.createLink(events);
    this.#link = link;
    this.#emit();
  }

  #computerBusy(): void {
    this.#askingComputer = false;
    this.#status =
      'The computer is busy: every game it may play at once is in progress. Try again in a minute, or join the queue.';
    this.#emit();
  }

  #current(link: StandardLink): boolean {
    return link === this.#link;
  }

  #loggedIn(
    username: string,
    login: { token: Uint8Array; rating: number; validSeconds: number; gameFollows: boolean },
  ) {
    const now = this.options.timers.now();
    keepLogin(this.options.storage, { username, token: login.token, expiresAt: now + login.validSeconds * 1000 });
    const wasPlaying = this.#phase === 'reconnecting' && this.#game !== undefined && !this.#ending;
    const wasQueued = this.#phase === 'reconnecting' && this.#queue !== undefined && !this.#game;
    this.#retries = 0;
    this.#dropAt = undefined;
    this.#askingComputer = false;
    this.#rating = login.rating;
    if (login.gameFollows) {
      this.#status = 'Back online: your game goes on.';
      this.#emit();
      return;
    }
    this.#game = undefined;
    this.#ending = undefined;
    this.#phase = 'lobby';
    this.#queue = undefined;
    this.#status = wasPlaying
      ? 'Back online. Your game had ended while you were away.'
      : `Logged in as ${username} (standard rating ${login.rating}). Choose a time control, then join the queue or play the computer.`;
    const seek = this.#seekAfterLogin || wasQueued;
    this.#seekAfterLogin = false;
    this.#emit();
    if (seek) this.joinQueue();
  }

  #invalidLogin(credential: Credential, reason: number): void {
    if (reason === InvalidLoginReason.AlreadyLoggedIn && this.#automatic && this.#withinReconnectWindow()) {
      this.#dropLink();
      this.#scheduleRetry(credential);
      return;
    }
    if (credential.kind === 'token') {
      forgetLogin(this.options.storage);
      this.#loginFailed(
        reason === InvalidLoginReason.AlreadyLoggedIn
          ? loginRefusalSentence(reason)
          : 'Your saved login is no longer valid (it expired, or the password was changed). Log in again.',
      );
      return;
    }
    this.#loginFailed(loginRefusalSentence(reason));
  }

  #invalidVersion(credential: Credential, highest: number, lowest: number): void {
    this.#dropLink();
    this.#stopRetrying();
    if (highest < 2 && lowest <= 1 && this.options.onVersion1) {
      this.options.onVersion1(credential.username, credential.kind === 'password' ? credential.password : undefined);
      return;
    }
    this.#loginFailed(
      lowest <= 2 && highest >= 2
        ? 'The server refused this connection although it speaks version 2: it serves encrypted connections only. Open the page with https://.'
        : `The server speaks protocol versions ${lowest} to ${highest}, and this page needs version 2 (or 1).`,
    );
  }

  #loginFailed(sentence: string): void {
    this.#dropLink();
    this.#stopRetrying();
    this.#game = undefined;
    this.#ending = undefined;
    this.#toLogin(sentence);
  }

  #queuePosition(queue: { size: number; position: number; rating: number }): void {
    this.#queue = queue;
    this.#rating = queue.rating;
    this.#phase = 'queue';
    this.#status = `Waiting for an opponent (${timeControlName(this.#timeControl)}): you are number ${queue.position} of ${queue.size} in the queue.`;
    this.#emit();
  }

  #gameStart(start: Parameters<StandardLinkEvents['gameStart']>[0]): void {
    const rematchOf = this.#phase === 'over' ? this.#game?.facts.opponent : undefined;
    const game = new StandardGame({ ...start, myRating: this.#rating ?? this.#queue?.rating ?? 0 });
    game.againstComputer = this.#askingComputer;
    const saved = this.#savedRecord();
    if (saved && saved.gameId === start.gameId) {
      game.againstComputer ||= saved.againstComputer;
      game.record = saved.record;
      if (saved.position && !positionProblem(saved.position)) game.position = saved.position;
    }
    this.#game = game;
    this.#ending = undefined;
    this.#askingComputer = false;
    this.#opponentAway = false;
    this.#phase = 'game';
    this.#queue = undefined;
    this.#automatic = false;
    const resumed = saved?.gameId === start.gameId;
    const first =
      start.color === 0 ? 'You play Black and move first.' : `You play White; ${start.opponent} moves first.`;
    const control = timeControlName(start.timeControl);
    this.#status = resumed
      ? `Back in your game against ${start.opponent}.`
      : `${rematchOf ? 'Rematch' : 'Game'} against ${start.opponent} (rating ${start.opponentRating}), ${control}${start.rated ? ', rated' : ''}. ${first}`;
    this.#saveRecord();
    this.#emit();
  }

  #turn(turn: Parameters<StandardLinkEvents['turn']>[0], mine: boolean): void {
    const game = this.#game;
    if (!game) return;
    const started = game.record.length === 0 && !turn.lastPath;
    const plies = game.onTurn(turn, mine, this.options.timers.now());
    const said = plies.length > 0 ? this.#describe(plies, game) : '';
    if (game.problem) this.#status = `Something is wrong: ${game.problem}.`;
    else if (!(started && !mine)) this.#status = `${said}${this.#turnWords(game)}`;
    if (mine && game.draw === 'offered-by-opponent') this.#status += ` ${game.facts.opponent} offers a draw.`;
    this.#saveRecord();
    this.#emit(plies.map((ply) => ({ ...ply, own: false })));
  }

  #illegalMove(path: readonly number[], reason: number): void {
    const game = this.#game;
    if (!game) return;
    game.onMoveRefused(this.options.timers.now());
    const why =
      reason === 1
        ? 'a capture is compulsory'
        : reason === 2
          ? 'the capture can go on: play the whole path'
          : 'it is not a legal move here';
    this.#status = `The server refused ${path.join('-')}: ${why}. It is still your move.`;
    this.#emit();
  }

  #drawOffered(): void {
    const game = this.#game;
    if (!game) return;
    game.draw = 'offered-by-opponent';
    this.#status = `${game.facts.opponent} offers a draw: accept or decline it (your next move declines it too).`;
    this.#emit();
  }

  #drawDeclined(): void {
    const game = this.#game;
    if (!game) return;
    game.draw = 'none';
    this.#status = `${game.facts.opponent} declined your draw offer. ${this.#turnWords(game)}`;
    this.#emit();
  }

  #gameOver(end: Parameters<StandardLinkEvents['gameOver']>[0]): void {
    const game = this.#game;
    if (!game) return;
    const outcome = outcomeOf(end.result);
    const flagged = end.reason === EndReasonCode.OutOfTime ? (outcome === 'lost' ? 'me' : 'opponent') : undefined;
    const plies = game.onGameOver(end.lastPath, end.board, this.options.timers.now(), flagged);
    const loser = outcome === 'won' ? 1 - game.color : game.color;
    const loserHasPieces = pieceCount(game.position, loser as 0 | 1) > 0;
    const how = endingSentence(outcome, end.reason, game.facts.opponent, loserHasPieces);
    this.#ending = {
      outcome,
      // "You resigned", but a name keeps its case: "jen resigned".
      how: how.startsWith(game.facts.opponent) ? how : how.charAt(0).toUpperCase() + how.slice(1),
      oldRating: end.oldRating,
      newRating: end.newRating,
    };
    this.#rating = end.newRating;
    this.#phase = 'over';
    this.#opponentAway = false;
    const headline = outcome === 'won' ? 'You won:' : outcome === 'lost' ? 'You lost:' : 'Draw:';
    this.#status = `${headline} ${end.reason === EndReasonCode.DrawAgreed && outcome === 'draw' ? 'drawn by agreement' : how}.`;
    this.options.tabStorage.removeItem(STANDARD_GAME_KEY);
    this.#emit(plies.map((ply) => ({ ...ply, own: false })));
  }

  #rematchChanged(state: 'asked-by-opponent' | 'gone'): void {
    const game = this.#game;
    if (!game || this.#phase !== 'over') return;
    if (state === 'asked-by-opponent' && game.rematch === 'asked-by-me') return;
    game.rematch = state;
    this.#status =
      state === 'gone'
        ? `The rematch is off: ${game.facts.opponent} left, or the offer expired.`
        : `${game.facts.opponent} offers a rematch (colours swapped, same time control).`;
    this.#emit();
  }

  #opponentPresence(away: boolean, seconds: number): void {
    const game = this.#game;
    if (!game) return;
    this.#opponentAway = away;
    this.#status = away
      ? `${game.facts.opponent}'s connection dropped; they have ${seconds} s to come back${game.clocks ? ' (their clock keeps running)' : ''}.`
      : `${game.facts.opponent} is back. ${this.#turnWords(game)}`;
    this.#emit();
  }

  #turnWords(game: StandardGame): string {
    if (!game.myTurn) return `${game.facts.opponent}'s move.`;
    const captures = game.legalMoves().filter((move) => move.captured !== 0);
    if (captures.length === 1) return `Your move: you must capture (${pathText(captures[0] as Move)}).`;
    if (captures.length > 1) {
      const shown = captures.slice(0, 4).map(pathText).join(', ');
      return `Your move: you must capture, and you choose which (${shown}${captures.length > 4 ? ', …' : ''}).`;
    }
    return 'Your move.';
  }

  #describe(plies: readonly PathPly[], game: StandardGame): string {
    const first = plies[0];
    const last = game.record.at(-1);
    if (!first || !last) return '';
    return first.color === game.color ? `You played ${last.text}. ` : `${game.facts.opponent} played ${last.text}. `;
  }

  #closed(link: StandardLink, reason: string, protocolError: boolean, serverReason = ''): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    if (serverReason.startsWith('takeover')) {
      // The token is shared with the window that took over: keep it, but do not take the game back.
      this.#stopRetrying();
      this.#game = undefined;
      this.#ending = undefined;
      this.#toLogin('This account logged in from another window or client, which took over. Log in here to play here.');
      return;
    }
    if (serverReason.startsWith('account-removed')) {
      this.#stopRetrying();
      forgetLogin(this.options.storage);
      this.#game = undefined;
      this.#ending = undefined;
      this.#toLogin('The operator removed this account.');
      return;
    }
    const kept = keptLogin(this.options.storage, this.options.timers.now());
    const keepTrying = this.#phase === 'reconnecting' && this.#withinReconnectWindow();
    if (kept && !protocolError && (this.#phase === 'game' || this.#phase === 'queue' || keepTrying)) {
      if (this.#phase !== 'reconnecting') {
        this.#dropAt = this.options.timers.now();
        this.#retries = 0;
        this.#phase = 'reconnecting';
      }
      this.#status = 'The connection to the server was lost; reconnecting…';
      this.#scheduleRetry({ kind: 'token', username: kept.username, token: kept.token });
      this.#emit();
      return;
    }
    if (this.#phase === 'connecting' || this.#phase === 'reconnecting' || this.#phase === 'login') {
      this.#game = undefined;
      this.#ending = undefined;
      this.#toLogin(
        this.#phase === 'reconnecting'
          ? 'Could not reach the server again in time; the game may have been forfeited. Log in to play on.'
          : `Could not log in: ${reason}. Is the server running?`,
      );
      return;
    }
    this.#error = `The connection to the server was closed (${reason}).`;
    if (this.#phase === 'over' || this.#phase === 'lobby') {
      if (this.#game) this.#game.rematch = 'gone';
      this.#emit();
      return;
    }
    this.#toLogin(this.#error);
  }

  #dropLink(): void {
    this.#askingComputer = false;
    const link = this.#link;
    this.#link = undefined;
    link?.close();
  }

  #withinReconnectWindow(): boolean {
    if (this.#dropAt === undefined) this.#dropAt = this.options.timers.now();
    return this.options.timers.now() - this.#dropAt < (this.options.reconnectForMs ?? RECONNECT_FOR_MS);
  }

  #scheduleRetry(credential: Credential): void {
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.#retries, LAST_RETRY_MS);
    this.#retries += 1;
    this.#retryTimer = this.options.timers.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#start(credential, true);
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
    this.#dropAt = undefined;
    this.#emit();
  }

  #saveRecord(): void {
    const game = this.#game;
    if (!game) return;
    this.options.tabStorage.setItem(
      STANDARD_GAME_KEY,
      JSON.stringify({
        gameId: game.facts.gameId,
        record: game.record,
        position: game.position,
        againstComputer: game.againstComputer,
      }),
    );
  }

  /** The move list and position this tab kept (a reload): the opponent's move made meanwhile then joins the list. */
  #savedRecord():
    | { gameId: number; record: StandardGame['record']; position: Position | undefined; againstComputer: boolean }
    | undefined {
    try {
      const value = JSON.parse(this.options.tabStorage.getItem(STANDARD_GAME_KEY) ?? 'null') as {
        gameId?: unknown;
        record?: unknown;
        position?: Partial<Record<keyof Position, unknown>>;
        againstComputer?: unknown;
      } | null;
      if (value && typeof value.gameId === 'number' && Array.isArray(value.record)) {
        const p = value.position;
        const position: Position | undefined =
          p &&
          typeof p.black === 'number' &&
          typeof p.white === 'number' &&
          typeof p.kings === 'number' &&
          (p.turn === 0 || p.turn === 1)
            ? { black: p.black, white: p.white, kings: p.kings, turn: p.turn === 1 ? 1 : 0 }
            : undefined;
        return {
          gameId: value.gameId,
          record: value.record as StandardGame['record'],
          position,
          againstComputer: value.againstComputer === true,
        };
      }
    } catch {
      // Unreadable: the move list starts empty.
    }
    return undefined;
  }

  #emit(plies: readonly ShownPly[] = []): void {
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot, plies);
  }
}
