import { type GameEnding, GameView, type MoveSummary } from '../client-core/game-view.js';
import { BLACK } from '../game/position.js';
import { squareNumber } from '../game/squares.js';
import { InvalidLoginReason, loginRefusalText, type MessageOfType } from '../protocol/index.js';
import type { Disconnection, ProtocolConnection } from './connection.js';
import { gameKept, gameOn, nextPhase, type Phase, type PhaseEvent, readLine, scriptLineReady } from './input-phase.js';
import type { LineInput } from './line-input.js';
import { printable } from './printable.js';
import { pieceLegend, type RenderStyle, renderBoard } from './render.js';
import { DEFAULT_MOVE_TIMEOUT_SECONDS, TurnClock, warningText } from './turn-clock.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Asks for credentials; `previous` is offered again after a refused login. Undefined = the player gave up. */
export type CredentialSource = (previous: string | undefined, attempt: number) => Promise<Credentials | undefined>;

/** The in-game commands, for `help` and for --help. */
export const IN_GAME_COMMANDS: readonly string[] = [
  '  11-15 or 11 15   move the piece on square 11 to square 15 (numbers are shown on empty squares)',
  '  moves            list your legal moves',
  '  board            show the board again',
  '  help             list these commands',
  '  quit / resign    log out and leave; during a game it asks first, because leaving forfeits the game',
  '  Ctrl-C, Ctrl-D   the same as quit',
  'Captures are compulsory and the server plays them for both sides; you only type simple steps.',
];

const HELP = ['Commands:', ...IN_GAME_COMMANDS];

/** Opens a new connection to the same server, for reconnecting. */
export type Reconnector = () => Promise<ProtocolConnection>;

/** Automatic attempts before asking, and the wait before each. */
export const RECONNECT_DELAYS_MS: readonly number[] = [1000, 2000, 4000];

/**
 * A connection we rejoined on that the server closes in order within this time
 * was taken over by another login to the account: the other client had taken
 * the game, we took it back, and it took it back again. Longer than the first
 * automatic reconnect delay, so two of our clients never bounce the game more than once.
 */
export const TAKEOVER_WINDOW_MS = 30_000;

/**
 * Automatic rejoins in one game before the client stops reconnecting by itself:
 * whatever ends the connections (a takeover seen as an error rather than an
 * orderly close, a failing network), the game cannot bounce for ever.
 */
export const MAX_AUTOMATIC_REJOINS_PER_GAME = 5;

const END_OF_INPUT = Symbol('end of input');

export interface TerminalClientOptions {
  readonly reconnector?: Reconnector | undefined;
  readonly reconnectDelaysMs?: readonly number[];
  /** The server's move clock as the player told us (--move-timeout). */
  readonly moveTimeoutSeconds?: number;
}

/**
 * The terminal front end over a ProtocolConnection: login, queue status, the
 * board, move entry, game over and "play again?". Resolves with the exit code.
 */
export class TerminalClient {
  /** Changed only by #enter, through the transitions of input-phase.ts. */
  #phase: Phase = 'queue';
  #view: GameView | undefined;
  #myRating = 0;
  #lastStatus = '';
  #renderTimer: NodeJS.Timeout | undefined;
  #finish: ((code: number) => void) | undefined;
  #quitting = false;
  #credentials: Credentials | undefined;
  /** When the current connection was opened by an automatic reconnect. */
  #rejoinedAt: number | undefined;
  #rejoinsThisGame = 0;
  /** Our rating before a win by forfeit, whose new rating only the next QueuePosition tells. */
  #ratingBeforeForfeitWin: number | undefined;
  /** Without a terminal: lines (and the end of input) not yet played, in order. */
  readonly #script: Array<string | typeof END_OF_INPUT> = [];
  #turnClock: { clock: TurnClock; startedAt: number; timer: NodeJS.Timeout } | undefined;
  /** True while delivering what came in the same read as the login's answer. */
  #deliveringLoginRead = false;
  readonly #reconnector: Reconnector | undefined;
  readonly #reconnectDelaysMs: readonly number[];
  readonly #moveTimeoutSeconds: number;

