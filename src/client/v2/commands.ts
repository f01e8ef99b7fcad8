/**
 * The terminal client's phases in a version-2 session, their transitions, and
 * what a typed line means in each. Pure: the client asks here and does it.
 */

import { COMPUTER_LEVELS } from '../../protocol/index.js';

export type Phase2 =
  /** Logged in, neither queued nor in a game: challenging, inviting, joining, or choosing what to do. */
  | 'lobby'
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
  /** Left the queue (LeaveQueue), or asked the computer from a game's end. */
  | 'to-lobby'
  | 'connection-lost'
  /** Resumed after a drop, but the game ended meanwhile (or there was none). */
  | 'game-gone'
  | 'finished';

const TRANSITIONS: { readonly [E in PhaseEvent2]: { readonly from: readonly Phase2[]; readonly to: Phase2 } } = {
  // A rematch starts from the game end; a resumed game from the reconnect; a challenge, an invite or the computer from the lobby.
  'game-started': { from: ['lobby', 'queue', 'game-end', 'reconnecting'], to: 'game' },
  'leave-asked': { from: ['game'], to: 'confirm-quit' },
  'play-on': { from: ['confirm-quit'], to: 'game' },
  'game-ended': { from: ['game', 'confirm-quit', 'reconnecting'], to: 'game-end' },
  sought: { from: ['lobby', 'game-end', 'reconnecting'], to: 'queue' },
  'to-lobby': { from: ['queue', 'game-end'], to: 'lobby' },
  'connection-lost': { from: ['lobby', 'queue', 'game', 'confirm-quit', 'game-end'], to: 'reconnecting' },
  'game-gone': { from: ['reconnecting'], to: 'game-end' },
  finished: { from: ['lobby', 'queue', 'game', 'confirm-quit', 'game-end', 'reconnecting'], to: 'done' },
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
  | { readonly kind: 'leave-queue' }
  | { readonly kind: 'hint' }
  | { readonly kind: 'challenge'; readonly name: string }
  | { readonly kind: 'answer-challenge'; readonly accept: boolean; readonly id: string | undefined }
  | { readonly kind: 'withdraw' }
  | { readonly kind: 'invite' }
  | { readonly kind: 'join'; readonly code: string }
  | { readonly kind: 'computer'; readonly level: number }
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
  '  hint             in a casual game against the computer: the move it suggests (the count shows with the result)',
  'In the lobby, in the queue and after a game:',
  '  challenge NAME   challenge a player who is online (with --time-control, --colour, --opening, --rated)',
  '  accept [ID]      accept a challenge made to you (its number when several are open); decline [ID] refuses it',
  '  withdraw         call off your open challenge or invite',
  '  invite           make an invite for a friend: a link for a browser and a code for join (one game, 10 minutes)',
  "  join CODE|URL    join a friend's invite at once",
  '  computer LEVEL   play the computer at LEVEL, 1 (easiest) to 10 (strongest), now and after each game (with --colour, --opening, --rated)',
  '  play             in the lobby: join the queue (or play the computer, with --computer); leave: leave the queue',
  '  help             list these commands',
  '  quit             log out and leave; during a game it asks first, because leaving forfeits the game',
  '  Ctrl-C, Ctrl-D   the same as quit',
  'Captures are compulsory; when there are several you choose which, and you play the whole path.',
];

const YES: ReadonlySet<string> = new Set(['y', 'yes']);

/** What `line` (trimmed) means in `phase`. */
export function readLine2(phase: Phase2, line: string): LineAction2 {
  const command = line.toLowerCase();
  const friendly =
    phase === 'lobby' || phase === 'queue' || phase === 'game-end'
      ? (readComputerCommand(phase, line) ?? readFriendCommand(phase, line))
      : undefined;
  if (friendly) return friendly;
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
      return {
        kind: 'say',
        text: 'Please answer y (a new opponent), n (log out) or rematch; or challenge NAME, invite, join CODE (help lists them all).',
      };
    case 'lobby':
      if (command === '') return { kind: 'nothing' };
      if (command === 'play' || command === 'seek' || command === 'queue') return { kind: 'seek' };
      if (command === 'quit' || command === 'exit') return { kind: 'quit' };
      if (command === 'help' || command === '?') return { kind: 'help' };
      return {
        kind: 'say',
        text: 'Type play (the queue), computer LEVEL, challenge NAME, invite, join CODE, or quit (help lists them all).',
      };
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
    case 'hint':
      return phase === 'game' ? { kind: 'hint' } : { kind: 'say', text: 'No game in progress: nothing to hint.' };
    case 'leave':
      return phase === 'queue' ? { kind: 'leave-queue' } : { kind: 'say', text: 'Type quit to leave the game.' };
    default:
      if (LOBBY_ONLY_WORDS.has(command.split(/\s+/)[0] ?? '')) {
        return {
          kind: 'say',
          text: 'Not during a game: challenges, invites and the computer are for the lobby and after a game.',
        };
      }
      return { kind: 'move', text: line };
  }
}

