import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { getJson, type StandingsPage } from './api.js';

const PAGE_SIZE = 50;

/** `/standings`: the ranked players, then the provisional ones, each list paged. */
export function standingsRoute(): Route {
  return {
    pattern: '/standings',
    nav: 'Standings',
    title: 'Standings',
    render(main) {
      const page = element('div', { className: 'community standings' }, element('h1', {}, 'Standings'));
      const rule = element('p', { className: 'muted' });
      const ranked = new StandingsTable('ranked', 'Ranked players');
      const provisional = new StandingsTable('provisional', 'Provisional players');
      page.append(rule, ranked.element, provisional.element);
      main.append(page);
      void ranked.load(0).then((first) => {
        if (first) {
          rule.textContent = `Ranked: at least ${first.rule.minGames} games and a rating deviation of ${first.rule.maxDeviation} or less. Everyone else is provisional until then.`;
        }
      });
      void provisional.load(0);
      return undefined;
    },
  };
}

class StandingsTable {
  readonly element: HTMLElement;
  readonly #body = element('tbody');
  readonly #pager = element('div', { className: 'pager' });
  readonly #message = element('p', { className: 'muted', role: 'status' });

  constructor(
    private readonly list: 'ranked' | 'provisional',
    heading: string,
  ) {
    const head = element(
      'tr',
      {},
      ...['#', 'Player', 'Rating', '±', 'Games', 'W', 'L', 'D'].map((label) => element('th', { scope: 'col' }, label)),
    );
    this.element = element(
      'section',
      { className: `standings-${list}`, 'aria-label': heading },
      element('h2', {}, heading),
      element('table', { className: 'table' }, element('thead', {}, head), this.#body),
      this.#message,
      this.#pager,
    );
  }

  async load(offset: number): Promise<StandingsPage | undefined> {
    let page: StandingsPage;
    try {
      page = await getJson<StandingsPage>(`/api/leaderboard?list=${this.list}&limit=${PAGE_SIZE}&offset=${offset}`);
    } catch (error) {
      this.#message.textContent = `The standings could not be loaded: ${(error as Error).message}`;
      return undefined;
    }
    this.#body.replaceChildren(
      ...page.players.map((player) =>
        element(
          'tr',
          {},
          element('td', {}, String(player.rank)),
          element('td', {}, element('a', { href: `/players/${encodeURIComponent(player.name)}` }, player.name)),
          element('td', {}, String(player.rating)),
          element('td', {}, String(player.deviation)),
          element('td', {}, String(player.games)),
          element('td', {}, String(player.wins)),
          element('td', {}, String(player.losses)),
          element('td', {}, String(player.draws)),
        ),
      ),
    );
    this.#message.textContent = page.total === 0 ? 'Nobody yet.' : '';
    this.#pager.replaceChildren();
    if (offset > 0) this.#pager.append(this.#button('Previous', Math.max(0, offset - PAGE_SIZE)));
    if (offset + page.players.length < page.total) this.#pager.append(this.#button('Next', offset + PAGE_SIZE));
    return page;
  }

  #button(label: string, offset: number): HTMLButtonElement {
    const button = element('button', { type: 'button', className: 'secondary' }, label);
    button.addEventListener('click', () => void this.load(offset));
    return button;
  }
}
