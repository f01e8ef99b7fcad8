import type { Move } from '../../game/standard.js';
import { InvalidLoginReason } from '../../protocol/index.js';
import { isGuestName } from '../community/player-name.js';
import { pathText } from './path-text.js';
import { loginRefusalSentence } from './play-session.js';
import type { PathPly, StandardGame } from './standard-game.js';
import type { StandardLinkEvents } from './standard-link.js';
import { timeControlName } from './time-controls.js';

/** The status line's sentences for a version-2 game, pure. */

/** Whose move it is, and the captures the player must choose from. */
export function turnWords(game: StandardGame): string {
  if (!game.myTurn) return `${game.facts.opponent}'s move.`;
  const captures = game.legalMoves().filter((move) => move.captured !== 0);
  if (captures.length === 1) return `Your move: you must capture (${pathText(captures[0] as Move)}).`;
  if (captures.length > 1) {
    const shown = captures.slice(0, 4).map(pathText).join(', ');
    return `Your move: you must capture, and you choose which (${shown}${captures.length > 4 ? ', …' : ''}).`;
  }
  return 'Your move.';
}

/** "jen played 11-15. " for the plies just shown. */
export function playedWords(plies: readonly PathPly[], game: StandardGame): string {
  const first = plies[0];
  const last = game.record.at(-1);
  if (!first || !last) return '';
  return first.color === game.color ? `You played ${last.text}. ` : `${game.facts.opponent} played ${last.text}. `;
}

/** Why the server refused a move (IllegalMove's reason). */
export function refusalWords(path: readonly number[], reason: number): string {
  const why =
    reason === 1
      ? 'a capture is compulsory'
      : reason === 2
        ? 'the capture can go on: play the whole path'
        : 'it is not a legal move here';
  return `The server refused ${path.join('-')}: ${why}. It is still your move.`;
}

/** The first line of a game: whom against, the clock, and who moves first. */
export function gameStartWords(
  start: Parameters<StandardLinkEvents['gameStart']>[0],
  rematch: boolean,
  resumed: boolean,
): string {
  if (resumed) return `Back in your game against ${start.opponent}.`;
  const first = start.color === 0 ? 'You play Black and move first.' : `You play White; ${start.opponent} moves first.`;
  const who = isGuestName(start.opponent) ? 'a guest' : `rating ${start.opponentRating}`;
  const control = timeControlName(start.timeControl);
  return `${rematch ? 'Rematch' : 'Game'} against ${start.opponent} (${who}), ${control}${start.rated ? ', rated' : ''}. ${first}`;
}

/** InvalidLogin reason 4, the answer to Guest on a server run with `--guests off`. */
const GUESTS_NOT_ALLOWED = 4;

/** Why a login was refused, for a login with a password, a saved token, or as a guest. */
export function loginRefusalWords(kind: 'password' | 'token' | 'guest', reason: number): string {
  if (kind === 'guest' && reason === GUESTS_NOT_ALLOWED) {
    return 'This server does not let guests play: log in with an account.';
  }
  if (kind === 'token' && reason !== InvalidLoginReason.AlreadyLoggedIn) {
    return 'Your saved login is no longer valid (it expired, or the password was changed). Log in again.';
  }
  return loginRefusalSentence(reason);
}

/** InvalidVersion to a version-2 login that does not fall back to version 1. */
export function versionRefusalWords(guest: boolean, highest: number, lowest: number): string {
  if (guest && highest < 2) {
    return 'Guests need protocol version 2, which this server does not offer: log in with an account.';
  }
  return lowest <= 2 && highest >= 2
    ? 'The server refused this connection although it speaks version 2: it serves encrypted connections only. Open the page with https://.'
    : `The server speaks protocol versions ${lowest} to ${highest}, and this page needs version 2 (or 1).`;
}
