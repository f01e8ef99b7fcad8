import { type ColourChoice, colourWire, type GameChoices, type OpeningChoice, openingWire } from './game-choices.js';
import type { KeyValueStore } from './resume-token.js';

/**
 * The invite link this tab's player made, kept in sessionStorage so a reload
 * shows it again while it is valid: the server keeps an invite for its
 * maker's name across a reconnection (docs/PROTOCOL.md section 12), but
 * sends nothing about it on login. Forgotten on withdraw, expiry, any game
 * start and logout.
 */
export const KEPT_INVITE_KEY = 'checkers.invite';

export interface KeptInvite {
  readonly username: string;
  /** 32 lowercase hex digits. */
  readonly code: string;
  /** ms since the epoch, on the page's clock. */
  readonly expiresAt: number;
  readonly choices: GameChoices;
}

export function keepInvite(store: KeyValueStore, invite: KeptInvite): void {
  store.setItem(KEPT_INVITE_KEY, JSON.stringify(invite));
}

export function forgetInvite(store: KeyValueStore): void {
  store.removeItem(KEPT_INVITE_KEY);
}

/**
 * The invite kept for `username` that is still valid at `now`; an expired,
 * unreadable or another player's invite is forgotten and undefined returned.
 */
export function keptInvite(store: KeyValueStore, username: string, now: number): KeptInvite | undefined {
  const kept = readKept(store.getItem(KEPT_INVITE_KEY));
  if (kept?.username === username && kept.expiresAt > now) return kept;
  if (store.getItem(KEPT_INVITE_KEY) !== null) forgetInvite(store);
  return undefined;
}

function readKept(text: string | null): KeptInvite | undefined {
  try {
    const value = JSON.parse(text ?? 'null') as Partial<Record<keyof KeptInvite, unknown>> | null;
    if (!value || typeof value.username !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    if (typeof value.code !== 'string' || !/^[0-9a-f]{32}$/.test(value.code)) return undefined;
    const choices = value.choices as Partial<Record<keyof GameChoices, unknown>> | undefined;
    const control = choices?.control as Partial<Record<string, unknown>> | undefined;
    if (
      !choices ||
      colourWire(choices.colour as ColourChoice) < 0 ||
      openingWire(choices.opening as OpeningChoice) < 0 ||
      typeof choices.rated !== 'boolean' ||
      typeof control?.initialSeconds !== 'number' ||
      typeof control.incrementSeconds !== 'number'
    ) {
      return undefined;
    }
    return {
      username: value.username,
      code: value.code,
      expiresAt: value.expiresAt,
      choices: {
        colour: choices.colour as ColourChoice,
        opening: choices.opening as OpeningChoice,
        rated: choices.rated,
        control: { initialSeconds: control.initialSeconds, incrementSeconds: control.incrementSeconds },
      },
    };
  } catch {
    return undefined;
  }
}
