import {
  ChallengeDeclinedReason,
  GameOverReason,
  GameResult2,
  IllegalMoveReason,
  InvalidLoginReason,
  InviteRefusedReason,
  LOGGED_IN_GAME_IN_PROGRESS,
  type MessageV2,
  MOVE_FLAG_DRAW_OFFERED,
  OfferColour,
  OpeningChoice,
  readBoard,
} from '../../src/protocol/index.js';
import { fromHex } from './hex.js';

/** Boards of docs/PROTOCOL.md section 10. */
export const START_FIRST = 'a28020140104a28020140104a28020140104a28020140104';
const AFTER_FIRST_MOVE_FIRST = 'a28020140104a28020140104a28020145104a00020140104';
const AFTER_FIRST_MOVE_SECOND = '820028100145820028100145820028104145800028100145';
const TOKEN = Uint8Array.from({ length: 16 }, (_, i) => i);
const TOKEN_HEX = '000102030405060708090a0b0c0d0e0f';
export const NO_PATH = '00'.repeat(14);
/** 9-14 is the move (1,5)->(2,4) of section 10: count 2, squares 9 and 14, eleven zero bytes. */
const PATH_9_14 = `02090e${'00'.repeat(11)}`;

function board(hex: string) {
  return readBoard(fromHex(hex), 0);
}

