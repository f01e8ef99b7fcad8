import { type LiveList, WATCH_CLOSE, type WatchMessage } from '../../common/api-types.js';
import { BLACK, type Position } from '../../game/position.js';
import { BoardView } from '../board/board-view.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { endingText, getJson } from './api.js';
import { replayMoves } from './replay.js';
import { dataTable, playerLink, ratingBeside } from './results-table.js';

const REFRESH_MS = 5000;

/** `/live`: the games in progress, refreshed every few seconds, each with a link to watch it. */
export function liveRoute(): Route {
  return {
    pattern: '/live',
    nav: 'Live',
    title: 'Live games',
    render(main) {
      const body = element('tbody');
      const message = element('p', { className: 'muted', role: 'status' }, 'Loading…');
      main.append(
        element(
          'div',
          { className: 'community live-page' },
          element('h1', {}, 'Games in progress'),
          dataTable('table live-games', ['Black', 'White', 'Move', 'To play', ''], body),
          message,
        ),
      );
      const load = () =>
        getJson<LiveList>('/api/live?limit=100').then(
          (list) => {
            message.textContent = list.total === 0 ? 'No game is being played right now.' : '';
            body.replaceChildren(
              ...list.games.map((game) =>
                element(
                  'tr',
                  { 'data-game': game.id },
                  element('td', {}, playerLink(game.black.name, game.black.guest), ratingBeside(game.black)),
                  element('td', {}, playerLink(game.white.name, game.white.guest), ratingBeside(game.white)),
                  element('td', {}, String(game.moveNumber)),
                  element('td', {}, game.turn === 'black' ? 'Black' : 'White'),
                  element('td', {}, element('a', { href: `/live/${game.id}` }, 'Watch')),
                ),
              ),
            );
          },
          (error: unknown) => {
            message.textContent = `The games could not be loaded: ${(error as Error).message}`;
          },
        );
      void load();
      const timer = window.setInterval(() => void load(), REFRESH_MS);
      return () => window.clearInterval(timer);
    },
  };
}

/** `/live/ID`: one game in progress, its board updated turn by turn from the read-only feed /watch/ID. */
export function watchRoute(): Route {
  return {
    pattern: '/live/:id',
    title: (params) => `Watching game ${params.id ?? ''}`,
    render(main, { params }) {
      const id = params.id ?? '';
      const board = new BoardView({ bottom: BLACK, interactive: false, label: 'Live board', animationMs: 200 });
      const heading = element('h1', {}, `Game ${id}`);
      const players = element('p', { className: 'players' });
      const status = element('p', { className: 'status', role: 'status', id: 'watch-status' }, 'Connecting…');
      const moveList = element('ol', { className: 'moves', 'aria-label': 'Moves' });
      main.append(
        element(
          'div',
          { className: 'community watch-page' },
          heading,
          players,
          element(
            'div',
            { className: 'game' },
            element('div', { className: 'board-column' }, board.element, status),
            element('div', { className: 'side' }, moveList),
          ),
        ),
      );
      const moves: string[] = [];
      let position: Position | undefined;
      let ended = false;
      const addMoves = (added: readonly string[], animate: boolean) => {
        const replay = replayMoves(added, position);
        for (const turn of replay.turns) moves.push(turn.text);
        const last = replay.turns[replay.turns.length - 1];
        if (last) position = last.after;
        if (!replay.ok) status.textContent = `The feed sent a move this page cannot follow: ${replay.problem}`;
        void board.show(position, {
          ...(animate
            ? { plies: replay.turns.map((turn) => ({ from: turn.from, to: turn.to, after: turn.after })) }
            : {}),
          lastMove: last ? { from: last.from, to: last.to } : undefined,
        });
        // One item per full move (Black's turn, then White's): the list itself numbers them.
        const fullMoves: HTMLElement[] = [];
        moves.forEach((text, index) => {
          const ply = element('span', { 'data-ply': index + 1 }, text);
          if (index % 2 === 0) fullMoves.push(element('li', {}, ply));
          else fullMoves[fullMoves.length - 1]?.append(' ', ply);
        });
        moveList.replaceChildren(...fullMoves);
      };
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const socket = new WebSocket(`${scheme}://${location.host}/watch/${encodeURIComponent(id)}`);
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as WatchMessage;
        if (message.type === 'game') {
          players.replaceChildren(
            playerLink(message.black.name, message.black.guest),
            ` (Black${ratingBeside(message.black, ', ')}) against `,
            playerLink(message.white.name, message.white.guest),
            ` (White${ratingBeside(message.white, ', ')})`,
          );
          position = undefined;
          moves.length = 0;
          addMoves(message.moves, false);
        } else {
          addMoves(message.moves, true);
        }
        if (message.type === 'over') {
          ended = true;
          status.replaceChildren(
            `${endingText(message)}. `,
            element('a', { href: `/games/${message.gameId}` }, 'Replay the game'),
          );
        } else {
          status.textContent = `Turn ${moves.length}: ${moves.length % 2 === 0 ? 'Black' : 'White'} to play`;
        }
      });
      socket.addEventListener('close', (event) => {
        if (ended) return;
        status.textContent =
          event.code === WATCH_CLOSE.noSuchGame
            ? 'This game is not in progress (it may have ended).'
            : event.code === WATCH_CLOSE.tooMany
              ? `Too many watchers: ${event.reason}. Try again later.`
              : 'The connection to the game was lost.';
      });
      return () => {
        socket.close();
        board.skipAnimations();
      };
    },
  };
}
