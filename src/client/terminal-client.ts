import { BLACK } from '../game/position.js';
import { squareNumber } from '../game/squares.js';
import { InvalidLoginReason, type MessageOfType } from '../protocol/index.js';
import type { ProtocolConnection } from './connection.js';
import { type GameEnding, GameView, type MoveSummary } from './game-view.js';
import type { LineInput } from './line-input.js';
import { pieceLegend, type RenderStyle, renderBoard } from './render.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Asks for credentials; `previous` is offered again after a refused login. Undefined = the player gave up. */
export type CredentialSource = (previous: string | undefined, attempt: number) => Promise<Credentials | undefined>;

const HELP = [
  'Commands:',
  '  11-15 or 11 15   move the piece on square 11 to square 15 (numbers are shown on empty squares)',
  '  moves            list your legal moves',
  '  board            show the board again',
  '  help             this text',
  '  quit / resign    log out and leave (during a game this forfeits it)',
  'Captures are compulsory and the server plays them for both sides; you only type simple steps.',
];

const LOGIN_REFUSED: Readonly<Record<number, string>> = {
  [InvalidLoginReason.NoSuchAccount]: 'there is no account with that name',
  [InvalidLoginReason.WrongPassword]: 'wrong password',
  [InvalidLoginReason.AlreadyLoggedIn]: 'that account is already logged in elsewhere',
};

type Phase = 'queue' | 'game' | 'play-again' | 'confirm-quit' | 'reconnecting' | 'rejoining' | 'ask-reconnect' | 'done';

/** Opens a new connection to the same server, for reconnecting. */
export type Reconnector = () => Promise<ProtocolConnection>;

/** Automatic attempts before asking, and the wait before each. */
export const RECONNECT_DELAYS_MS: readonly number[] = [1000, 2000, 4000];

/**
 * The terminal front end over a ProtocolConnection: login, queue status, the
 * board, move entry, game over and "play again?". Resolves with the exit code.
 */
export class TerminalClient {
  #phase: Phase = 'queue';
  #view: GameView | undefined;
  #myRating = 0;
  #lastStatus = '';
  #renderTimer: NodeJS.Timeout | undefined;
  #finish: ((code: number) => void) | undefined;
  #quitting = false;
  #credentials: Credentials | undefined;
  #rejoinAnswered = false;

