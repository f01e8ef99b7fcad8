import type { Profile, RulesRecord } from '../../common/api-types.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { ApiError, getJson } from './api.js';
import { playerApiPath, shownName } from './player-name.js';
import { chartGeometry } from './rating-chart.js';
import { resultsTable } from './results-table.js';

const SVG = 'http://www.w3.org/2000/svg';
const CHART_WIDTH = 640;
const CHART_HEIGHT = 240;

/** `/players/NAME`: the profile, the rating-history chart (SVG) and the recent results. */
export function playerRoute(): Route {
  return {
    pattern: '/players/:name',
    title: (params) => shownName(params.name ?? 'Player'),
    render: (main, { params }) => renderPlayer(main, params.name ?? ''),
  };
}

/** `/players?name=NAME`: the same page for the names no path can carry ("." and ".."). */
export function playerByQueryRoute(): Route {
  const name = () => new URLSearchParams(location.search).get('name') ?? '';
  return {
    pattern: '/players',
    title: () => shownName(name() || 'Player'),
    render: (main) => renderPlayer(main, name()),
  };
}

function renderPlayer(main: HTMLElement, name: string): undefined {
  const page = element(
    'div',
    { className: 'community player-page' },
    element('h1', { className: 'player-name' }, shownName(name)),
  );
  const status = element('p', { className: 'muted', role: 'status' }, 'Loading…');
  page.append(status);
  main.append(page);
  getJson<Profile>(playerApiPath(name)).then(
    (profile) => {
      status.remove();
      page.replaceChildren(...profileView(profile));
    },
    (error: unknown) => {
      status.textContent =
        error instanceof ApiError && error.status === 404
          ? `There is no player named ${shownName(name)}.`
          : `The player could not be loaded: ${(error as Error).message}`;
    },
  );
  return undefined;
}

function profileView(profile: Profile): Node[] {
  const rating = (record: RulesRecord) =>
    `${record.rating} ± ${record.deviation} (${record.rank === null ? 'provisional' : `rank ${record.rank}`})`;
  const results = (record: RulesRecord) =>
    `${gamesText(record.games)}: ${record.wins} / ${record.losses} / ${record.draws}`;
  const { standard } = profile;
  const facts = profile.guest
    ? element(
        'p',
        { className: 'guest-note' },
        element('span', { className: 'guest-mark' }, 'guest'),
        ' A visitor who played without an account: casual games only, no rating.',
      )
    : element(
        'dl',
        { className: 'facts' },
        ...[
          ['Rating', rating(profile)],
          ['Games', String(profile.games)],
          ['Won / lost / drawn', `${profile.wins} / ${profile.losses} / ${profile.draws}`],
          ['Standard rating', rating(standard)],
          ['Standard won / lost / drawn', results(standard)],
        ].flatMap(([term, value]) => [element('dt', {}, term ?? ''), element('dd', {}, value ?? '')]),
      );
  const chart =
    profile.history.length === 0
      ? element('p', { className: 'muted' }, 'No rated game yet.')
      : ratingChart(profile.history, 'Rating');
  // The standard rating's chart once there is one: most players have only one kind of game.
  const standardChart =
    standard.history.length === 0
      ? []
      : [element('h2', {}, 'Standard rating history'), ratingChart(standard.history, 'Standard rating')];
  const recent =
    profile.recentGames.length === 0
      ? element('p', { className: 'muted' }, 'No finished game yet.')
      : resultsTable(profile.recentGames, profile.name);
  return [
    element('h1', { className: 'player-name' }, shownName(profile.name)),
    facts,
    ...(profile.guest ? [] : [element('h2', {}, 'Rating history'), chart, ...standardChart]),
    element('h2', {}, 'Recent results'),
    recent,
  ];
}

function gamesText(count: number): string {
  return `${count} game${count === 1 ? '' : 's'}`;
}

/** The rating after each rated game as a line, drawn by the client in SVG. */
function ratingChart(history: Profile['history'], label: string): SVGSVGElement {
  const geometry = chartGeometry(history, CHART_WIDTH, CHART_HEIGHT, 36);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`);
  svg.setAttribute('class', 'rating-chart');
  svg.setAttribute('role', 'img');
  const first = history[0];
  const last = history[history.length - 1];
  svg.setAttribute('aria-label', `${label} over ${gamesText(history.length)}, from ${first?.before} to ${last?.after}`);
  const add = (tag: string, attributes: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  for (const tick of geometry.ticks) {
    add('line', { x1: 36, x2: CHART_WIDTH - 36, y1: tick.y, y2: tick.y, class: 'grid' });
    add('text', { x: 4, y: tick.y + 4, class: 'axis' }, String(tick.rating));
  }
  add('path', { d: geometry.path, class: 'line', fill: 'none' });
  for (const dot of geometry.dots) {
    const circle = add('circle', { cx: dot.x, cy: dot.y, r: 3.5, class: 'dot' });
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `Game ${dot.gameId}: ${dot.rating}`;
    circle.append(title);
  }
  return svg;
}
