import { pieceCount, positionProblem } from '../../game/position.js';
import type { Move } from '../../game/standard.js';
import { InvalidLoginReason } from '../../protocol/index.js';
import { isGuestName } from '../community/player-name.js';
import { EndReasonCode, endingSentence, outcomeOf } from './ending-words.js';
import { Friends } from './friends.js';
import { type AfterLogin, FriendsSession } from './friends-session.js';
import { type GameChoices, type GameOptions, keepOptions, keptOptions } from './game-choices.js';
import { pathText, readPathText } from './path-text.js';
import type { PlayCommands, PlayListener, PlayView } from './play-commands.js';
import { credentialProblem, type Ending, type Phase, type ShownPly, type Timers } from './play-session.js';
import { forgetLogin, type KeyValueStore, keepLogin, keptLogin } from './resume-token.js';
import { RetrySchedule } from './retry-schedule.js';
import { STANDARD_GAME_KEY, savedGame, saveGame } from './saved-game.js';
import { StandardGame } from './standard-game.js';
import type { StandardLink, StandardLinkEvents, StandardLinkFactory } from './standard-link.js';
import {
  gameStartWords,
  loginRefusalWords,
  playedWords,
  refusalWords,
  turnWords,
  versionRefusalWords,
} from './standard-words.js';
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
export { STANDARD_GAME_KEY };

const RECONNECT_FOR_MS = 60_000;

type Credential =
  | { readonly kind: 'password'; readonly username: string; readonly password: string }
  | { readonly kind: 'token'; readonly username: string; readonly token: Uint8Array }
  | { readonly kind: 'guest'; readonly username?: undefined };

