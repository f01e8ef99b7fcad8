import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';

/** `/rules`: the rules of English draughts as this server referees them, and the older flow version-1 clients play. */
export function rulesRoute(): Route {
  return {
    pattern: '/rules',
    nav: 'Rules',
    title: 'Rules',
    render(main) {
      main.append(rulesPage());
      return undefined;
    },
  };
}

function section(heading: string, ...items: Array<HTMLElement>): HTMLElement {
  return element('section', { 'aria-label': heading }, element('h2', {}, heading), ...items);
}

function list(...items: string[]): HTMLElement {
  return element('ul', {}, ...items.map((text) => element('li', {}, text)));
}

function rulesPage(): HTMLElement {
  return element(
    'article',
    { className: 'rules-page' },
    element('h1', {}, 'Rules of checkers'),
    element(
      'p',
      {},
      'Checkers here is English draughts (American checkers): two players, twelve pieces each, on the dark squares of an 8×8 board. ',
      'Black moves first.',
    ),
    section(
      'Moving',
      list(
        'A man moves one square diagonally forward, onto an empty square.',
        'A king moves one square diagonally forward or backward.',
        'Squares are numbered 1 to 32; a move is written from-to, such as 11-15, and a capture with x, such as 22x15 or 13x22x31 for two jumps in one move.',
      ),
    ),
    section(
      'Capturing',
      list(
        'A piece captures by jumping over an opposing piece diagonally next to it onto the empty square just beyond; the jumped piece is removed.',
        'Capturing is compulsory: if you can capture, you must. When several captures are possible, you choose which one.',
        'After a jump, the same piece must jump again if it can, in the same move; you choose the path when there are several.',
        'A man that reaches the far row becomes a king, and that ends its move, even if it could jump on as a king.',
      ),
    ),
    section(
      'How a game ends',
      list(
        'You win when your opponent has no pieces left or cannot move on their turn, when they resign, when their clock runs out, or when they leave the game and do not come back.',
        'The game is a draw when both players agree to it, when the same position occurs for the third time with the same player to move, or when forty moves each have passed with no capture and no man moved (the forty-move rule).',
        'Running out of time always loses: in checkers any piece left can still win, so there is no draw for lack of material.',
      ),
    ),
    section(
      'Older clients (protocol version 1)',
      element(
        'p',
        {},
        'Clients written for the first version of the protocol play a simpler flow, and this server still serves them: ',
        'the players only ever send single steps, and the server plays every capture for the player whose turn it is, choosing at random when there are several. ',
        'Such players meet only each other and have their own rating; version-1 games are shown on their replay pages with the captures the server made.',
      ),
    ),
  );
}
