import { element } from '../shell/shell.js';
import { endingText, type GameSummary } from './api.js';

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
    const change = side === '' ? '' : ratingChange(side === 'black' ? game.black : game.white);
    return element(
      'tr',
      {},
      element('td', {}, element('a', { href: `/games/${game.id}` }, `#${game.id}`)),
      element('td', {}, playerLink(game.black.name)),
      element('td', {}, playerLink(game.white.name)),
      element('td', { title: endingText(game) }, outcome),
      element('td', {}, change),
      element('td', {}, String(game.plies)),
      element('td', {}, new Date(game.endedAt).toLocaleString()),
    );
  });
  const head = element(
    'tr',
    {},
    ...['Game', 'Black', 'White', 'Result', 'Rating', 'Turns', 'Ended'].map((label) =>
      element('th', { scope: 'col' }, label),
    ),
  );
  return element('table', { className: 'table results' }, element('thead', {}, head), element('tbody', {}, ...rows));
}

function ratingChange(side: { ratingBefore: number; ratingAfter: number }): string {
  const delta = side.ratingAfter - side.ratingBefore;
  return `${side.ratingAfter} (${delta >= 0 ? '+' : ''}${delta})`;
}

export function playerLink(name: string): HTMLAnchorElement {
  return element('a', { href: `/players/${encodeURIComponent(name)}` }, name);
}
