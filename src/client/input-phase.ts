/**
 * The terminal client's one named state, its transitions and what a typed
 * line means in each state. Pure: the client asks here what to do and does it.
 */

/** What the client is doing, as far as the player's input goes. */
export type Phase =
  /** Logged in, waiting for an opponent. */
  | 'queue'
  /** A game is on. */
  | 'game'
  /** In a game, asked "Really leave?". */
  | 'confirm-quit'
  /** The game is over: asked "Play again?". */
  | 'play-again'
  /** The connection dropped mid-game: waiting to connect again. */
  | 'reconnecting'
  /** Connected again, logging in to take the game back. */
  | 'rejoining'
  /** Logged in again: the game follows (GameStart), or another QueuePosition says it ended meanwhile. */
  | 'rejoined'
  /** The automatic reconnects failed: asked "Try again?". */
  | 'ask-reconnect'
  | 'done';

/** What moves the client from one phase to another. */
export type PhaseEvent =
  /** GameStart: a new game, or the game taken back after a reconnect. */
  | 'game-started'
  /** The player wants to leave a game: ask first, since leaving forfeits it. */
  | 'leave-asked'
  /** The player did not confirm leaving. */
  | 'play-on'
  /** GameOver or OpponentDisconnect. */
  | 'game-ended'
  /** The player wants another game (ReQueue sent). */
  | 'requeued'
  /** Logged in again, but the game ended while we were away. */
  | 'game-gone'
  /** The connection dropped mid-game (or the player asked to try again): wait, then connect. */
  | 'reconnect-waiting'
  /** Connected again: logging in. */
  | 'relogging-in'
  /** The new login's answer (QueuePosition) came. */
  | 'relogged-in'
  /** Every automatic reconnect failed: ask the player. */
  | 'reconnects-exhausted'
  | 'finished';

const EVERY_PHASE: readonly Phase[] = [
  'queue',
  'game',
  'confirm-quit',
  'play-again',
  'reconnecting',
  'rejoining',
  'rejoined',
  'ask-reconnect',
  'done',
];

/** Where a dropped connection leaves a game the server keeps for us. */
const GAME_KEPT: readonly Phase[] = ['game', 'confirm-quit', 'rejoining', 'rejoined'];
const RECONNECTING: readonly Phase[] = [...GAME_KEPT, 'reconnecting', 'ask-reconnect'];

/** Every transition: the phases an event may happen in, and the phase it leads to. */
const TRANSITIONS: { readonly [E in PhaseEvent]: { readonly from: readonly Phase[]; readonly to: Phase } } = {
  'game-started': { from: ['queue', 'rejoined'], to: 'game' },
  'leave-asked': { from: ['game'], to: 'confirm-quit' },
  'play-on': { from: ['confirm-quit'], to: 'game' },
  'game-ended': { from: ['game', 'confirm-quit'], to: 'play-again' },
  requeued: { from: ['play-again'], to: 'queue' },
  'game-gone': { from: ['rejoined'], to: 'queue' },
  'reconnect-waiting': { from: RECONNECTING, to: 'reconnecting' },
  'relogging-in': { from: ['reconnecting'], to: 'rejoining' },
  'relogged-in': { from: ['rejoining'], to: 'rejoined' },
  'reconnects-exhausted': { from: RECONNECTING, to: 'ask-reconnect' },
  finished: { from: EVERY_PHASE.filter((phase) => phase !== 'done'), to: 'done' },
};

/** The phase `event` leads to from `phase`, or undefined when it cannot happen there. */
export function nextPhase(phase: Phase, event: PhaseEvent): Phase | undefined {
  const transition = TRANSITIONS[event];
  return transition.from.includes(phase) ? transition.to : undefined;
}

/** A game is on and shown: leaving now forfeits it. */
export function gameOn(phase: Phase): boolean {
  return phase === 'game' || phase === 'confirm-quit';
}

/** The server keeps a game for us here if the connection drops: worth reconnecting for. */
export function gameKept(phase: Phase): boolean {
  return GAME_KEPT.includes(phase);
}

/** What a typed line asks for. */
export type LineAction =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'leave' }
  | { readonly kind: 'board' }
  | { readonly kind: 'moves' }
  | { readonly kind: 'move'; readonly text: string }
  | { readonly kind: 'requeue' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'play-on' }
  | { readonly kind: 'reconnect' }
  | { readonly kind: 'give-up' };

const YES: ReadonlySet<string> = new Set(['y', 'yes']);

/** What `line` (trimmed) means in `phase`. */
export function readLine(phase: Phase, line: string): LineAction {
  const command = line.toLowerCase();
  switch (phase) {
    case 'play-again':
      if (command === '' || YES.has(command)) return { kind: 'requeue' };
      if (command === 'n' || command === 'no' || command === 'quit') return { kind: 'quit' };
      return { kind: 'say', text: 'Please answer y or n.' };
    case 'ask-reconnect':
      return command === '' || YES.has(command) ? { kind: 'reconnect' } : { kind: 'give-up' };
    case 'reconnecting':
    case 'rejoining':
    case 'rejoined':
      return command === 'quit' ? { kind: 'give-up' } : { kind: 'say', text: 'Reconnecting; type quit to give up.' };
    case 'confirm-quit':
      return YES.has(command) ? { kind: 'quit' } : { kind: 'play-on' };
    case 'done':
      return { kind: 'nothing' };
    case 'queue':
    case 'game':
      return readCommand(command, line);
  }
}

/** Lines a script may send at any time; anything else is a move and waits for the player's turn. */
const COMMANDS: ReadonlySet<string> = new Set(['', 'help', '?', 'quit', 'resign', 'exit', 'board', 'moves']);

function readCommand(command: string, line: string): LineAction {
  switch (command) {
    case '':
      return { kind: 'nothing' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'resign':
    case 'exit':
      return { kind: 'leave' };
    case 'board':
      return { kind: 'board' };
    case 'moves':
      return { kind: 'moves' };
    default:
      return { kind: 'move', text: line };
  }
}

/**
 * Whether a scripted line (trimmed, lower case) can be played now: commands at
 * once, moves on the player's turn (or when the game cannot go on, to say so);
 * nothing while reconnecting.
 */
export function scriptLineReady(
  phase: Phase,
  command: string,
  game: { readonly awaitingMyMove: boolean; readonly stuck: boolean },
): boolean {
  switch (phase) {
    case 'reconnecting':
    case 'rejoining':
    case 'rejoined':
      return false;
    case 'queue':
      return COMMANDS.has(command);
    case 'game':
      return COMMANDS.has(command) || game.awaitingMyMove || game.stuck;
    default:
      return true;
  }
}
