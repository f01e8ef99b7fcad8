/**
 * The terminal client's phases in a version-2 session, their transitions, and
 * what a typed line means in each. Pure: the client asks here and does it.
 */

export type Phase2 =
  /** Logged in and seeking: waiting for an opponent. */
  | 'queue'
  /** A game is on. */
  | 'game'
  /** In a game, asked "Really leave?" (leaving the program forfeits the game). */
  | 'confirm-quit'
  /** The game is over: play again, rematch or quit. */
  | 'game-end'
  /** The connection dropped: reconnecting with the resume token. */
  | 'reconnecting'
  | 'done';

export type PhaseEvent2 =
  | 'game-started'
  | 'leave-asked'
  | 'play-on'
  | 'game-ended'
  | 'sought'
  | 'connection-lost'
  /** Resumed after a drop, but the game ended meanwhile (or there was none). */
  | 'game-gone'
  | 'finished';

const TRANSITIONS: { readonly [E in PhaseEvent2]: { readonly from: readonly Phase2[]; readonly to: Phase2 } } = {
  // A rematch starts from the game end; a resumed game from the reconnect.
  'game-started': { from: ['queue', 'game-end', 'reconnecting'], to: 'game' },
  'leave-asked': { from: ['game'], to: 'confirm-quit' },
  'play-on': { from: ['confirm-quit'], to: 'game' },
  'game-ended': { from: ['game', 'confirm-quit', 'reconnecting'], to: 'game-end' },
  sought: { from: ['game-end', 'reconnecting'], to: 'queue' },
  'connection-lost': { from: ['queue', 'game', 'confirm-quit', 'game-end'], to: 'reconnecting' },
  'game-gone': { from: ['reconnecting'], to: 'game-end' },
  finished: { from: ['queue', 'game', 'confirm-quit', 'game-end', 'reconnecting'], to: 'done' },
};

export function nextPhase2(phase: Phase2, event: PhaseEvent2): Phase2 | undefined {
  const transition = TRANSITIONS[event];
  return transition.from.includes(phase) ? transition.to : undefined;
}

export type LineAction2 =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'leave' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'play-on' }
  | { readonly kind: 'board' }
  | { readonly kind: 'moves' }
  | { readonly kind: 'clocks' }
  | { readonly kind: 'resign' }
  | { readonly kind: 'draw' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'decline' }
  | { readonly kind: 'rematch' }
  | { readonly kind: 'seek' }
  | { readonly kind: 'move'; readonly text: string };

/** The commands of a version-2 game, for `help` and --help. */
export const GAME_COMMANDS_V2: readonly string[] = [
  '  11-15 or 11 15   move the piece on square 11 to square 15 (numbers are shown on empty squares)',
  '  22x15, 13x22x31  a capture: give the whole path, every square it lands on',
  '  moves            list your legal moves',
  '  board            show the board again',
  '  clock            show both clocks',
  '  draw             offer a draw (or accept the one your opponent offers)',
  "  accept, decline  answer your opponent's draw offer",
  '  resign           give up this game (you stay logged in)',
  "  rematch          after a game: offer a rematch, or accept your opponent's",
  '  help             list these commands',
  '  quit             log out and leave; during a game it asks first, because leaving forfeits the game',
  '  Ctrl-C, Ctrl-D   the same as quit',
  'Captures are compulsory; when there are several you choose which, and you play the whole path.',
];

const YES: ReadonlySet<string> = new Set(['y', 'yes']);

/** What `line` (trimmed) means in `phase`. */
export function readLine2(phase: Phase2, line: string): LineAction2 {
  const command = line.toLowerCase();
  switch (phase) {
    case 'confirm-quit':
      return YES.has(command) ? { kind: 'quit' } : { kind: 'play-on' };
    case 'reconnecting':
      return command === 'quit' ? { kind: 'quit' } : { kind: 'say', text: 'Reconnecting; type quit to give up.' };
    case 'done':
      return { kind: 'nothing' };
    case 'game-end':
      if (command === '' || YES.has(command) || command === 'play') return { kind: 'seek' };
      if (command === 'n' || command === 'no' || command === 'quit' || command === 'exit') return { kind: 'quit' };
      if (command === 'rematch') return { kind: 'rematch' };
      if (command === 'help' || command === '?') return { kind: 'help' };
      return { kind: 'say', text: 'Please answer y (a new opponent), n (log out) or rematch.' };
    case 'queue':
    case 'game':
      return readGameCommand(phase, command, line);
  }
}

function readGameCommand(phase: 'queue' | 'game', command: string, line: string): LineAction2 {
  switch (command) {
    case '':
      return { kind: 'nothing' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'leave' };
    case 'board':
      return { kind: 'board' };
    case 'moves':
      return { kind: 'moves' };
    case 'clock':
    case 'clocks':
      return { kind: 'clocks' };
    case 'resign':
    case 'draw':
    case 'accept':
    case 'decline':
      return phase === 'game'
        ? { kind: command }
        : { kind: 'say', text: `No game in progress: nothing to ${command}.` };
    case 'rematch':
      return { kind: 'say', text: 'A rematch is offered after a game ends.' };
    default:
      return { kind: 'move', text: line };
  }
}

/** Lines a script may send at once in a game; anything else is a move and waits for the player's turn. */
const AT_ONCE: ReadonlySet<string> = new Set([
  '',
  'help',
  '?',
  'quit',
  'exit',
  'board',
  'moves',
  'clock',
  'clocks',
  'resign',
  'draw',
  'accept',
  'decline',
]);

/**
 * Whether a scripted line (trimmed, lower case) can be played now: commands
 * at once, moves on the player's turn, an answer to a draw offer once one is
 * pending; nothing while reconnecting or while our move awaits the server's answer.
 */
export function scriptLineReady2(
  phase: Phase2,
  command: string,
  game: { readonly awaitingMyMove: boolean; readonly drawOffered: boolean; readonly moveInFlight?: boolean },
): boolean {
  // Until the server has answered our move, it allows no other message from us.
  if (game.moveInFlight) return false;
  switch (phase) {
    case 'reconnecting':
      return false;
    case 'queue':
      return AT_ONCE.has(command) && command !== 'accept' && command !== 'decline';
    case 'game':
      if (command === 'accept' || command === 'decline') return game.drawOffered;
      // A rematch is for after the game: the script waits for its end.
      if (command === 'rematch') return false;
      return AT_ONCE.has(command) || game.awaitingMyMove;
    default:
      return true;
  }
}
