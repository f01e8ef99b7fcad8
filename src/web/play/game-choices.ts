import type { KeyValueStore } from './resume-token.js';
import type { TimeControl } from './time-controls.js';

/**
 * What a player chooses for a game against the computer or a friend (a
 * challenge or an invite link), besides the time control: the colour they
 * play, the opening and whether it is rated. Pure; the wire values are those
 * of the version-2 messages (docs/PROTOCOL.md §12).
 */
export type ColourChoice = 'black' | 'white' | 'random';
export type OpeningChoice = 'standard' | 'three-move';

export interface GameOptions {
  readonly colour: ColourChoice;
  readonly opening: OpeningChoice;
  /** Rated games need an account: a guest's are always casual. */
  readonly rated: boolean;
}

export interface GameChoices extends GameOptions {
  readonly control: TimeControl;
}

export const DEFAULT_OPTIONS: GameOptions = { colour: 'black', opening: 'standard', rated: false };
export const GAME_OPTIONS_KEY = 'checkers.game-options';

const COLOURS: readonly ColourChoice[] = ['black', 'white', 'random'];
const OPENINGS: readonly OpeningChoice[] = ['standard', 'three-move'];

export function colourWire(colour: ColourChoice): number {
  return COLOURS.indexOf(colour);
}

export function openingWire(opening: OpeningChoice): number {
  return OPENINGS.indexOf(opening);
}

export function colourOfWire(value: number): ColourChoice {
  return COLOURS[value] ?? 'random';
}

export function openingOfWire(value: number): OpeningChoice {
  return OPENINGS[value] ?? 'standard';
}

/** "Black", "White", "a colour drawn at random". */
export function colourWords(colour: ColourChoice): string {
  return colour === 'random' ? 'a colour drawn at random' : colour === 'black' ? 'Black' : 'White';
}

/** "the standard start", "a three-move ballot". */
export function openingWords(opening: OpeningChoice): string {
  return opening === 'standard' ? 'the standard start' : 'a three-move ballot';
}

/** The options kept from last time, or the defaults for what is missing or unreadable. */
export function keptOptions(store: KeyValueStore): GameOptions {
  try {
    const value = JSON.parse(store.getItem(GAME_OPTIONS_KEY) ?? 'null') as Partial<Record<string, unknown>> | null;
    if (!value || typeof value !== 'object') return DEFAULT_OPTIONS;
    return {
      colour: COLOURS.includes(value.colour as ColourChoice) ? (value.colour as ColourChoice) : DEFAULT_OPTIONS.colour,
      opening: OPENINGS.includes(value.opening as OpeningChoice)
        ? (value.opening as OpeningChoice)
        : DEFAULT_OPTIONS.opening,
      rated: value.rated === true,
    };
  } catch {
    return DEFAULT_OPTIONS;
  }
}

export function keepOptions(store: KeyValueStore, options: GameOptions): void {
  store.setItem(GAME_OPTIONS_KEY, JSON.stringify(options));
}
