import { fromWireBoard } from '../../common/wire.js';
import { BLACK, other } from '../../game/position.js';
import {
  InvalidLoginReason,
  illegalMoveText,
  LOGGED_IN_GAME_IN_PROGRESS,
  loginRefusalText,
  type MessageOfType,
  type MessageV2,
  MOVE_FLAG_DRAW_OFFERED,
} from '../../protocol/index.js';
import type { Disconnection, ProtocolConnection } from '../connection.js';
import type { LineInput } from '../line-input.js';
import type { RenderStyle } from '../render.js';
import {
  MAX_AUTOMATIC_REJOINS_PER_GAME,
  RECONNECT_DELAYS_MS,
  type Reconnector,
  TAKEOVER_WINDOW_MS,
} from '../terminal-client.js';
import { DEFAULT_MOVE_TIMEOUT_SECONDS, TurnClock } from '../turn-clock.js';
import {
  GAME_COMMANDS_V2,
  nextPhase2,
  type Phase2,
  type PhaseEvent2,
  readLine2,
  scriptLineReady2,
} from './commands.js';
import { type ColourChoice, DEFAULT_CHOICES, type GameChoices, inviteCodeHex, type ServerPlace } from './friends.js';
import { GameScreen } from './game-screen.js';
import { clocksAnswer, type Game2, hintAnswer, hintRefusal, movesAnswer, newGame2 } from './game-state.js';
import { describeGameOver2, ordinal, pathText, ratingText } from './game-text.js';
import { OfferDesk } from './offer-desk.js';
import { readPath } from './path-input.js';
import { playComputerMessage, type StartPlan } from './play-options.js';
import { DEFAULT_TIME_CONTROL, describeTimeControl, parseTimeControl, type TimeControl } from './time-control.js';

const END_OF_INPUT = Symbol('end of input');

const defaultReading = parseTimeControl(DEFAULT_TIME_CONTROL);
const DEFAULT: TimeControl = defaultReading.ok
  ? defaultReading.timeControl
  : { initialSeconds: 300, incrementSeconds: 3 };

export interface TerminalGameOptions {
  readonly reconnector?: Reconnector | undefined;
  readonly reconnectDelaysMs?: readonly number[];
  /** The server's move clock for no-clock games (--move-timeout). */
  readonly moveTimeoutSeconds?: number;
  /** Wall-clock milliseconds (injected for tests of the clocks' display). */
  readonly now?: () => number;
  /** What to do after login: the queue (the default), the computer (after every game too), a challenge, an invite, a guest's lobby. */
  readonly plan?: StartPlan | undefined;
  /** --colour, --opening, --rated: for the computer, challenges and invites. */
  readonly choices?: GameChoices | undefined;
  /** The colour to play the computer with (PlayPlan.computerColour). */
  readonly computerColour?: ColourChoice | undefined;
  /** Where the client is connected, for invite links. */
  readonly place?: ServerPlace | undefined;
  /** Logged in as a guest: casual games only, and no queue. */
  readonly guest?: boolean | undefined;
}

/**
 * The terminal front end of a version-2 session (protocol version 2: the
 * standard rules, paths, clocks, draws, resignation and rematches), over a
 * ProtocolConnection logged in with Connect or Resume. Resolves with the exit code.
 *
 * The resume token is kept in memory only, for reconnecting within this run:
 * the client has no credentials file, and the token must never be written to
 * disk where the password never is.
 */
export class TerminalGame {
  #phase: Phase2 = 'lobby';
  #game: Game2 | undefined;
  #rating = 0;
  #token: Uint8Array;
  #timeControl: TimeControl;
  #lastStatus = '';
  #rematchOffered = false;
  #finish: ((code: number) => void) | undefined;
  #quitting = false;
  #rejoins = 0;
  /** When the current connection was opened by an automatic reconnect. */
  #rejoinedAt: number | undefined;
  /** What play (and y after a game) asks for: the start plan until a computer LEVEL command. */
  #plan: StartPlan | undefined;
  /** The opponent of the game last started, for the rematch lines after it. */
  #lastOpponent: string | undefined;
  /** The login's answer said a game is in progress: GameStart2 follows, and no Seek is sent. */
  readonly #inProgressAtLogin: boolean;
  readonly #script: Array<string | typeof END_OF_INPUT> = [];
  readonly #reconnector: Reconnector | undefined;
  readonly #reconnectDelaysMs: readonly number[];
  readonly #moveTimeoutSeconds: number;
  readonly #now: () => number;
  readonly #desk: OfferDesk;
  readonly #screen: GameScreen;
  /** The player's lines, once play has begun (the desk speaks through it). */
  #lines: LineInput | undefined;

