import type { GameDetail } from '../../common/api-types.js';
import { BLACK, INITIAL_POSITION } from '../../game/position.js';
import { loadAnalysisPages } from '../analysis/load-analysis.js';
import type { ReplayAnalysis } from '../analysis/replay-analysis.js';
import { BoardView } from '../board/board-view.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { ApiError, endingText, getJson } from './api.js';
import { positionAt, type Replay, replayMoves } from './replay.js';
import { playerLink, ratingBeside } from './results-table.js';

/** `/games/ID`: a finished game replayed move by move (buttons, arrow keys, a slider, the move list), and its PDN. */
export function gameRoute(): Route {
  return {
    pattern: '/games/:id',
    title: (params) => `Game ${params.id ?? ''}`,
    render(main, { params }) {
      const id = params.id ?? '';
      const page = element('div', { className: 'community game-page' }, element('h1', {}, `Game ${id}`));
      const status = element('p', { className: 'muted', role: 'status' }, 'Loading…');
      page.append(status);
      main.append(page);
      let viewer: ReplayViewer | undefined;
      let gone = false;
      getJson<GameDetail>(`/api/games/${encodeURIComponent(id)}`).then(
        (game) => {
          if (gone) return;
          viewer = new ReplayViewer(game);
          page.replaceChildren(viewer.element);
        },
        (error: unknown) => {
          status.textContent =
            error instanceof ApiError && error.status === 404
              ? `There is no finished game ${id}.`
              : `The game could not be loaded: ${(error as Error).message}`;
        },
      );
      return () => {
        gone = true;
        viewer?.detach();
      };
    },
  };
}

class ReplayViewer {
  readonly element: HTMLElement;
  readonly #board = new BoardView({ bottom: BLACK, interactive: false, label: 'Replay board', animationMs: 150 });
  readonly #replay: Replay;
  readonly #slider: HTMLInputElement;
  readonly #status = element('p', { className: 'status', role: 'status', id: 'replay-status' });
  readonly #moveButtons: HTMLButtonElement[] = [];
  readonly #onKey = (event: KeyboardEvent) => this.#key(event);
  readonly #analyse = element('button', { type: 'button', className: 'analyse' }, 'Analyse');
  readonly #analysisSlot = element('div', { className: 'analysis-slot' });
  #analysis: ReplayAnalysis | undefined;
  #gone = false;
  #ply = 0;