const FRIEND_WORDS: ReadonlySet<string> = new Set(['challenge', 'withdraw', 'invite', 'join']);
const LOBBY_ONLY_WORDS: ReadonlySet<string> = new Set([...FRIEND_WORDS, 'computer']);

/** The first words of the lines a script may send in the lobby. */
const LOBBY_WORDS: ReadonlySet<string> = new Set([
  ...LOBBY_ONLY_WORDS,
  '',
  'play',
  'seek',
  'queue',
  'help',
  '?',
  'quit',
  'exit',
]);

/** `computer LEVEL`: a game against the computer from the lobby or after a game; undefined when `line` is not it. */
function readComputerCommand(phase: 'lobby' | 'queue' | 'game-end', line: string): LineAction2 | undefined {
  const [word = '', ...rest] = line.split(/\s+/);
  if (word.toLowerCase() !== 'computer') return undefined;
  if (phase === 'queue') {
    return {
      kind: 'say',
      text: 'Not sent: you are waiting in the queue; type leave to leave it first, then computer LEVEL.',
    };
  }
  const level = rest.length === 1 && /^\d{1,2}$/.test(rest[0] ?? '') ? Number(rest[0]) : 0;
  if (level >= COMPUTER_LEVELS.lowest && level <= COMPUTER_LEVELS.highest) return { kind: 'computer', level };
  const typed = rest.length === 0 ? '' : ` ("${rest.join(' ')}" is not one)`;
  return { kind: 'say', text: `Type computer and a level from 1 (easiest) to 10 (strongest)${typed}.` };
}

/** The commands for playing a friend, or undefined when `line` is none of them. Challenges are answered in the queue too. */
function readFriendCommand(phase: 'lobby' | 'queue' | 'game-end', line: string): LineAction2 | undefined {
  const [word = '', ...rest] = line.split(/\s+/);
  const verb = word.toLowerCase();
  const argument = rest.join(' ');
  if (verb === 'accept' || verb === 'decline') {
    if (rest.length > 1) return { kind: 'say', text: `Type ${verb}, or ${verb} and the challenge's number.` };
    return { kind: 'answer-challenge', accept: verb === 'accept', id: rest[0] };
  }
  if (!FRIEND_WORDS.has(verb)) return undefined;
  if (phase === 'queue') {
    return { kind: 'say', text: `Not sent: you are waiting in the queue; type leave to leave it first, then ${verb}.` };
  }
  switch (verb) {
    case 'challenge':
      return argument === ''
        ? { kind: 'say', text: 'Type challenge and the name of a player who is online.' }
        : { kind: 'challenge', name: argument };
    case 'join':
      return argument === ''
        ? { kind: 'say', text: 'Type join and the invite: its 32 hex digits, or its link.' }
        : { kind: 'join', code: argument };
    case 'invite':
      return { kind: 'invite' };
    default:
      return { kind: 'withdraw' };
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
 * at once, moves and hints on the player's turn, an answer to a draw offer or
 * a challenge once one is pending; nothing while reconnecting or while our
 * move awaits the server's answer.
 */
export function scriptLineReady2(
  phase: Phase2,
  command: string,
  game: {
    readonly awaitingMyMove: boolean;
    readonly drawOffered: boolean;
    readonly moveInFlight?: boolean;
    /** Challenges made to this player and not yet answered. */
    readonly challengesOpen?: number;
  },
): boolean {
  // Until the server has answered our move, it allows no other message from us.
  if (game.moveInFlight) return false;
  const answer = /^(accept|decline)\b/.test(command);
  switch (phase) {
    case 'reconnecting':
      return false;
    case 'queue':
      // An answer to a challenge waits for one to come.
      return answer ? (game.challengesOpen ?? 0) > 0 : AT_ONCE.has(command);
    case 'lobby':
      // A move waits for the game a challenge, an invite or the computer starts.
      if (answer) return (game.challengesOpen ?? 0) > 0;
      return LOBBY_WORDS.has(command.split(/\s+/)[0] ?? '');
    case 'game-end':
      return !answer || (game.challengesOpen ?? 0) > 0;
    case 'game':
      if (command === 'accept' || command === 'decline') return game.drawOffered;
      // A rematch is for after the game: the script waits for its end.
      if (command === 'rematch') return false;
      return AT_ONCE.has(command) || game.awaitingMyMove;
    default:
      return true;
  }
}