  constructor(
    private connection: ProtocolConnection,
    private readonly username: string,
    loggedIn: MessageOfType<'LoggedIn'>,
    timeControl: TimeControl | undefined,
    style: RenderStyle,
    private readonly write: (text: string) => void,
    private readonly options: TerminalGameOptions = {},
  ) {
    this.#token = loggedIn.token;
    this.#plan = options.plan;
    this.#rating = loggedIn.rating;
    this.#timeControl = timeControl ?? DEFAULT;
    this.#inProgressAtLogin = (loggedIn.flags & LOGGED_IN_GAME_IN_PROGRESS) !== 0;
    this.#reconnector = options.reconnector;
    this.#reconnectDelaysMs = options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
    this.#moveTimeoutSeconds = options.moveTimeoutSeconds ?? DEFAULT_MOVE_TIMEOUT_SECONDS;
    this.#now = options.now ?? Date.now;
    this.#screen = new GameScreen(style, this.#now, this.#moveTimeoutSeconds);
    this.#desk = new OfferDesk(
      {
        say: (...lines) => this.#lines?.say(...lines),
        send: (message) => this.#lines !== undefined && this.#send(this.#lines, message),
      },
      { self: username, choices: options.choices ?? DEFAULT_CHOICES, place: options.place },
    );
  }

  /** Plays until the player quits or the connection ends. `timeControl` was asked or given before. */
  play(input: LineInput): Promise<number> {
    return new Promise((resolve) => {
      this.#finish = (code) => {
        this.#enter('finished');
        this.#screen.stopTick();
        input.close();
        if (!this.connection.ended) this.connection.close();
        void this.connection.closed.then(() => resolve(code));
      };
      this.#lines = input;
      this.#attach(input, this.connection);
      input.listen({
        onLine: (line) => (input.terminal ? this.#input(input, line.trim()) : this.#scripted(input, line)),
        onInterrupt: () => this.#leave(input, 'ask'),
        onEnd: () => (input.terminal ? this.#leave(input, 'ask') : this.#scripted(input, END_OF_INPUT)),
      });
      if (this.#inProgressAtLogin) {
        input.say('You have a game in progress: back to it.');
      } else {
        this.#start(input);
      }
      // What arrived with the login's answer (a game to go back to) was held until now.
      this.connection.resume();
    });
  }

  /** Leaving by a signal: no one to ask, so leave and say what it cost. */
  interrupt(input: LineInput): void {
    this.#leave(input, 'now', 'Interrupted; logging out.');
  }

  #enter(event: PhaseEvent2): boolean {
    const next = nextPhase2(this.#phase, event);
    if (next === undefined) return false;
    this.#phase = next;
    return true;
  }

  #attach(input: LineInput, c: ProtocolConnection): void {
    c.on('queuePosition', (message) => this.#queue(input, message));
    c.on('gameStart2', (message) => this.#gameStart(input, message));
    c.on('yourMove', (message) => this.#moveMessage(input, message, true));
    c.on('theirMove', (message) => this.#moveMessage(input, message, false));
    c.on('illegalMove', (message) => this.#illegal(input, message));
    c.on('drawOffered', () => {
      if (!this.#game) return;
      this.#game.drawOffered = true;
      input.say(`${this.#game.opponent} offers a draw: type accept or decline (moving on lets the offer lapse).`);
      this.#pump(input);
    });
    c.on('drawDeclined', () => {
      if (this.#game) input.say(`${this.#game.opponent} declined your draw offer.`);
    });
    c.on('gameOver2', (message) => this.#gameOver(input, message));
    c.on('rematchOffered', () => {
      this.#rematchOffered = true;
      input.say(`${this.#lastOpponent ?? 'Your opponent'} offers a rematch: type rematch to accept.`);
    });
    c.on('rematchGone', () => {
      if (this.#phase !== 'game-end') return;
      this.#rematchOffered = false;
      input.say('The rematch is off: your opponent left, or the offer expired.');
    });
    c.on('opponentAway', (message) => {
      input.say(
        `${this.#game?.opponent ?? 'Your opponent'}'s connection dropped; they have ${message.graceSeconds} s to come back${this.#game?.clocks.timed ? ' (their clock keeps running)' : ''}.`,
      );
    });
    c.on('computerBusy', () => {
      input.say('The computer is busy: every game it may play at once is in progress.');
      // Asked by --computer, the run ends; asked by the computer command, the player chooses again.
      if (this.options.plan?.kind === 'computer') {
        this.quit(input, 'Try again in a minute, or run without --computer to join the queue.', 1);
        return;
      }
      input.say('Try again in a minute, or play a friend.');
      this.#lobbyPrompt(input);
    });
    c.on('challengeOffered', (message) => this.#offers(input, () => this.#desk.offered(message)));
    c.on('challengeGone', (message) => this.#offers(input, () => this.#desk.gone(message.challengeId)));
    c.on('challengeDeclined', (message) => this.#offers(input, () => this.#desk.declined(message.reason)));
    c.on('inviteCreated', (message) =>
      this.#offers(input, () => this.#desk.inviteCreated(message.code, message.validSeconds)),
    );
    c.on('inviteRefused', (message) => this.#offers(input, () => this.#desk.inviteRefused(message.reason)));
    c.on('hintMove', (message) => {
      const text = hintAnswer(this.#game, message.path);
      if (text) input.say(text);
    });
    c.on('opponentBack', () => input.say(`${this.#game?.opponent ?? 'Your opponent'} is back.`));
    c.on('loggedIn', (message) => this.#resumed(input, c, message));
    c.on('invalidLogin', (message) => {
      if (this.#phase !== 'reconnecting' || c !== this.connection) return;
      input.setPrompt('');
      input.say(
        message.reason === InvalidLoginReason.AlreadyLoggedIn
          ? 'Could not log in again: another client is logged in to this account now. Not reconnecting.'
          : `Could not log in again: ${loginRefusalText(message.reason)}. Run the client again and log in with your password.`,
      );
      c.close();
      this.#finish?.(1);
    });
    c.on('disconnected', (info) => this.#disconnected(input, c, info));
  }

  /** What the options asked for once logged in: the queue, the computer, a challenge, an invite, or a guest's lobby. */
  #start(input: LineInput): void {
    const plan = this.options.plan ?? { kind: 'seek' };
    if (this.options.guest) input.say(`You play as ${this.username}, a guest: casual games, no rating.`);
    if (plan.kind === 'challenge') this.#desk.challenge(plan.name, this.#timeControl);
    else if (plan.kind === 'join') this.#desk.join(inviteCodeHex(plan.code));
    else if (plan.kind !== 'lobby') {
      this.#lookForGame(input);
      return;
    }
    this.#lobbyPrompt(input);
  }

  /**
   * Seeks, or with --computer asks the computer for a game (answered
   * GameStart2 or ComputerBusy); a guest, who may not queue, goes to the lobby.
   */
  #lookForGame(input: LineInput): void {
    const plan = this.#plan;
    this.#rematchOffered = false;
    this.#game = undefined;
    if (plan?.kind !== 'computer') {
      if (this.options.guest) {
        input.say(
          'Guests do not play in the queue: invite a friend, join an invite, or play the computer (computer LEVEL).',
        );
        this.#enter('to-lobby');
        this.#lobbyPrompt(input);
        return;
      }
      this.#enter('sought');
      this.#desk.ownEnded();
      this.#seek(input);
      return;
    }
    const request = playComputerMessage(plan.level, this.#timeControl, this.options);
    if (!this.#send(input, request)) return;
    this.#enter('to-lobby');
    this.#desk.ownEnded();
    input.setPrompt('');
    input.say(
      `Asking the computer (level ${plan.level}) for a ${request.rated ? 'rated' : 'casual'} game (${describeTimeControl(this.#timeControl)})…`,
    );
  }

  /** The lobby's prompt: what the player waits for, or what they may do. */
  #lobbyPrompt(input: LineInput): void {
    if (this.#phase !== 'lobby') return;
    const play = this.options.guest && this.#plan?.kind !== 'computer' ? '' : 'play, ';
    const status = this.#desk.waiting ?? `Lobby: type ${play}challenge NAME, invite, join CODE, help or quit`;
    if (input.terminal) input.setPrompt(`${status} > `);
    else if (status !== this.#lastStatus) input.say(status);
    this.#lastStatus = status;
  }

  /** A challenge or invite message: the desk says what it means, then the prompt and a waiting script catch up. */
  #offers(input: LineInput, tell: () => void): void {
    tell();
    this.#lobbyPrompt(input);
    this.#pump(input);
  }

  #seek(input: LineInput): void {
    const { initialSeconds, incrementSeconds } = this.#timeControl;
    this.#send(input, { type: 'Seek', initialSeconds, incrementSeconds });
    this.#lastStatus = '';
    input.setPrompt('');
  }

  #queue(input: LineInput, message: MessageOfType<'QueuePosition'>): void {
    if (this.#phase !== 'queue') return;
    this.#rating = message.rating;
    const status = `Waiting for an opponent (${describeTimeControl(this.#timeControl)}): ${ordinal(message.position)} of ${message.queueSize} in the queue, your rating ${message.rating}`;
    if (input.terminal) input.setPrompt(`${status} (type quit to leave) > `);
    else if (status !== this.#lastStatus) input.say(status);
    this.#lastStatus = status;
    this.#pump(input);
  }

  #gameStart(input: LineInput, message: MessageOfType<'GameStart2'>): void {
    const resumed = this.#phase === 'reconnecting' || (this.#inProgressAtLogin && this.#lastOpponent === undefined);
    const from = this.#phase;
    if (!this.#enter('game-started')) return;
    const game = newGame2(message);
    const how = this.#desk.gameStarted(game.opponent);
    const rematch = from === 'game-end' && how === undefined;
    const { opponent, timeControl, color } = game;
    this.#game = game;
    this.#lastOpponent = opponent;
    this.#rematchOffered = false;
    if (!resumed) this.#rejoins = 0;
    // "Play again" seeks the time control of the game just played (a resumed game's included).
    this.#timeControl = timeControl;
    input.setPrompt('');
    const kind = resumed ? 'Back in your game' : rematch ? 'Rematch' : 'New game';
    input.say(
      ...(how ? [how] : []),
      '',
      `=== ${kind} (${describeTimeControl(timeControl)}${message.rated ? ', rated' : ', unrated'}): you (${this.options.guest ? 'guest' : this.#rating}) against ${opponent} (${ratingText(message.opponentRating, opponent)}) ===`,
      color === BLACK ? 'You play Black and move first.' : `You play White; ${opponent} plays Black and moves first.`,
      'Type "help" for commands.',
    );
    this.#screen.startTick(input, () => ({ game: this.#game, phase: this.#phase }));
    this.#screen.waitingPrompt(input, this.#game);
    this.#pump(input);
  }

  #moveMessage(input: LineInput, message: MessageOfType<'YourMove'> | MessageOfType<'TheirMove'>, mine: boolean): void {
    const game = this.#game;
    if (!game || this.#phase === 'game-end') return;
    const turn = mine ? game.color : other(game.color);
    const reading = fromWireBoard(message.board, game.color, turn);
    if (!reading.ok) {
      input.say(`The server sent a board that cannot be read (${reading.reason}); type quit to leave.`);
      return;
    }
    const offered = (message.flags & MOVE_FLAG_DRAW_OFFERED) !== 0;
    const newOffer = offered && !game.drawOffered;
    game.position = reading.position;
    game.positions++;
    game.lastPath = message.lastPath;
    game.awaitingMyMove = mine;
    game.moveInFlight = false;
    game.drawOffered = offered;
    game.clocks.update(message.yourClockMs, message.opponentClockMs, mine ? 'me' : 'opponent', this.#now());
    game.moveClock =
      mine && !game.clocks.timed
        ? { clock: new TurnClock(this.#moveTimeoutSeconds), startedAt: this.#now() }
        : undefined;
    this.#screen.showBoard(input, this.#game, this.#phase);
    if (newOffer) input.say(`${game.opponent} offers a draw: type accept or decline (moving on lets the offer lapse).`);
    this.#pump(input);
  }

  #illegal(input: LineInput, message: MessageOfType<'IllegalMove'>): void {
    const game = this.#game;
    if (!game) return;
    game.awaitingMyMove = true;
    game.moveInFlight = false;
    // Our own reading of the refused path says what to play instead.
    const local = game.position ? readPath(game.position, message.path.join('x')) : undefined;
    const detail = local && !local.ok ? ` (${local.reason})` : '';
    input.say(
      `The server refused ${pathText(message.path)}: ${illegalMoveText(message.reason)}${detail}. It is still your move.`,
    );
    this.#screen.movePrompt(input, this.#game);
    this.#pump(input);
  }

  #scripted(input: LineInput, item: string | typeof END_OF_INPUT): void {
    this.#script.push(item);
    this.#pump(input);
  }

  #pump(input: LineInput): void {
    while (this.#phase !== 'done') {
      const head = this.#script[0];
      if (head === undefined) return;
      if (
        head !== END_OF_INPUT &&
        !scriptLineReady2(this.#phase, head.trim().toLowerCase(), {
          awaitingMyMove: this.#game?.awaitingMyMove === true,
          drawOffered: this.#game?.drawOffered === true,
          moveInFlight: this.#game?.moveInFlight === true,
          challengesOpen: this.#desk.challengesOpen,
        })
      ) {
        return;
      }
      this.#script.shift();
      if (head === END_OF_INPUT) this.#leave(input, 'now', 'Input ended; logging out.');
      else this.#input(input, head.trim());
    }
  }

  #input(input: LineInput, line: string): void {
    const action = readLine2(this.#phase, line);
    const game = this.#game;
    switch (action.kind) {
      case 'nothing':
        return;
      case 'say':
        input.say(action.text);
        return;
      case 'help':
        input.say('Commands:', ...GAME_COMMANDS_V2);
        return;
      case 'leave':
        this.#leave(input, 'ask');
        return;
      case 'quit':
        this.quit(input);
        return;
      case 'play-on':
        this.#enter('play-on');
        input.say('Playing on.');
        if (game?.awaitingMyMove) this.#screen.movePrompt(input, this.#game);
        else this.#screen.waitingPrompt(input, this.#game);
        return;
      case 'board':
        if (game?.position) this.#screen.showBoard(input, this.#game, this.#phase);
        else input.say('No game in progress.');
        return;
      case 'moves':
        input.say(movesAnswer(game));
        return;
      case 'clocks':
        input.say(clocksAnswer(game, this.#now(), this.#moveTimeoutSeconds));
        return;
      case 'resign':
        if (!this.#send(input, { type: 'Resign' })) return;
        input.say('You resign.');
        return;
      case 'draw':
        this.#offerDraw(input);
        return;
      case 'accept':
      case 'decline':
        if (!game?.drawOffered) {
          input.say(`There is no draw offer to ${action.kind}.`);
          return;
        }
        if (!this.#send(input, { type: 'AnswerDraw', accept: action.kind === 'accept' })) return;
        game.drawOffered = false;
        input.say(action.kind === 'accept' ? 'You accept the draw.' : 'You decline the draw.');
        return;
      case 'rematch':
        if (!this.#send(input, { type: 'Rematch' })) return;
        input.say(
          this.#rematchOffered
            ? 'You accept the rematch.'
            : `You offer ${this.#lastOpponent ?? 'your opponent'} a rematch (colours swapped, same time control); waiting for an answer. Type y to look for a new opponent instead.`,
        );
        return;
      case 'seek':
        this.#lookForGame(input);
        return;
      case 'computer':
        this.#plan = { kind: 'computer', level: action.level };
        this.#lookForGame(input);
        return;
      case 'leave-queue':
        if (!this.#send(input, { type: 'LeaveQueue' })) return;
        this.#enter('to-lobby');
        input.say('You left the queue.');
        this.#lobbyPrompt(input);
        return;
      case 'hint':
        this.#askHint(input);
        return;
      case 'challenge':
      case 'answer-challenge':
      case 'withdraw':
      case 'invite':
      case 'join':
        this.#desk.act(action, this.#timeControl);
        this.#lobbyPrompt(input);
        return;
      case 'move':
        this.#move(input, action.text);
        return;
    }
  }

  /** Sends `message` if the protocol allows it now; otherwise says why not (an answer is still on its way). */
  #send(input: LineInput, message: MessageV2): boolean {
    if (this.connection.canSend(message.type)) {
      this.connection.send(message);
      return true;
    }
    input.say(
      this.connection.ended
        ? 'Not sent: the connection is closed.'
        : `Not sent: the server has not answered your last ${this.#phase === 'game' ? 'move' : 'request'} yet; try again in a moment.`,
    );
    return false;
  }

  /** Asks for the computer's suggestion on the player's move (a casual game against the computer; otherwise the answer is no move). */
  #askHint(input: LineInput): void {
    const game = this.#game;
    const refusal = hintRefusal(game);
    if (refusal) input.say(refusal);
    else if (game && this.#send(input, { type: 'Hint' })) game.hintsAsked.push(game.positions);
  }

  #offerDraw(input: LineInput): void {
    const game = this.#game;
    if (!game) return;
    if (game.drawOffered) {
      if (!this.#send(input, { type: 'OfferDraw' })) return;
      game.drawOffered = false;
      input.say('You accept the draw.');
      return;
    }
    if (game.offeredSinceMyMove) {
      input.say('You have offered a draw already; you may offer again after your next move.');
      return;
    }
    if (!this.#send(input, { type: 'OfferDraw' })) return;
    game.offeredSinceMyMove = true;
    input.say(`You offer a draw; ${game.opponent} may accept or decline.`);
  }

  #move(input: LineInput, line: string): void {
    const game = this.#game;
    if (this.#phase !== 'game' || !game) {
      input.say('No game yet: you are waiting for an opponent. Type "help" for commands.');
      return;
    }
    if (!game.awaitingMyMove || !game.position) {
      input.say(`Not sent: it is ${game.opponent}'s move.`);
      return;
    }
    const reading = readPath(game.position, line);
    if (!reading.ok) {
      input.say(`Not sent: ${reading.reason}.`);
      return;
    }
    if (!this.#send(input, { type: 'MovePath', path: reading.squares })) return;
    game.awaitingMyMove = false;
    game.moveInFlight = true;
    game.offeredSinceMyMove = false;
    game.drawOffered = false;
    game.moveClock = undefined;
    game.clocks.stop(this.#now());
    input.say(`You played ${reading.text}.`);
    this.#screen.waitingPrompt(input, this.#game);
  }

  #gameOver(input: LineInput, message: MessageOfType<'GameOver2'>): void {
    const game = this.#game;
    if (!game) return;
    game.clocks.stop(this.#now());
    game.moveClock = undefined;
    game.awaitingMyMove = false;
    game.moveInFlight = false;
    const reading = fromWireBoard(message.board, game.color, game.color);
    if (reading.ok) {
      game.position = reading.position;
      game.lastPath = message.lastPath;
    }
    if (!this.#enter('game-ended')) return;
    this.#screen.stopTick();
    this.#screen.showBoard(input, this.#game, this.#phase);
    // A guest has no rating to show.
    input.say(...describeGameOver2(message, game.opponent).slice(0, this.options.guest ? 1 : undefined));
    if (game.hints > 0) input.say(`You took ${game.hints} hint${game.hints === 1 ? '' : 's'} in this game.`);
    input.setPrompt('');
    if (input.terminal) input.setPrompt('Play again? [Y/n, or rematch] > ');
    else input.say('Play again? [Y/n, or rematch]');
    this.#pump(input);
  }

  #leave(input: LineInput, how: 'ask' | 'now', note?: string): void {
    if (this.#phase === 'done') return;
    if (this.#phase === 'game' && how === 'ask') {
      this.#enter('leave-asked');
      input.setPrompt('');
      input.say('Leaving now forfeits the game (type resign to give up the game and stay).');
      input.setPrompt('Really leave? [y/N] > ');
      return;
    }
    this.quit(input, note);
  }

  /** Logs out (forfeiting a game in progress, and saying so) and finishes with exit code 0. */
  quit(input: LineInput, note?: string, code = 0): void {
    if (this.#phase === 'done') return;
    input.setPrompt('');
    if (note) input.say(note);
    const forfeited = (this.#phase === 'game' || this.#phase === 'confirm-quit') && this.#game;
    this.#quitting = true;
    if (this.connection.canSend('LogOut')) this.connection.logout();
    this.connection.close('logged out');
    if (forfeited) {
      input.say(
        `You forfeited the game against ${forfeited.opponent}: it counts as a loss. Your rating was ${this.#rating}.`,
      );
    }
    this.write('Logged out. Bye.\n');
    this.#finish?.(code);
  }

  #disconnected(input: LineInput, c: ProtocolConnection, info: Disconnection): void {
    if (this.#phase === 'done' || c !== this.connection) return;
    if (this.#quitting && !info.byServer) return;
    input.setPrompt('');
    input.say(`Disconnected: ${info.reason}.`);
    const inGame = this.#phase === 'game' || this.#phase === 'confirm-quit';
    if (!inGame || info.protocolError || !this.#reconnector) {
      this.#finish?.(this.#quitting ? 0 : 1);
      return;
    }
    // As in version 1: a connection we resumed on, closed in order soon after, was taken over by another login.
    const rejoinedRecently = this.#rejoinedAt !== undefined && Date.now() - this.#rejoinedAt < TAKEOVER_WINDOW_MS;
    if (info.cleanCloseWhileLoggedIn && rejoinedRecently) {
      input.say(
        'Disconnected again right after taking the game back: another client is logged in to this account and keeps taking the game over.',
        'Not reconnecting. Close the other client, or run this one again to take the game back.',
      );
      this.#finish?.(1);
      return;
    }
    if (this.#rejoins >= MAX_AUTOMATIC_REJOINS_PER_GAME) {
      input.say(
        `The connection was lost ${this.#rejoins + 1} times in this game; not reconnecting by itself. Run the client again to go back to the game.`,
      );
      this.#finish?.(1);
      return;
    }
    this.#enter('connection-lost');
    void this.#reconnect(input, 0);
  }

  /** Connects again and resumes with the token (no password), a few times with growing pauses. */
  async #reconnect(input: LineInput, attempt: number): Promise<void> {
    const delay = this.#reconnectDelaysMs[attempt];
    if (delay === undefined || !this.#reconnector) {
      input.say(
        'Could not reconnect. Your game is kept on the server for a while: run the client again to go back to it.',
      );
      this.#finish?.(1);
      return;
    }
    input.say(`Reconnecting in ${delay / 1000} s (attempt ${attempt + 1} of ${this.#reconnectDelaysMs.length})...`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#phase !== 'reconnecting') return;
    try {
      const connection = await this.#reconnector();
      this.connection = connection;
      this.#rejoins++;
      this.#rejoinedAt = Date.now();
      this.#attach(input, connection);
      connection.resumeSession(this.username, this.#token);
      input.say('Reconnected; resuming the session with its token...');
    } catch (error) {
      input.say(`Reconnect failed: ${error instanceof Error ? error.message : String(error)}.`);
      await this.#reconnect(input, attempt + 1);
    }
  }

  #resumed(input: LineInput, c: ProtocolConnection, message: MessageOfType<'LoggedIn'>): void {
    if (this.#phase !== 'reconnecting' || c !== this.connection) return;
    this.#token = message.token;
    this.#rating = message.rating;
    if ((message.flags & LOGGED_IN_GAME_IN_PROGRESS) !== 0) return;
    this.#game = undefined;
    this.#enter('game-gone');
    input.say('Your game ended while you were away.');
    if (input.terminal) input.setPrompt('Play again? [Y/n] > ');
    else input.say('Play again? [Y/n]');
    this.#pump(input);
  }
}
