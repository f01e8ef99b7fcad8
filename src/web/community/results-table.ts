import type { GameSummary } from '../../common/api-types.js';
import { element } from '../shell/shell.js';
import { endingText } from './api.js';
import { playerPath, shownName } from './player-name.js';

/** A table of finished games, each linking to its replay; seen from `player`'s side when given. */
export function resultsTable(games: readonly GameSummary[], player?: string): HTMLElement {
  const rows = games.map((game) => {
    const mine = player?.toLowerCase();
    const side =
      mine === game.black.name.toLowerCase() ? 'black' : mine === game.white.name.toLowerCase() ? 'white' : '';
    const outcome =
      side === ''
        ? game.result
        : game.winner === side
          ? 'Won'
          : game.winner === 'draw'
            ? 'Draw'
            : game.winner === 'abandoned'
              ? 'Abandoned'
              : 'Lost';
    const mySide = side === 'black' ? game.black : game.white;
    const change = side === '' || mySide.guest ? '' : ratingChange(mySide);
    return element(
      'tr',
      {},
      element('td', {}, element('a', { href: `/games/${game.id}` }, `#${game.id}`)),
      element('td', {}, playerLink(game.black.name, game.black.guest)),
      element('td', {}, playerLink(game.white.name, game.white.guest)),
      element('td', { title: endingText(game) }, outcome),
      element('td', {}, change),
      element('td', {}, String(game.plies)),
      element('td', {}, new Date(game.endedAt).toLocaleString()),
      element('td', {}, rulesLabel(game)),
    );
  });
  return dataTable(
    'table results',
    ['Game', 'Black', 'White', 'Result', 'Rating', 'Turns', 'Ended', 'Rules'],
    element('tbody', {}, ...rows),
  );
}

/** A table of the community pages: a header row of `columns`, then `body`. */
export function dataTable(className: string, columns: readonly string[], body: HTMLTableSectionElement): HTMLElement {
  const head = element('tr', {}, ...columns.map((label) => element('th', { scope: 'col' }, label)));
  return element('table', { className }, element('thead', {}, head), body);
}

/** `Version 1`, `Standard 5+3` (minutes + seconds) or `Standard, no clock`. */
export function rulesLabel(game: Pick<GameSummary, 'rules' | 'timeControl'>): string {
  if (game.rules === 'v1') return 'Version 1';
  const clock = game.timeControl;
  return clock ? `Standard ${clock.initialSeconds / 60}+${clock.incrementSeconds}` : 'Standard, no clock';
}

function ratingChange(side: { ratingBefore: number; ratingAfter: number }): string {
  const delta = side.ratingAfter - side.ratingBefore;
  return `${side.ratingAfter} (${delta >= 0 ? '+' : ''}${delta})`;
}

/** A link to the player's page; a guest's name carries a "guest" mark. */
export function playerLink(name: string, guest = false): HTMLElement {
  const link = element('a', { href: playerPath(name), className: 'player-name' }, shownName(name));
  return guest ? element('span', {}, link, ' ', element('span', { className: 'guest-mark' }, 'guest')) : link;
}

/** A rating as the pages show it beside a name: none for a guest. */
export function ratingBeside(player: { readonly rating: number; readonly guest?: true }, prefix = ' '): string {
  return player.guest ? '' : `${prefix}${player.rating}`;
}