  constructor(
    private connection: ProtocolConnection,
    private readonly style: RenderStyle,
    private readonly write: (text: string) => void,
    private readonly reconnector?: Reconnector,
    private readonly reconnectDelaysMs: readonly number[] = RECONNECT_DELAYS_MS,
  ) {}

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
      this.write(
        `Login refused: ${LOGIN_REFUSED[answer.message.reason] ?? `reason ${answer.message.reason}`}. Try again.\n`,
      );
    }
  }

  /** Plays until the player quits or the connection ends. */
  play(input: LineInput, firstPosition: MessageOfType<'QueuePosition'>): Promise<number> {
    return new Promise((resolve) => {
      this.#finish = (code) => {
        this.#phase = 'done';
        if (this.#renderTimer) clearTimeout(this.#renderTimer);
        input.close();
        resolve(code);
      };
      this.#attach(input, this.connection);
      input.onLine = (line) => this.#input(input, line.trim());
      input.onInterrupt = () => this.quit(input);
      input.onEnd = () => {
        if (this.#phase !== 'done') this.quit(input, 'Input ended; logging out.');
      };
      this.#queue(input, firstPosition);
    });
  }

  #attach(input: LineInput, c: ProtocolConnection): void {
    c.on('queuePosition', (message) => this.#queue(input, message));
    c.on('gameStart', (message) => this.#gameStart(input, message));
    c.on('yourTurn', (message) => {
      this.#view?.onYourTurn(message);
      this.#showBoard(input, true);
    });
    c.on('forcedMove', (message) => {
      this.#view?.onForcedMove(message);
      const forced = this.#view?.forced.at(-1);
      if (forced) input.say(`Forced capture: ${this.#who(forced)} ${moveText(forced)}`);
      // Draw once the chain of captures is over, unless a YourTurn follows at once.
      if (this.#renderTimer) clearTimeout(this.#renderTimer);
      this.#renderTimer = setTimeout(() => this.#showBoard(input, false), 50);
    });
    c.on('invalidMove', (message) => {
      this.#view?.onInvalidMove(message);
      input.say('The server refused that move; it is still your turn.');
      this.#showBoard(input, true);
    });
    c.on('gameOver', (message) => this.#gameOver(input, message));
    c.on('opponentLeft', () => {
      input.say(`${this.#view?.opponent ?? 'Your opponent'} left the game: you win by forfeit.`);
      this.#afterGame(input);
    });
    c.on('disconnected', ({ reason, byServer, protocolError }) => {
      if (this.#phase === 'done' || c !== this.connection) return;
      if (this.#quitting && !byServer) return;
      input.say(`Disconnected: ${reason}.`);
      const inGame = this.#phase === 'game' || this.#phase === 'confirm-quit' || this.#phase === 'rejoining';
      if (inGame && !protocolError && this.reconnector && this.#credentials) {
        void this.#reconnect(input, 0);
        return;
      }
      this.#finish?.(this.#quitting ? 0 : 1);
    });
  }

  /**
   * The connection dropped mid-game: the server keeps the game for a while, so
   * log in again on a new connection, a few times with growing pauses, then ask.
   */
  async #reconnect(input: LineInput, attempt: number): Promise<void> {
    const delay = this.reconnectDelaysMs[attempt];
    if (delay === undefined) {
      this.#phase = 'ask-reconnect';
      input.say('Could not reconnect. Your game is kept on the server for a while.');
      input.setPrompt('Try again? [Y/n] > ');
      return;
    }
    this.#phase = 'reconnecting';
    input.setPrompt('');
    input.say(`Reconnecting in ${delay / 1000} s (attempt ${attempt + 1} of ${this.reconnectDelaysMs.length})...`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#phase !== 'reconnecting' || !this.reconnector || !this.#credentials) return;
    try {
      const connection = await this.reconnector();
      this.connection = connection;
      this.#attach(input, connection);
      this.#phase = 'rejoining';
      this.#rejoinAnswered = false;
      connection.login(this.#credentials.username, this.#credentials.password);
      input.say('Reconnected; logging in again...');
    } catch (error) {
      input.say(`Reconnect failed: ${error instanceof Error ? error.message : String(error)}.`);
      await this.#reconnect(input, attempt + 1);
    }
  }

  /** Logs out cleanly (forfeiting a game in progress) and finishes with exit code 0. */
  quit(input: LineInput, note?: string): void {
    if (this.#phase === 'done') return;
    if (note) input.say(note);
    this.#quitting = true;
    if (this.connection.canSend('LogOut')) this.connection.logout();
    this.connection.close('logged out');
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
    if (this.#phase === 'rejoining') {
      // The login's own QueuePosition comes first; a GameStart follows at once if the game is still on.
      if (this.#rejoinAnswered) {
        this.#phase = 'queue';
        this.#view = undefined;
        input.say('Your game ended while you were away; you are back in the queue.');
      } else {
        this.#rejoinAnswered = true;
        return;
      }
    }
    if (this.#phase !== 'queue' && this.#phase !== 'confirm-quit') return;
    this.#myRating = message.rating;
    const status = `Waiting for an opponent: ${ordinal(message.position)} of ${message.queueSize} in the queue, your rating ${message.rating}`;
    if (input.terminal) {
      input.setPrompt(`${status} (type quit to leave) > `);
    } else if (status !== this.#lastStatus) {
      input.say(status);
    }
    this.#lastStatus = status;
  }

  #gameStart(input: LineInput, message: MessageOfType<'GameStart'>): void {
    if (this.#phase === 'rejoining') {
      this.#phase = 'game';
      this.#rejoinAnswered = false;
      this.#view = new GameView(message.opponent, message.opponentRating, this.#myRating);
      input.say(`Back in your game against ${message.opponent}.`);
      this.#waitingPrompt(input);
      return;
    }
    this.#phase = 'game';
    this.#lastStatus = '';
    const view = new GameView(message.opponent, message.opponentRating, this.#myRating);
    this.#view = view;
    const first = view.expectedFirstMover();
    input.setPrompt('');
    input.say(
      '',
      `=== New game: you (${this.#myRating}) against ${message.opponent} (${message.opponentRating}) ===`,
      first === 'me'
        ? 'You have the lower rating: you play Black and move first.'
        : first === 'opponent'
          ? `${message.opponent} has the lower rating: ${message.opponent} plays Black and moves first; you play White.`
          : 'Equal ratings: the server decides who moves first.',
      'Type "help" for commands.',
    );
    this.#waitingPrompt(input);
  }

  #showBoard(input: LineInput, myTurn: boolean): void {
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
    this.#renderTimer = undefined;
    const view = this.#view;
    if (!view?.position || view.color === undefined || this.#phase !== 'game') return;
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
      input.setPrompt('Your move > ');
    } else {
      this.#waitingPrompt(input);
    }
  }

  #waitingPrompt(input: LineInput): void {
    input.setPrompt(`${this.#view?.opponent ?? 'Opponent'} to move... > `);
  }

  #input(input: LineInput, line: string): void {
    const command = line.toLowerCase();
    if (this.#phase === 'play-again') {
      if (command === '' || command === 'y' || command === 'yes') {
        this.#phase = 'queue';
        this.#view = undefined;
        this.connection.requeue();
      } else if (command === 'n' || command === 'no' || command === 'quit') {
        this.quit(input);
      } else {
        input.say('Please answer y or n.');
      }
      return;
    }
    if (this.#phase === 'ask-reconnect') {
      if (command === '' || command === 'y' || command === 'yes') void this.#reconnect(input, 0);
      else this.#finish?.(1);
      return;
    }
    if (this.#phase === 'reconnecting' || this.#phase === 'rejoining') {
      if (command === 'quit') this.#finish?.(1);
      else input.say('Reconnecting; type quit to give up.');
      return;
    }
    if (this.#phase === 'confirm-quit') {
      if (command === 'y' || command === 'yes') this.quit(input, 'You resigned.');
      else {
        this.#phase = 'game';
        input.say('Playing on.');
        this.#restorePrompt(input);
      }
      return;
    }
    switch (command) {
      case '':
        return;
      case 'help':
      case '?':
        input.say(...HELP);
        return;
      case 'quit':
      case 'resign':
      case 'exit':
        if (this.#phase === 'game') {
          this.#phase = 'confirm-quit';
          input.setPrompt('');
          input.say('Leaving now forfeits the game.');
          input.setPrompt('Really leave? [y/N] > ');
        } else {
          this.quit(input);
        }
        return;
      case 'board':
        if (this.#view?.position) this.#showBoard(input, this.#view.awaitingMyMove);
        else input.say('No game in progress.');
        return;
      case 'moves': {
        const moves = this.#view?.legalMoveTexts() ?? [];
        input.say(moves.length > 0 ? `Legal moves: ${moves.join(' ')}` : 'It is not your turn.');
        return;
      }
    }
    const view = this.#view;
    if (this.#phase !== 'game' || !view) {
      input.say('No game yet: you are waiting for an opponent. Type "help" for commands.');
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
    if (this.#view?.awaitingMyMove) input.setPrompt('Your move > ');
    else this.#waitingPrompt(input);
  }

  #gameOver(input: LineInput, message: MessageOfType<'GameOver'>): void {
    const view = this.#view;
    if (!view) return;
    const ending = view.onGameOver(message);
    this.#showBoard(input, false);
    input.say(...describeEnding(ending, view.opponent));
    this.#afterGame(input);
  }

  #afterGame(input: LineInput): void {
    this.#phase = 'play-again';
    this.#view = undefined;
    input.say('Play again? [Y/n]');
    input.setPrompt('Play again? [Y/n] > ');
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
