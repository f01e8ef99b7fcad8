import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseCount } from '../../common/option-parsers.js';
import type { MessageOfType, TimeControl } from '../../protocol/index.js';
import {
  type ColourChoice,
  colourValue,
  DEFAULT_CHOICES,
  type GameChoices,
  type OpeningChoice,
  openingValue,
  type Reading,
  readColour,
  readInviteCode,
  readOpening,
  readPlayerName,
} from './friends.js';

/**
 * The options that say what to play once logged in (protocol version 2): the
 * queue, the computer, a friend by name or by invite, as an account or a
 * guest; their parsers, and the checks across them.
 */
export interface PlayOptionValues {
  readonly protocol: 1 | 2;
  readonly computer?: number | undefined;
  readonly rated?: boolean | undefined;
  readonly colour?: ColourChoice | undefined;
  readonly opening?: OpeningChoice | undefined;
  readonly challenge?: string | undefined;
  readonly join?: Uint8Array | undefined;
  readonly guest?: boolean | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly passwordStdin?: boolean | undefined;
}

/** What the client does once logged in. */
export type StartPlan =
  | { readonly kind: 'seek' }
  | { readonly kind: 'computer'; readonly level: number }
  | { readonly kind: 'challenge'; readonly name: string }
  | { readonly kind: 'join'; readonly code: Uint8Array }
  /** A guest without --computer or --join: guests may not queue, so they start in the lobby. */
  | { readonly kind: 'lobby' };

export interface PlayPlan {
  readonly plan: StartPlan;
  /** For the computer, challenges and invites: the colour, the opening, rated or casual. */
  readonly choices: GameChoices;
  /** The colour to play the computer with, here or later by the computer command: --colour, else Black. */
  readonly computerColour: ColourChoice;
  readonly guest: boolean;
}

/** Checks the play options against each other; the reason names the options to change. */
export function readPlayOptions(values: PlayOptionValues): Reading<PlayPlan> {
  const asked = [
    values.computer === undefined ? undefined : '--computer',
    values.challenge === undefined ? undefined : '--challenge',
    values.join === undefined ? undefined : '--join',
  ].filter((flag) => flag !== undefined);
  if (asked.length > 1) return { ok: false, reason: `${asked.join(' and ')}: choose one of them` };
  if (values.protocol === 1) {
    if (values.computer !== undefined) {
      return {
        ok: false,
        reason: '--computer needs protocol version 2: version 1 has no games against the computer on demand',
      };
    }
    const needs = [...asked, ...(values.guest ? ['--guest'] : [])][0];
    if (needs)
      return { ok: false, reason: `${needs} needs protocol version 2: version 1 has no challenges, invites or guests` };
  }
  if (values.guest) {
    if (values.username !== undefined || values.password !== undefined || values.passwordStdin) {
      return { ok: false, reason: '--guest logs in without an account: leave out --username and the password' };
    }
    if (values.rated)
      return { ok: false, reason: 'guests play casual games only: leave out --rated, or log in with an account' };
  }
  const plan: StartPlan =
    values.computer !== undefined
      ? { kind: 'computer', level: values.computer }
      : values.challenge !== undefined
        ? { kind: 'challenge', name: values.challenge }
        : values.join !== undefined
          ? { kind: 'join', code: values.join }
          : values.guest
            ? { kind: 'lobby' }
            : { kind: 'seek' };
  return {
    ok: true,
    value: {
      plan,
      guest: values.guest === true,
      computerColour: values.colour ?? 'black',
      choices: {
        // Against the computer the player has always been Black unless they say otherwise.
        colour: values.colour ?? (plan.kind === 'computer' ? 'black' : DEFAULT_CHOICES.colour),
        opening: values.opening ?? DEFAULT_CHOICES.opening,
        rated: values.rated === true,
      },
    },
  };
}

/** A commander argument parser from a Reading, its reason as the error. */
function parser<T>(read: (text: string) => Reading<T>): (value: string) => T {
  return (value) => {
    const reading = read(value);
    if (!reading.ok) throw new InvalidArgumentError(`${reading.reason}.`);
    return reading.value;
  };
}

/** The PlayComputer for `level`: the time control, the colour to play the computer with, --opening and --rated. */
export function playComputerMessage(
  level: number,
  timeControl: TimeControl,
  options: { readonly choices?: GameChoices | undefined; readonly computerColour?: ColourChoice | undefined },
): MessageOfType<'PlayComputer'> {
  const { opening, rated } = options.choices ?? DEFAULT_CHOICES;
  const colour = options.computerColour ?? options.choices?.colour ?? 'black';
  const { initialSeconds, incrementSeconds } = timeControl;
  return {
    type: 'PlayComputer',
    level,
    initialSeconds,
    incrementSeconds,
    rated,
    colour: colourValue(colour),
    opening: openingValue(opening),
  };
}

export function readComputerLevel(value: string): number {
  const level = parseCount(value, 1);
  if (level > 10) throw new InvalidArgumentError('expected a level from 1 to 10.');
  return level;
}

const CHOICES_FOR = 'with --computer, --challenge and the computer, challenge and invite commands';

/** Adds the play options to the client's command line. */
export function addPlayOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--computer <LEVEL>',
        'play the computer at LEVEL, 1 (easiest) to 10 (strongest), at once instead of waiting in the queue (protocol version 2)',
      ).argParser(readComputerLevel),
    )
    .option('--rated', `${CHOICES_FOR}: a rated game (your standard rating); casual otherwise`)
    .addOption(
      new Option(
        '--colour <COLOUR>',
        `${CHOICES_FOR}: the colour you play, black (moves first), white or random (default: black against the computer, random otherwise)`,
      ).argParser(parser(readColour)),
    )
    .addOption(
      new Option(
        '--opening <OPENING>',
        `${CHOICES_FOR}: standard (the usual start) or three-move (a three-move ballot the server draws)`,
      ).argParser(parser(readOpening)),
    )
    .addOption(
      new Option(
        '--challenge <NAME>',
        'challenge the player NAME, who is online, at once (protocol version 2); the client says whether they accept',
      ).argParser(parser(readPlayerName)),
    )
    .addOption(
      new Option(
        '--join <CODE|URL>',
        "join a friend's invite at once: its 32 hex digits, or its link http://HOST:PORT/invite/CODE (protocol version 2)",
      ).argParser(parser(readInviteCode)),
    )
    .option(
      '--guest',
      'log in as a guest, without an account or password: casual games against the computer or a friend',
    );
}