  constructor(
    private connection: ProtocolConnection,
    private readonly style: RenderStyle,
    private readonly write: (text: string) => void,
    options: TerminalClientOptions = {},
  ) {
    this.#reconnector = options.reconnector;
    this.#reconnectDelaysMs = options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
    this.#moveTimeoutSeconds = options.moveTimeoutSeconds ?? DEFAULT_MOVE_TIMEOUT_SECONDS;
  }

  /** Logs in, asking again after a refusal. Resolves with the first QueuePosition, or an exit code. */
  async login(ask: CredentialSource): Promise<MessageOfType<'QueuePosition'> | number> {
    let previous: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const credentials = await ask(previous, attempt);
      if (!credentials) {
        this.connection.close();
        return 0;
      }
      previous = credentials.username;
      if (this.connection.ended) return this.#connectionLost();
      this.connection.login(credentials.username, credentials.password);
      const answer = await this.#loginAnswer();
      if (answer.kind === 'queued') {
        this.#credentials = credentials;
        return answer.message;
      }
      if (answer.kind === 'closed') return 1;
      if (answer.kind === 'version') {
        const { lowest, highest } = answer.message;
        this.write(
          `This server speaks protocol version${lowest === highest ? ` ${lowest}` : `s ${lowest} to ${highest}`}; this client speaks version 1. Use a client that matches the server.\n`,
        );
        this.connection.close();
        return 1;
      }
      this.write(`Login refused: ${loginRefusalText(answer.message.reason)}. Try again.\n`);
    }
  }

  /** Plays until the player quits or the connection ends. */
  play(input: LineInput, firstPosition: MessageOfType<'QueuePosition'>): Promise<number> {
    return new Promise((resolve) => {
      this.#finish = (code) => {
        this.#enter('finished');
        if (this.#renderTimer) clearTimeout(this.#renderTimer);
        this.#stopTurnClock();
        input.close();
        // What was sent last (a LogOut) must leave before the process exits.
        if (!this.connection.ended) this.connection.close();
        void this.connection.closed.then(() => resolve(code));
      };
      this.#attach(input, this.connection);
      this.#queue(input, firstPosition);
      input.listen({
        onLine: (line) => (input.terminal ? this.#input(input, line.trim()) : this.#scripted(input, line)),
        onInterrupt: () => this.#leave(input, 'ask'),
        onEnd: () => (input.terminal ? this.#leave(input, 'ask') : this.#scripted(input, END_OF_INPUT)),
      });
      // What arrived with the login's answer (a game to rejoin, say) was held until now.
      this.#deliveringLoginRead = true;
      this.connection.resume();
      this.#deliveringLoginRead = false;
    });
  }

  /** Takes the transition for `event` (input-phase.ts); false, and no change, when it cannot happen now. */
  #enter(event: PhaseEvent): boolean {
    const next = nextPhase(this.#phase, event);
    if (next === undefined) return false;
    this.#phase = next;
    return true;
  }

  /** Leaving by a signal (not from the terminal's keys): no one to ask, so leave and say what it cost. */
  interrupt(input: LineInput): void {
    this.#leave(input, 'now', 'Interrupted; logging out.');
  }

  #attach(input: LineInput, c: ProtocolConnection): void {
    c.on('queuePosition', (message) => this.#queue(input, message));
    c.on('gameStart', (message) => this.#gameStart(input, message));
    c.on('yourTurn', (message) => {
      this.#view?.onYourTurn(message);
      this.#showBoard(input, true);
      this.#pump(input);
    });
    c.on('compulsoryMove', (message) => {
      const view = this.#view;
      if (!view) return;
      for (const ply of view.onForcedMove(message)) {
        input.say(
          ply.kind === 'jump'
            ? `Forced capture: ${this.#who(ply)} ${moveText(ply)}`
            : `${ply.by === 'me' ? 'You' : view.opponent} played ${moveText(ply)}.`,
        );
      }
      // Draw once the chain of captures is over, unless a YourTurn follows at once.
      if (this.#renderTimer) clearTimeout(this.#renderTimer);
      this.#renderTimer = setTimeout(() => this.#showBoard(input, false), 50);
    });
    c.on('invalidMove', (message) => {
      this.#view?.onInvalidMove(message);
      input.say('The server refused that move; it is still your turn.');
      this.#showBoard(input, true);
      this.#pump(input);
    });
    c.on('gameOver', (message) => this.#gameOver(input, message));
    c.on('opponentDisconnect', () => {
      this.#stopTurnClock();
      this.#ratingBeforeForfeitWin = this.#myRating;
      input.say(
        `${this.#view?.opponent ?? 'Your opponent'} left the game: you win by forfeit. Your new rating shows when you play again.`,
      );
      this.#afterGame(input);
    });
    c.on('invalidLogin', (message) => {
      if (this.#phase !== 'rejoining' || c !== this.connection) return;
      input.setPrompt('');
      input.say(
        message.reason === InvalidLoginReason.AlreadyLoggedIn
          ? 'Could not log in again: another client is logged in to this account now. Not reconnecting.'
          : `Could not log in again: ${loginRefusalText(message.reason)}.`,
      );
      c.close();
      this.#finish?.(1);
    });
    c.on('disconnected', (info) => this.#disconnected(input, c, info));
  }

  #disconnected(input: LineInput, c: ProtocolConnection, info: Disconnection): void {
    if (this.#phase === 'done' || c !== this.connection) return;
    if (this.#quitting && !info.byServer) return;
    this.#stopTurnClock();
    input.setPrompt('');
    const inGame = gameKept(this.#phase);
    const rejoinedRecently = this.#rejoinedAt !== undefined && Date.now() - this.#rejoinedAt < TAKEOVER_WINDOW_MS;
    if (inGame && info.cleanCloseWhileLoggedIn && rejoinedRecently) {
      input.say(
        'Disconnected again right after taking the game back: another client is logged in to this account and keeps taking the game over.',
        'Not reconnecting. Close the other client, or run this one again to take the game back.',
      );
      this.#finish?.(1);
      return;
    }
    input.say(`Disconnected: ${info.reason}.`);
    if (inGame && !info.protocolError && this.#reconnector && this.#credentials) {
      if (this.#rejoinsThisGame >= MAX_AUTOMATIC_REJOINS_PER_GAME) {
        input.say(
          `The connection was lost ${this.#rejoinsThisGame + 1} times in this game; not reconnecting by itself. Run the client again to go back to the game.`,
        );
        this.#finish?.(1);
        return;
      }
      void this.#reconnect(input, 0);
      return;
    }
    this.#finish?.(this.#quitting ? 0 : 1);
  }

  /**
   * The connection dropped mid-game: the server keeps the game for a while, so
   * log in again on a new connection, a few times with growing pauses, then ask.
   */
  async #reconnect(input: LineInput, attempt: number): Promise<void> {
    const delay = this.#reconnectDelaysMs[attempt];
    if (delay === undefined) {
      if (!this.#enter('reconnects-exhausted')) return;
      input.say('Could not reconnect. Your game is kept on the server for a while.');
      input.setPrompt('Try again? [Y/n] > ');
      this.#pump(input);
      return;
    }
    if (!this.#enter('reconnect-waiting')) return;
    input.setPrompt('');
    input.say(`Reconnecting in ${delay / 1000} s (attempt ${attempt + 1} of ${this.#reconnectDelaysMs.length})...`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#phase !== 'reconnecting' || !this.#reconnector || !this.#credentials) return;
    try {
      const connection = await this.#reconnector();
      this.connection = connection;
      this.#rejoinedAt = Date.now();
      this.#rejoinsThisGame++;
      this.#attach(input, connection);
      this.#enter('relogging-in');
      connection.login(this.#credentials.username, this.#credentials.password);
      input.say('Reconnected; logging in again...');
    } catch (error) {
      input.say(`Reconnect failed: ${error instanceof Error ? error.message : String(error)}.`);
      await this.#reconnect(input, attempt + 1);
    }
  }

  /**
   * The player wants to leave. During a game `ask` asks first (leaving forfeits
   * it) and a second Ctrl-C or Ctrl-D while asking confirms; `now` leaves at once.
   */
  #leave(input: LineInput, how: 'ask' | 'now', note?: string): void {
    if (this.#phase === 'done') return;
    if (this.#phase === 'game' && how === 'ask') {
      this.#askToLeave(input);
      return;
    }
    this.quit(input, note);
  }

  #askToLeave(input: LineInput): void {
    this.#enter('leave-asked');
    input.setPrompt('');
    input.say('Leaving now forfeits the game.');
    input.setPrompt('Really leave? [y/N] > ');
  }

  /** Logs out cleanly (forfeiting a game in progress, and saying so) and finishes with exit code 0. */
  quit(input: LineInput, note?: string): void {
    if (this.#phase === 'done') return;
    input.setPrompt('');
    if (note) input.say(note);
    const forfeited = gameOn(this.#phase) && this.#view;
    this.#quitting = true;
    if (this.connection.canSend('LogOut')) this.connection.logout();
    this.connection.close('logged out');
    if (forfeited) {
      input.say(
        `You forfeited the game against ${forfeited.opponent}: it counts as a loss. Your rating was ${this.#myRating}; the server tells the new one at your next login.`,
      );
    } else if (this.#phase === 'play-again' && this.#ratingBeforeForfeitWin !== undefined) {
      input.say('Your rating after the win by forfeit shows at your next login.');
    }
    this.write('Logged out. Bye.\n');
    this.#finish?.(0);
  }

  #loginAnswer(): Promise<
    | { kind: 'queued'; message: MessageOfType<'QueuePosition'> }
    | { kind: 'refused'; message: MessageOfType<'InvalidLogin'> }
    | { kind: 'version'; message: MessageOfType<'InvalidVersion'> }
    | { kind: 'closed' }
  > {
    const c = this.connection;
    return new Promise((resolve) => {
      const done = () => {
        c.off('queuePosition', queued);
        c.off('invalidLogin', refused);
        c.off('invalidVersion', version);
        c.off('disconnected', closed);
      };
      const queued = (message: MessageOfType<'QueuePosition'>) => {
        done();
        // A GameStart and YourTurn may follow in the same read: hold them until play() listens.
        c.pause();
        resolve({ kind: 'queued', message });
      };
      const refused = (message: MessageOfType<'InvalidLogin'>) => {
        done();
        resolve({ kind: 'refused', message });
      };
      const version = (message: MessageOfType<'InvalidVersion'>) => {
        done();
        resolve({ kind: 'version', message });
      };
      const closed = ({ reason }: { reason: string }) => {
        done();
        this.write(`Disconnected: ${reason}.\n`);
        resolve({ kind: 'closed' });
      };
      c.on('queuePosition', queued);
      c.on('invalidLogin', refused);
      c.on('invalidVersion', version);
      c.on('disconnected', closed);
    });
  }

  #connectionLost(): number {
    this.write('Disconnected: the connection to the server was lost.\n');
    return 1;
  }

  #queue(input: LineInput, message: MessageOfType<'QueuePosition'>): void {
    // The login's own QueuePosition comes first; a GameStart follows at once if the game is still on.
    if (this.#enter('relogged-in')) return;
    if (this.#enter('game-gone')) {
      this.#view = undefined;
      input.say('Your game ended while you were away; you are back in the queue.');
    }
    if (this.#phase !== 'queue') return;
    this.#myRating = message.rating;
    const before = this.#ratingBeforeForfeitWin;
    if (before !== undefined) {
      this.#ratingBeforeForfeitWin = undefined;
      const change = message.rating - before;
      input.say(`Rating ${before} -> ${message.rating} (${change >= 0 ? '+' : ''}${change}) after the win by forfeit.`);
    }
    const status = `Waiting for an opponent: ${ordinal(message.position)} of ${message.queueSize} in the queue, your rating ${message.rating}`;
    if (input.terminal) {
      input.setPrompt(`${status} (type quit to leave) > `);
    } else if (status !== this.#lastStatus) {
      input.say(status);
    }
    this.#lastStatus = status;
    this.#pump(input);
  }

  #gameStart(input: LineInput, message: MessageOfType<'GameStart'>): void {
    const opponent = printable(message.opponent);
    const rejoined = this.#phase === 'rejoined';
    if (!this.#enter('game-started')) return;
    if (rejoined) {
      this.#view = new GameView(opponent, message.opponentRating, this.#myRating);
      input.say(`Back in your game against ${opponent}.`);
      this.#waitingPrompt(input);
      return;
    }
    this.#lastStatus = '';
    this.#rejoinsThisGame = 0;
    const view = new GameView(opponent, message.opponentRating, this.#myRating);
    this.#view = view;
    const first = view.expectedFirstMover();
    input.setPrompt('');
    // The server sends a game with the login's answer only to a player it puts back into that game.
    const inProgress = this.#deliveringLoginRead;
    input.say(
      '',
      `=== ${inProgress ? 'Back in your game' : 'New game'}: you (${this.#myRating}) against ${opponent} (${message.opponentRating}) ===`,
      ...(inProgress
        ? ['It was already in progress; another client logged in to this account, if any, was disconnected.']
        : []),
      first === 'me'
        ? 'You have the lower rating: you play Black and move first.'
        : first === 'opponent'
          ? `${opponent} has the lower rating: ${opponent} plays Black and moves first; you play White.`
          : 'Equal ratings: the server decides who moves first.',
      'Type "help" for commands.',
    );
    this.#waitingPrompt(input);
    this.#pump(input);
  }

  #showBoard(input: LineInput, myTurn: boolean): void {
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
    this.#renderTimer = undefined;
    const view = this.#view;
    if (!view?.position || view.color === undefined || !gameOn(this.#phase)) return;
    if (view.problem) {
      this.#stopTurnClock();
      input.say(`Cannot play on: ${view.problem}. Type quit to leave (that forfeits the game).`);
      if (this.#phase === 'game') input.setPrompt('Type quit to leave > ');
      return;
    }
    const lines = [
      '',
      ...renderBoard(view.position, view.color, { lastMove: view.lastMove, forced: view.forced }, this.style),
    ];
    lines.push(
      `You play ${view.colorName()} (${pieceLegend(view.color, this.style)})${view.color === BLACK ? ', moving up the board' : ''}.`,
    );
    if (view.lastMove) lines.push(`Last move: ${this.#who(view.lastMove)} ${moveText(view.lastMove)}`);
    input.say(...lines);
    if (myTurn) {
      input.say(`Your move, ${view.colorName()}.${input.terminal ? '' : ` Legal: ${view.legalMoveTexts().join(' ')}`}`);
      this.#startTurnClock(input);
      if (this.#phase === 'game') this.#movePrompt(input);
    } else {
      this.#stopTurnClock();
      if (this.#phase === 'game') this.#waitingPrompt(input);
    }
  }

  /** Counts the player's turn against the move clock: in the prompt, and with warnings before it runs out. */
  #startTurnClock(input: LineInput): void {
    if (this.#turnClock) return;
    const clock = new TurnClock(this.#moveTimeoutSeconds);
    const startedAt = Date.now();
    const timer = setInterval(() => {
      const elapsed = (Date.now() - startedAt) / 1000;
      for (const left of clock.warningsDue(elapsed)) input.say(warningText(left, clock.timeoutSeconds));
      if (this.#phase === 'game' && this.#view?.awaitingMyMove) this.#movePrompt(input);
    }, 1000);
    timer.unref();
    this.#turnClock = { clock, startedAt, timer };
  }

  #stopTurnClock(): void {
    if (this.#turnClock) clearInterval(this.#turnClock.timer);
    this.#turnClock = undefined;
  }

  #movePrompt(input: LineInput): void {
    const turn = this.#turnClock;
    const elapsed = turn ? (Date.now() - turn.startedAt) / 1000 : 0;
    input.setPrompt(turn ? `Your move [${turn.clock.status(elapsed)}] > ` : 'Your move > ');
  }

  #waitingPrompt(input: LineInput): void {
    input.setPrompt(`${this.#view?.opponent ?? 'Opponent'} to move... > `);
  }

  /** Without a terminal: takes the script's line (or its end) in order, once the client can play it. */
  #scripted(input: LineInput, item: string | typeof END_OF_INPUT): void {
    this.#script.push(item);
    this.#pump(input);
  }

  #pump(input: LineInput): void {
    while (this.#phase !== 'done') {
      const head = this.#script[0];
      if (head === undefined) return;
      if (head !== END_OF_INPUT && !this.#readyFor(head.trim().toLowerCase())) return;
      this.#script.shift();
      if (head === END_OF_INPUT) this.#leave(input, 'now', 'Input ended; logging out.');
      else this.#input(input, head.trim());
    }
  }

  /** Whether a scripted line can be played now (input-phase.ts). */
  #readyFor(command: string): boolean {
    return scriptLineReady(this.#phase, command, {
      awaitingMyMove: this.#view?.awaitingMyMove === true,
      stuck: this.#view?.problem !== undefined,
    });
  }

  /** Does what a line means in the current phase (input-phase.ts reads it). */
  #input(input: LineInput, line: string): void {
    const action = readLine(this.#phase, line);
    switch (action.kind) {
      case 'nothing':
        return;
      case 'say':
        input.say(action.text);
        return;
      case 'requeue':
        this.#enter('requeued');
        this.#view = undefined;
        this.connection.requeue();
        return;
      case 'quit':
        this.quit(input);
        return;
      case 'reconnect':
        void this.#reconnect(input, 0);
        return;
      case 'give-up':
        this.#finish?.(1);
        return;
      case 'play-on':
        this.#enter('play-on');
        input.say('Playing on.');
        this.#restorePrompt(input);
        return;
      case 'help':
        input.say(...HELP);
        return;
      case 'leave':
        this.#leave(input, 'ask');
        return;
      case 'board':
        if (this.#view?.position) this.#showBoard(input, this.#view.awaitingMyMove);
        else input.say('No game in progress.');
        return;
      case 'moves': {
        const moves = this.#view?.legalMoveTexts() ?? [];
        input.say(
          this.#view?.problem
            ? `Cannot play on: ${this.#view.problem}.`
            : moves.length > 0
              ? `Legal moves: ${moves.join(' ')}`
              : 'It is not your turn.',
        );
        return;
      }
      case 'move':
        this.#move(input, action.text);
        return;
    }
  }

  #move(input: LineInput, line: string): void {
    const view = this.#view;
    if (this.#phase !== 'game' || !view) {
      input.say('No game yet: you are waiting for an opponent. Type "help" for commands.');
      return;
    }
    if (view.problem) {
      input.say(`Not sent: ${view.problem}.`);
      return;
    }
    const reading = view.readInput(line);
    if (!reading.ok) {
      input.say(`Not sent: ${reading.reason}.`);
      return;
    }
    this.connection.move(reading.move);
    view.onMoveSent(reading.move);
    input.say(`You played ${reading.text}.`);
    this.#showBoard(input, false);
  }

  #restorePrompt(input: LineInput): void {
    if (this.#view?.problem) input.setPrompt('Type quit to leave > ');
    else if (this.#view?.awaitingMyMove) this.#movePrompt(input);
    else this.#waitingPrompt(input);
  }

  #gameOver(input: LineInput, message: MessageOfType<'GameOver'>): void {
    const view = this.#view;
    if (!view) return;
    this.#stopTurnClock();
    const ending = view.onGameOver(message);
    this.#showBoard(input, false);
    input.say(...describeEnding(ending, view.opponent));
    this.#afterGame(input);
  }

  #afterGame(input: LineInput): void {
    if (!this.#enter('game-ended')) return;
    this.#view = undefined;
    this.#stopTurnClock();
    if (input.terminal) input.setPrompt('Play again? [Y/n] > ');
    else input.say('Play again? [Y/n]');
    this.#pump(input);
  }

  #who(move: MoveSummary): string {
    return move.by === 'me' ? 'you' : (this.#view?.opponent ?? 'opponent');
  }
}

function moveText(move: MoveSummary): string {
  return `${squareNumber(move.from)}${move.kind === 'jump' ? 'x' : '-'}${squareNumber(move.to)}`;
}

export function describeEnding(ending: GameEnding, opponent: string): string[] {
  const change = ending.newRating - ending.oldRating;
  const headline =
    ending.outcome === 'won'
      ? `*** You won against ${opponent}: ${ending.how}. ***`
      : ending.outcome === 'lost'
        ? `*** You lost against ${opponent}: ${ending.how}. ***`
        : `*** Draw with ${opponent}: ${ending.how}. ***`;
  return [headline, `Rating ${ending.oldRating} -> ${ending.newRating} (${change >= 0 ? '+' : ''}${change}).`];
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