  constructor(private readonly game: GameDetail) {
    this.#replay = replayMoves(game.moves);
    const last = this.#replay.turns.length;
    this.#slider = element('input', {
      type: 'range',
      id: 'replay-slider',
      min: 0,
      max: last,
      value: 0,
      'aria-label': 'Turn',
    });
    this.#slider.addEventListener('input', () => this.go(Number(this.#slider.value), false));
    const button = (label: string, text: string, target: () => number) => {
      const node = element('button', { type: 'button', className: 'secondary', 'aria-label': label }, text);
      node.addEventListener('click', () => this.go(target()));
      return node;
    };
    const controls = element(
      'div',
      { className: 'replay-controls' },
      button('First', '« First', () => 0),
      button('Previous', '‹ Back', () => this.#ply - 1),
      button('Next', 'Next ›', () => this.#ply + 1),
      button('Last', 'Last »', () => last),
      this.#slider,
    );
    const moveList = element('ol', { className: 'moves replay-moves', 'aria-label': 'Moves' });
    for (let index = 0; index < game.moves.length; index += 2) {
      const item = element('li', {});
      for (const ply of [index + 1, index + 2]) {
        const text = game.moves[ply - 1];
        if (text === undefined) continue;
        const move = element('button', { type: 'button', className: 'move', 'data-ply': ply }, text);
        move.addEventListener('click', () => this.go(ply));
        this.#moveButtons.push(move);
        item.append(move);
      }
      moveList.append(item);
    }
    const problem = this.#replay.ok
      ? []
      : [element('p', { className: 'error' }, `Replay stops early: ${this.#replay.problem}`)];
    this.element = element(
      'div',
      { className: 'replay', 'data-ply': 0 },
      element('h1', {}, `Game ${game.id}`),
      element(
        'p',
        { className: 'players' },
        playerLink(game.black.name, game.black.guest),
        ` (Black${ratingBeside({ ...game.black, rating: game.black.ratingBefore }, ', ')}) against `,
        playerLink(game.white.name, game.white.guest),
        ` (White${ratingBeside({ ...game.white, rating: game.white.ratingBefore }, ', ')}): ${endingText(game)}, ${game.result}`,
      ),
      element(
        'div',
        { className: 'game' },
        element('div', { className: 'board-column' }, this.#board.element, controls, this.#status),
        element(
          'div',
          { className: 'side' },
          moveList,
          element('a', { href: game.pdn, download: `checkers-game-${game.id}.pdn`, className: 'pdn' }, 'Download PDN'),
          element('p', {}, this.#analyse),
          this.#analysisSlot,
        ),
      ),
      ...problem,
    );
    this.#analyse.addEventListener('click', () => this.#startAnalysis());
    document.addEventListener('keydown', this.#onKey);
    this.go(0, false);
  }

  /** The engine looks at every position in a worker; its code loads only now (issue 30). */
  #startAnalysis(): void {
    this.#analyse.disabled = true;
    const positions = [INITIAL_POSITION, ...this.#replay.turns.map((turn) => turn.after)];
    loadAnalysisPages().then(
      ({ ReplayAnalysis }) => {
        if (this.#gone) return;
        this.#analysis = new ReplayAnalysis({
          gameId: this.game.id,
          rules: rulesOf(this.game),
          positions,
          moveButtons: this.#moveButtons,
          go: (ply) => this.go(ply),
        });
        this.#analysisSlot.replaceChildren(this.#analysis.element);
        this.#analyse.hidden = true;
        this.#analysis.show(this.#ply);
      },
      (error: unknown) => {
        this.#analyse.disabled = false;
        this.#analysisSlot.textContent = `The analysis could not be loaded: ${(error as Error).message}`;
      },
    );
  }

  /** Shows the board after `ply` turns (0: the start), animating a single step forward. */
  go(ply: number, animate = true): void {
    const last = this.#replay.turns.length;
    const target = Math.max(0, Math.min(last, ply));
    const turn = target > 0 ? this.#replay.turns[target - 1] : undefined;
    const forwardOne = animate && target === this.#ply + 1 && turn !== undefined;
    this.#ply = target;
    void this.#board.show(positionAt(this.#replay, target), {
      ...(forwardOne && turn ? { plies: [{ from: turn.from, to: turn.to, after: turn.after }] } : {}),
      lastMove: turn ? { from: turn.from, to: turn.to } : undefined,
    });
    this.#slider.value = String(target);
    this.element.dataset.ply = String(target);
    this.#analysis?.show(target);
    for (const button of this.#moveButtons) {
      const current = Number(button.dataset.ply) === target;
      button.classList.toggle('current', current);
      if (current) button.setAttribute('aria-current', 'step');
      else button.removeAttribute('aria-current');
    }
    this.#status.textContent =
      target === 0
        ? `Start position (${last} turns)`
        : `Turn ${target} of ${last}: ${target % 2 === 1 ? 'Black' : 'White'} played ${turn?.text}${target === last ? `. ${endingText(this.game)}` : ''}`;
  }

  detach(): void {
    this.#gone = true;
    this.#analysis?.close();
    document.removeEventListener('keydown', this.#onKey);
    this.#board.skipAnimations();
  }

  #key(event: KeyboardEvent): void {
    if (event.target instanceof HTMLInputElement && event.target !== this.#slider) return;
    if (event.target === this.#slider) return;
    const moves: Record<string, number> = {
      ArrowLeft: this.#ply - 1,
      ArrowRight: this.#ply + 1,
      Home: 0,
      End: this.#replay.turns.length,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.go(target);
  }
}

/**
 * The rules a game was played by: `standard` for version-2 games (the API
 * says so in `rules`), else version 1, whose records carry no such field.
 */
function rulesOf(game: GameDetail): 'v1' | 'standard' {
  return (game as GameDetail & { readonly rules?: string }).rules === 'standard' ? 'standard' : 'v1';
}
