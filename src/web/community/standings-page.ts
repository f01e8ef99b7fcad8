import type { Rules, StandingsList, StandingsPage } from '../../common/api-types.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { getJson } from './api.js';
import { dataTable, playerLink } from './results-table.js';

const PAGE_SIZE = 50;

const RULES_CHOICES: ReadonlyArray<readonly [Rules, string]> = [
  ['v1', 'Version 1'],
  ['standard', 'Standard rules'],
];

/**
 * `/standings` (`?rules=standard` for the standard rating): the ranked
 * players, then the provisional ones, each list paged; a choice between the
 * two ratings (version-1 games and standard-rules games are rated apart).
 */
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
      const buttons = RULES_CHOICES.map(([rules, label]) => {
        const button = element('button', { type: 'button', className: 'secondary' }, label);
        button.dataset.rules = rules;
        button.addEventListener('click', () => show(rules));
        return button;
      });
      const choice = element('div', { className: 'rules-choice', role: 'group', 'aria-label': 'Rating' }, ...buttons);
      const show = (rules: Rules) => {
        for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.rules === rules));
        history.replaceState(history.state, '', rules === 'v1' ? '/standings' : `/standings?rules=${rules}`);
        void ranked.load(0, rules).then((first) => {
          if (first) {
            rule.textContent = `Ranked: at least ${first.rule.minGames} games and a rating deviation of ${first.rule.maxDeviation} or less. Everyone else is provisional until then.`;
          }
        });
        void provisional.load(0, rules);
      };
      page.append(choice, rule, ranked.element, provisional.element);
      main.append(page);
      show(new URLSearchParams(location.search).get('rules') === 'standard' ? 'standard' : 'v1');
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
    private readonly list: StandingsList,
    heading: string,
  ) {
    this.element = element(
      'section',
      { className: `standings-${list}`, 'aria-label': heading },
      element('h2', {}, heading),
      dataTable('table', ['#', 'Player', 'Rating', '±', 'Games', 'W', 'L', 'D'], this.#body),
      this.#message,
      this.#pager,
    );
  }

  #rules: Rules = 'v1';

  async load(offset: number, rules: Rules = this.#rules): Promise<StandingsPage | undefined> {
    this.#rules = rules;
    let page: StandingsPage;
    try {
      page = await getJson<StandingsPage>(
        `/api/leaderboard?list=${this.list}&rules=${rules}&limit=${PAGE_SIZE}&offset=${offset}`,
      );
    } catch (error) {
      this.#message.textContent = `The standings could not be loaded: ${(error as Error).message}`;
      return undefined;
    }
    // Another rating was chosen while this one loaded: its answer is the one to show.
    if (rules !== this.#rules) return undefined;
    this.#body.replaceChildren(
      ...page.players.map((player) =>
        element(
          'tr',
          {},
          element('td', {}, String(player.rank)),
          element('td', {}, playerLink(player.name)),
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