export class StandardSession implements PlayCommands {
  #phase: Phase = 'login';
  #error: string | undefined;
  #status = 'Choose a game, or log in.';
  #username: string | undefined;
  #rating: number | undefined;
  #queue: { size: number; position: number; rating: number } | undefined;
  #game: StandardGame | undefined;
  #ending: Ending | undefined;
  #opponentAway = false;
  #timeControl: TimeControl;
  #link: StandardLink | undefined;
  #automatic = false;
  /** Logged in as a guest: casual games only, no queue. */
  #guest = false;
  readonly #friends = new Friends(() => this.options.tabStorage);
  readonly #friendsSession = new FriendsSession(this.#friends, {
    link: () => this.#link,
    mayOffer: () => (this.#phase === 'lobby' || this.#phase === 'over') && !this.#askingComputer,
    choices: () => this.#choices(),
    now: () => this.options.timers.now(),
    say: (status) => {
      if (status !== undefined) this.#status = status;
      this.#emit();
    },
  });
  #options: GameOptions;
  /** Done once logged in: join the queue (the connection had closed, or the login was asked for it), and the like. */
  #afterLogin: AfterLogin | undefined;
  /** A PlayComputer waits for GameStart2 or ComputerBusy: nothing else is asked meanwhile. */
  #askingComputer = false;
  readonly #retry: RetrySchedule;
  #listeners: PlayListener[] = [];
  readonly #controls: readonly TimeControl[];

  constructor(private readonly options: StandardSessionOptions) {
    this.#controls = options.timeControls ?? TIME_CONTROLS;
    this.#timeControl =
      parseTimeControl(options.storage.getItem(TIME_CONTROL_KEY), this.#controls) ??
      parseTimeControl(timeControlKey(DEFAULT_TIME_CONTROL), this.#controls) ??
      this.#controls[0] ??
      DEFAULT_TIME_CONTROL;
    this.#options = keptOptions(options.storage);
    this.#retry = new RetrySchedule(options.timers, options.reconnectForMs ?? RECONNECT_FOR_MS);
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
      guest: this.#guest,
      options: this.#options,
      friends: this.#friends.view(),
      game: game?.gameInfo(playing),
      standard: game?.standardInfo(playing, this.#opponentAway),
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
    if (this.#phase === 'login' || this.#guest) {
      // The queue plays rated games: an account is needed.
      if (this.#guest) this.logOut();
      this.#afterLogin = { kind: 'seek' };
      this.#toLogin(undefined, 'Log in with your account to join the queue (guests play the computer and friends).');
      return;
    }
    if ((this.#phase !== 'lobby' && this.#phase !== 'over') || this.#askingComputer) return;
    if (link?.canSend('Seek')) {
      link.seek(this.#timeControl);
      this.#friends.withdrawn();
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
    this.#afterLogin = { kind: 'seek' };
  }

  chooseOptions(options: Partial<GameOptions>): void {
    this.#options = { ...this.#options, ...options };
    keepOptions(this.options.storage, this.#options);
    this.#emit();
  }

  playAsGuest(): void {
    if (this.#phase !== 'login') return;
    this.options.tabStorage.removeItem(STANDARD_GAME_KEY);
    this.#start({ kind: 'guest' }, false);
  }

  playComputer(level: number): void {
    const link = this.#link;
    if (this.#loggedOutAsk({ kind: 'computer', level })) return;
    if ((this.#phase !== 'lobby' && this.#phase !== 'over') || this.#askingComputer) return;
    if (!link?.canSend('PlayComputer')) {
      this.#status = 'The connection to the server is closed: reload the page to log in again and play.';
      this.#emit();
      return;
    }
    this.#error = undefined;
    link.playComputer({ level, ...this.#choices() });
    this.#friends.withdrawn();
    this.#askingComputer = true;
    this.#status = `Asking the computer (level ${level}) for a game…`;
    this.#emit();
  }

  createInvite(): void {
    if (!this.#loggedOutAsk({ kind: 'invite' })) this.#friendsSession.createInvite();
  }

  /** Opens an invite link: joins at once when logged in, else once logged in (with an account or as a guest). */
  joinInvite(codeText: string): void {
    if (this.#phase === 'login' || this.#phase === 'connecting') {
      this.#afterLogin = { kind: 'join', code: codeText };
      if (this.#phase === 'login') this.#status = 'Log in, or play as a guest, to accept the invite.';
      this.#emit();
      return;
    }
    this.#friendsSession.joinInvite(codeText);
  }

  challenge(opponent: string): void {
    this.#friendsSession.challenge(opponent);
  }

  answerChallenge(id: number, accept: boolean): void {
    if (this.#friendsSession.answerChallenge(id, accept) && accept) this.#queue = undefined;
  }

  withdrawOffer(): void {
    this.#friendsSession.withdrawOffer();
  }

  hint(): void {
    const game = this.#game;
    const link = this.#link;
    if (!game || this.#phase !== 'game' || !game.myTurn || game.askingHint || game.hint) return;
    if (!game.againstComputer || game.facts.rated || !link?.canSend('Hint')) return;
    link.hint();
    game.askingHint = true;
    this.#status = 'Asking the computer for a hint…';
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
    this.#status = accept ? 'You accepted the draw.' : `You declined the draw. ${turnWords(game)}`;
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
    this.#retry.stop();
    forgetLogin(this.options.storage);
    this.options.tabStorage.removeItem(STANDARD_GAME_KEY);
    this.#game = undefined;
    this.#ending = undefined;
    this.#queue = undefined;
    this.#username = undefined;
    this.#guest = false;
    this.#afterLogin = undefined;
    this.#friends.gameStarted();
    this.#toLogin(undefined, 'You logged out.');
  }

  #start(credential: Credential, automatic: boolean): void {
    this.#retry.stop();
    this.#dropLink();
    this.#username = credential.username;
    this.#guest = credential.kind === 'guest' || isGuestName(credential.username);
    this.#friends.reset();
    this.#automatic = automatic;
    this.#error = undefined;
    if (this.#phase !== 'reconnecting') this.#phase = 'connecting';
    this.#status = automatic ? 'Connecting to the server…' : 'Logging in…';
    const events: StandardLinkEvents = {
      open: () => {
        if (credential.kind === 'password') link.connect(credential.username, credential.password);
        else if (credential.kind === 'guest') link.guest();
        else link.resume(credential.username, credential.token);
      },
      closed: (reason, protocolError, serverReason) => this.#closed(link, reason, protocolError, serverReason),
      loggedIn: (login) => this.#current(link) && this.#loggedIn(credential.username ?? '', login),
      guestLoggedIn: (login) =>
        this.#current(link) && this.#loggedIn(login.name, { ...login, rating: 0, gameFollows: false }),
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
      ...this.#friendsSession.events(() => this.#current(link)),
      hintMove: (path) => this.#current(link) && this.#hintMove(path),
    };
    const link = this.options.createLink(events);
    this.#link = link;
    this.#emit();
  }

  /** A command that needs a login, asked for while logged out: a guest login first for what guests may do. */
  #loggedOutAsk(after: AfterLogin): boolean {
    if (this.#phase !== 'login') return false;
    this.#afterLogin = after;
    this.playAsGuest();
    return true;
  }

  #choices(): GameChoices {
    return { ...this.#options, rated: this.#options.rated && !this.#guest, control: this.#timeControl };
  }

  #hintMove(path: readonly number[] | null): void {
    const game = this.#game;
    if (!game) return;
    const move = game.onHint(path);
    if (move) this.#status = `Hint: ${pathText(move)} (hint ${game.hintsUsed} in this game).`;
    else if (!path) this.#status = 'No hints in this game: hints are for casual games against the computer.';
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
    this.#username = username;
    const now = this.options.timers.now();
    keepLogin(this.options.storage, { username, token: login.token, expiresAt: now + login.validSeconds * 1000 });
    this.#friends.loggedIn(username, now);
    const wasPlaying = this.#phase === 'reconnecting' && this.#game !== undefined && !this.#ending;
    const wasQueued = this.#phase === 'reconnecting' && this.#queue !== undefined && !this.#game;
    this.#retry.reset();
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
      : this.#guest
        ? `You play as ${username}, a guest: casual games against the computer and friends. Choose your game.`
        : `Logged in as ${username} (standard rating ${login.rating}). Choose your game, then whom to play.`;
    const after: AfterLogin | undefined = wasQueued ? { kind: 'seek' } : this.#afterLogin;
    this.#afterLogin = undefined;
    this.#emit();
    if (after?.kind === 'seek') this.joinQueue();
    else if (after?.kind === 'computer') this.playComputer(after.level);
    else if (after?.kind === 'invite') this.createInvite();
    else if (after?.kind === 'join') this.joinInvite(after.code);
  }

  #invalidLogin(credential: Credential, reason: number): void {
    if (reason === InvalidLoginReason.AlreadyLoggedIn && this.#automatic && this.#retry.within()) {
      this.#dropLink();
      this.#retry.schedule(() => this.#start(credential, true));
      return;
    }
    if (credential.kind === 'token') forgetLogin(this.options.storage);
    this.#loginFailed(loginRefusalWords(credential.kind, reason));
  }

  #invalidVersion(credential: Credential, highest: number, lowest: number): void {
    this.#dropLink();
    this.#retry.stop();
    if (credential.kind !== 'guest' && highest < 2 && lowest <= 1 && this.options.onVersion1) {
      this.options.onVersion1(credential.username, credential.kind === 'password' ? credential.password : undefined);
      return;
    }
    this.#loginFailed(versionRefusalWords(credential.kind === 'guest', highest, lowest));
  }

  #loginFailed(sentence: string): void {
    this.#dropLink();
    this.#retry.stop();
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
    this.#friends.gameStarted();
    const saved = savedGame(this.options.tabStorage);
    if (saved && saved.gameId === start.gameId) {
      game.againstComputer ||= saved.againstComputer;
      game.hintsUsed = saved.hintsUsed;
      game.record = [...saved.record];
      if (saved.position && !positionProblem(saved.position)) game.position = saved.position;
    }
    this.#game = game;
    this.#ending = undefined;
    this.#askingComputer = false;
    this.#opponentAway = false;
    this.#phase = 'game';
    this.#queue = undefined;
    this.#automatic = false;
    this.#status = gameStartWords(start, rematchOf !== undefined, saved?.gameId === start.gameId);
    this.#saveRecord();
    this.#emit();
  }

  #turn(turn: Parameters<StandardLinkEvents['turn']>[0], mine: boolean): void {
    const game = this.#game;
    if (!game) return;
    const started = game.record.length === 0 && !turn.lastPath;
    const plies = game.onTurn(turn, mine, this.options.timers.now());
    const said = plies.length > 0 ? playedWords(plies, game) : '';
    if (game.problem) this.#status = `Something is wrong: ${game.problem}.`;
    else if (!(started && !mine)) this.#status = `${said}${turnWords(game)}`;
    if (mine && game.draw === 'offered-by-opponent') this.#status += ` ${game.facts.opponent} offers a draw.`;
    this.#saveRecord();
    this.#emit(plies.map((ply) => ({ ...ply, own: false })));
  }

  #illegalMove(path: readonly number[], reason: number): void {
    const game = this.#game;
    if (!game) return;
    game.onMoveRefused(this.options.timers.now());
    this.#status = refusalWords(path, reason);
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
    this.#status = `${game.facts.opponent} declined your draw offer. ${turnWords(game)}`;
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
      : `${game.facts.opponent} is back. ${turnWords(game)}`;
    this.#emit();
  }

  #closed(link: StandardLink, reason: string, protocolError: boolean, serverReason = ''): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    if (serverReason.startsWith('takeover')) {
      // The token is shared with the window that took over: keep it, but do not take the game back.
      this.#retry.stop();
      this.#game = undefined;
      this.#ending = undefined;
      this.#toLogin('This account logged in from another window or client, which took over. Log in here to play here.');
      return;
    }
    if (serverReason.startsWith('account-removed')) {
      this.#retry.stop();
      forgetLogin(this.options.storage);
      this.#game = undefined;
      this.#ending = undefined;
      this.#toLogin('The operator removed this account.');
      return;
    }
    const kept = keptLogin(this.options.storage, this.options.timers.now());
    const keepTrying = this.#phase === 'reconnecting' && this.#retry.within();
    if (kept && !protocolError && (this.#phase === 'game' || this.#phase === 'queue' || keepTrying)) {
      if (this.#phase !== 'reconnecting') {
        this.#retry.dropped();
        this.#phase = 'reconnecting';
      }
      this.#status = 'The connection to the server was lost; reconnecting…';
      const again: Credential = { kind: 'token', username: kept.username, token: kept.token };
      this.#retry.schedule(() => this.#start(again, true));
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

  #toLogin(error: string | undefined, status = 'Choose a game, or log in.'): void {
    this.#phase = 'login';
    this.#error = error;
    this.#status = status;
    this.#retry.reset();
    this.#emit();
  }

  #saveRecord(): void {
    const game = this.#game;
    if (!game) return;
    saveGame(this.options.tabStorage, {
      gameId: game.facts.gameId,
      record: game.record,
      position: game.position,
      againstComputer: game.againstComputer,
      hintsUsed: game.hintsUsed,
    });
  }

  #emit(plies: readonly ShownPly[] = []): true {
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot, plies);
    return true;
  }
}