/** Each vector built by hand from the layouts of docs/PROTOCOL.md 12.1 and 12.2. */
export const GOLDEN_V2: ReadonlyArray<readonly [string, MessageV2, string]> = [
  [
    'Connect(version 2, "cam", "mac")',
    { type: 'Connect', version: 2, username: 'cam', password: 'mac' },
    `0102${'63616d'.padEnd(32, '0')}${'6d6163'.padEnd(32, '0')}`,
  ],
  [
    'Resume(version 2, "cam", token)',
    { type: 'Resume', version: 2, username: 'cam', token: TOKEN },
    `1002${'63616d'.padEnd(32, '0')}${TOKEN_HEX}`,
  ],
  ['InvalidLogin(resume token refused)', { type: 'InvalidLogin', reason: InvalidLoginReason.ResumeRefused }, '0203'],
  ['InvalidVersion(2, 1)', { type: 'InvalidVersion', highest: 2, lowest: 1 }, '0d0201'],
  [
    'LoggedIn(token, rating 1200, 2592000 s, game in progress)',
    { type: 'LoggedIn', token: TOKEN, rating: 1200, tokenSeconds: 30 * 24 * 3600, flags: LOGGED_IN_GAME_IN_PROGRESS },
    `20${TOKEN_HEX}b0040000008d270001`,
  ],
  ['Seek(300 s, 3 s)', { type: 'Seek', initialSeconds: 300, incrementSeconds: 3 }, '112c0103'],
  ['LeaveQueue', { type: 'LeaveQueue' }, '12'],
  ['Resign', { type: 'Resign' }, '14'],
  ['OfferDraw', { type: 'OfferDraw' }, '15'],
  ['Rematch', { type: 'Rematch' }, '18'],
  [
    'QueuePosition(3 waiting, place 2, rating 1200)',
    { type: 'QueuePosition', queueSize: 3, position: 2, rating: 1200 },
    '030300000002000000b0040000',
  ],
  [
    'GameStart2("jen", 1210, first player, 300 s + 3 s, rated, game 42)',
    {
      type: 'GameStart2',
      opponent: 'jen',
      opponentRating: 1210,
      colour: 0,
      initialSeconds: 300,
      incrementSeconds: 3,
      rated: true,
      gameId: 42,
    },
    `21${'6a656e'.padEnd(32, '0')}ba040000002c0103012a000000`,
  ],
  [
    'YourMove(no move yet, starting board first player, 300000 ms, 300000 ms, no flags)',
    {
      type: 'YourMove',
      lastPath: null,
      board: board(START_FIRST),
      yourClockMs: 300_000,
      opponentClockMs: 300_000,
      flags: 0,
    },
    `22${NO_PATH}${START_FIRST}e0930400e093040000`,
  ],
  ['MovePath(9-14)', { type: 'MovePath', path: [9, 14] }, `13${PATH_9_14}`],
  [
    'TheirMove(9-14, board after it first player, 301250 ms, 300000 ms, no flags)',
    {
      type: 'TheirMove',
      lastPath: [9, 14],
      board: board(AFTER_FIRST_MOVE_FIRST),
      yourClockMs: 301_250,
      opponentClockMs: 300_000,
      flags: 0,
    },
    `23${PATH_9_14}${AFTER_FIRST_MOVE_FIRST}c2980400e093040000`,
  ],
  [
    'YourMove(9-14, second player, 300000 ms, 301250 ms, draw offered)',
    {
      type: 'YourMove',
      lastPath: [9, 14],
      board: board(AFTER_FIRST_MOVE_SECOND),
      yourClockMs: 300_000,
      opponentClockMs: 301_250,
      flags: MOVE_FLAG_DRAW_OFFERED,
    },
    `22${PATH_9_14}${AFTER_FIRST_MOVE_SECOND}e0930400c298040001`,
  ],
  ['MovePath(13x22x31)', { type: 'MovePath', path: [13, 22, 31] }, `13030d161f${'00'.repeat(10)}`],
  [
    'IllegalMove(9-13, a capture is compulsory)',
    { type: 'IllegalMove', path: [9, 13], reason: IllegalMoveReason.CaptureCompulsory },
    `2402090d${'00'.repeat(11)}01`,
  ],
  ['AnswerDraw(accept)', { type: 'AnswerDraw', accept: true }, '1701'],
  ['AnswerDraw(decline)', { type: 'AnswerDraw', accept: false }, '1700'],
  ['DrawOffered', { type: 'DrawOffered' }, '25'],
  ['DrawDeclined', { type: 'DrawDeclined' }, '26'],
  [
    'GameOver2(win, resignation, new 1216, old 1200, rated, 9-14, board after it)',
    {
      type: 'GameOver2',
      result: GameResult2.Win,
      reason: GameOverReason.Resignation,
      newRating: 1216,
      oldRating: 1200,
      rated: true,
      lastPath: [9, 14],
      board: board(AFTER_FIRST_MOVE_FIRST),
    },
    `270101c0040000b004000001${PATH_9_14}${AFTER_FIRST_MOVE_FIRST}`,
  ],
  ['RematchOffered', { type: 'RematchOffered' }, '28'],
  ['RematchGone', { type: 'RematchGone' }, '29'],
  ['OpponentAway(45 s)', { type: 'OpponentAway', graceSeconds: 45 }, '2a2d00'],
  ['OpponentBack', { type: 'OpponentBack' }, '2b'],
  ['LogOut', { type: 'LogOut' }, '0c'],
  [
    'PlayComputer(level 1, 300 s + 3 s, casual, Black, standard start)',
    {
      type: 'PlayComputer',
      level: 1,
      initialSeconds: 300,
      incrementSeconds: 3,
      rated: false,
      colour: OfferColour.Black,
      opening: OpeningChoice.Standard,
    },
    '19012c0103000000',
  ],
  [
    'PlayComputer(level 10, 180 s + 2 s, rated, White, three-move ballot)',
    {
      type: 'PlayComputer',
      level: 10,
      initialSeconds: 180,
      incrementSeconds: 2,
      rated: true,
      colour: OfferColour.White,
      opening: OpeningChoice.ThreeMove,
    },
    '190ab40002010101',
  ],
  ['ComputerBusy', { type: 'ComputerBusy' }, '2c'],
  ['Guest(2)', { type: 'Guest', version: 2 }, '1a02'],
  [
    'GuestLoggedIn("guest-12345", token, 86400 s)',
    { type: 'GuestLoggedIn', name: 'guest-12345', token: TOKEN, tokenSeconds: 86_400 },
    `2d${'67756573742d3132333435'.padEnd(32, '0')}${TOKEN_HEX}80510100`,
  ],
  [
    'Challenge("jen", 300 s + 3 s, random colour, casual, standard start)',
    {
      type: 'Challenge',
      opponent: 'jen',
      initialSeconds: 300,
      incrementSeconds: 3,
      colour: OfferColour.Random,
      rated: false,
      opening: OpeningChoice.Standard,
    },
    `1b${'6a656e'.padEnd(32, '0')}2c0103020000`,
  ],
  [
    'ChallengeOffered(id 7, "cam", 1200, 300 s + 3 s, you play White, rated, three-move ballot)',
    {
      type: 'ChallengeOffered',
      challengeId: 7,
      challenger: 'cam',
      challengerRating: 1200,
      initialSeconds: 300,
      incrementSeconds: 3,
      colour: OfferColour.White,
      rated: true,
      opening: OpeningChoice.ThreeMove,
    },
    `2e07000000${'63616d'.padEnd(32, '0')}b00400002c0103010101`,
  ],
  ['AnswerChallenge(7, accept)', { type: 'AnswerChallenge', challengeId: 7, accept: true }, '1c0700000001'],
  ['ChallengeGone(7)', { type: 'ChallengeGone', challengeId: 7 }, '2f07000000'],
  ['ChallengeDeclined(busy)', { type: 'ChallengeDeclined', reason: ChallengeDeclinedReason.Busy }, '3802'],
  ['WithdrawOffer', { type: 'WithdrawOffer' }, '1d'],
  [
    'CreateInvite(180 s + 2 s, random colour, casual, standard start)',
    {
      type: 'CreateInvite',
      initialSeconds: 180,
      incrementSeconds: 2,
      colour: OfferColour.Random,
      rated: false,
      opening: OpeningChoice.Standard,
    },
    '1eb40002020000',
  ],
  ['InviteCreated(token, 600 s)', { type: 'InviteCreated', code: TOKEN, validSeconds: 600 }, `39${TOKEN_HEX}58020000`],
  ['JoinInvite(token)', { type: 'JoinInvite', code: TOKEN }, `1f${TOKEN_HEX}`],
  ['InviteRefused(unknown, used or expired)', { type: 'InviteRefused', reason: InviteRefusedReason.Unknown }, '3a00'],
  ['Hint', { type: 'Hint' }, '30'],
  ['HintMove(11-15)', { type: 'HintMove', path: [11, 15] }, `3b020b0f${'00'.repeat(11)}`],
  ['HintMove(no hint)', { type: 'HintMove', path: null }, `3b${NO_PATH}`],
];
