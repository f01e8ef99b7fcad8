import type { AnalysisRules } from '../../game/engine/analysis.js';
import { fenOf } from '../../game/fen.js';
import type { Position } from '../../game/position.js';
import { element } from '../shell/shell.js';
import { EngineClient } from './engine-client.js';
import { graphPoints } from './eval-graph.js';
import { BLUNDER_LOSS, MISTAKE_LOSS, type MoveQuality } from './evaluation-text.js';
import {
  analysisLink,
  type GamePoint,
  gamePoints,
  type MoveMark,
  markMoves,
  overAnalysis,
  type PointAnalysis,
  pointAnalysis,
  sideName,
} from './game-analysis.js';

const SVG = 'http://www.w3.org/2000/svg';
const GRAPH_WIDTH = 600;
const GRAPH_HEIGHT = 150;
/** The engine's time for a whole game, shared among its positions within these bounds (ms). */
const GAME_TIME_MS = 20_000;
const MIN_POSITION_MS = 150;
const MAX_POSITION_MS = 600;

/** What the replay page lends the analysis: its moves' buttons, and a way to show a turn. */
export interface ReplayHost {
  readonly gameId: number;
  readonly rules: AnalysisRules;
  /** The positions of the game: the start, then one after each turn. */
  readonly positions: readonly Position[];
  readonly moveButtons: readonly HTMLButtonElement[];
  go(ply: number): void;
}

interface GameResults {
  readonly filled: PointAnalysis[];
  readonly marks: MoveMark[];
}

/** Finished analyses, by game: going back to a game already analysed shows them at once (nothing is sent anywhere). */
const cache = new Map<string, GameResults>();

/**
 * The replay's "Analyse": the engine worker looks at every position of the
 * game, one after another; the page then shows each move's evaluation, marks
 * mistakes and blunders, draws the evaluation over the game, and gives the
 * best line and an "Analyse from here" link for the turn shown.
 */
export class ReplayAnalysis {
  readonly element: HTMLElement;
  readonly #engine = new EngineClient();
  readonly #points: GamePoint[];
  readonly #progress = element('p', { className: 'muted', role: 'status', id: 'analysis-progress' });
  readonly #graph = document.createElementNS(SVG, 'svg');
  readonly #eval = element('strong', { className: 'eval', 'data-eval': '' }, '…');
  readonly #line = element('span', { className: 'best-line' }, '…');
  readonly #link = element('a', { className: 'analyse-here' }, 'Analyse from here');
  #results: GameResults | undefined;
  #ply = 0;
  #closed = false;

  constructor(private readonly host: ReplayHost) {
    this.#points = gamePoints(host.positions, host.rules);
    this.#graph.setAttribute('viewBox', `0 0 ${GRAPH_WIDTH} ${GRAPH_HEIGHT}`);
    this.#graph.setAttribute('class', 'eval-graph');
    this.#graph.setAttribute('role', 'img');
    this.#graph.setAttribute('aria-label', 'Evaluation over the game (Black up, White down)');
    const rulesNote =
      host.rules === 'v1'
        ? 'A version-1 game: analysed with the version-1 search (the referee plays every jump, chosen at random among several); the referee’s jumps are not marked. "Analyse from here" opens the board with standard rules.'
        : 'Analysed with the standard rules’ search.';
    this.element = element(
      'section',
      { className: 'engine-panel replay-analysis', 'aria-label': 'Analysis', 'data-analysis': 'running' },
      element('h2', {}, 'Analysis'),
      element('p', { className: 'muted rules-note' }, rulesNote),
      this.#progress,
      this.#graph,
      element('p', {}, 'Evaluation here: ', this.#eval),
      element('p', {}, 'Best line: ', this.#line),
      element('p', {}, this.#link),
      element(
        'p',
        { className: 'muted' },
        `+ favours Black, − White; 1.00 is a man. A move that loses ${MISTAKE_LOSS / 100} of a man or more is a mistake, ${BLUNDER_LOSS / 100} or more a blunder.`,
      ),
    );
    const key = `${host.gameId}:${host.rules}:${host.positions.map(fenOf).join('|')}`;
    const cached = cache.get(key);
    if (cached) this.#finish(cached);
    else void this.#run(key);
  }

  /** The replay shows turn `ply`: its evaluation, best line and link. */
  show(ply: number): void {
    this.#ply = ply;
    const point = this.#points[ply];
    if (point) this.#link.href = analysisLink(point.position);
    const result = this.#results?.filled[ply];
    this.#eval.textContent = result?.shown.text ?? '…';
    this.#eval.dataset.eval = result?.shown.attribute ?? '';
    this.#line.textContent = result
      ? result.line.join(' ') || (point?.over ? 'the game is over' : 'the referee jumps')
      : '…';
    for (const dot of this.#graph.querySelectorAll('.dot')) {
      dot.classList.toggle('current', dot.getAttribute('data-ply') === String(ply));
    }
  }

  close(): void {
    this.#closed = true;
    this.#engine.close();
  }

  async #run(key: string): Promise<void> {
    const perPosition = Math.max(
      MIN_POSITION_MS,
      Math.min(MAX_POSITION_MS, Math.floor(GAME_TIME_MS / this.#points.length)),
    );
    const analysed: Array<PointAnalysis | undefined> = [];
    const choices = this.#points.filter((point) => point.choice).length;
    let done = 0;
    try {
      for (const point of this.#points) {
        if (this.#closed) return;
        if (point.over) {
          analysed.push(overAnalysis(point));
          continue;
        }
        if (!point.choice) {
          analysed.push(undefined);
          continue;
        }
        this.#progress.textContent = `Analysing position ${done + 1} of ${choices}…`;
        const evaluation = await this.#engine.analyse({
          fen: fenOf(point.position),
          rules: this.host.rules,
          quietPlies: point.quietPlies,
          timeMs: perPosition,
          maxDepth: 24,
        });
        if (this.#closed) return;
        analysed.push(evaluation ? pointAnalysis(point, evaluation) : undefined);
        done++;
      }
    } catch (error) {
      this.#progress.textContent = `The analysis stopped: ${(error as Error).message}`;
      this.element.dataset.analysis = 'failed';
      return;
    }
    const results = markMoves(this.#points, analysed);
    cache.set(key, results);
    this.#finish(results);
  }

  #finish(results: GameResults): void {
    this.#results = results;
    const qualities = new Map<number, MoveQuality>();
    for (const mark of results.marks) qualities.set(mark.ply, mark.quality);
    this.host.moveButtons.forEach((button, index) => {
      const ply = index + 1;
      const shown = results.filled[ply]?.shown;
      const mark = results.marks.find((candidate) => candidate.ply === ply);
      if (shown) {
        button.dataset.eval = shown.attribute;
        const note =
          mark && mark.quality !== 'good'
            ? ` (${mark.quality}: ${sideName(mark.mover)} lost ${(mark.loss / 100).toFixed(2)})`
            : '';
        button.title = `After this move: ${shown.text}${note}`;
        let label = button.nextElementSibling;
        if (!label?.classList.contains('move-eval')) {
          label = element('span', { className: 'move-eval' });
          button.after(label);
        }
        label.textContent = `${shown.text}${mark?.quality === 'blunder' ? ' ??' : mark?.quality === 'mistake' ? ' ?' : ''}`;
      }
      if (mark && mark.quality !== 'good') button.dataset.quality = mark.quality;
    });
    this.#drawGraph(results, qualities);
    const blunders = results.marks.filter((mark) => mark.quality === 'blunder').length;
    const mistakes = results.marks.filter((mark) => mark.quality === 'mistake').length;
    this.#progress.textContent = `Analysed: ${blunders} blunder${blunders === 1 ? '' : 's'}, ${mistakes} mistake${mistakes === 1 ? '' : 's'}.`;
    this.element.dataset.analysis = 'done';
    this.show(this.#ply);
  }

  #drawGraph(results: GameResults, qualities: ReadonlyMap<number, MoveQuality>): void {
    const values = this.#points.map((_, ply) => results.filled[ply]?.shown.value);
    const points = graphPoints(values, qualities, GRAPH_WIDTH, GRAPH_HEIGHT);
    const zero = document.createElementNS(SVG, 'line');
    zero.setAttribute('class', 'zero');
    zero.setAttribute('x1', '0');
    zero.setAttribute('x2', String(GRAPH_WIDTH));
    zero.setAttribute('y1', String(GRAPH_HEIGHT / 2));
    zero.setAttribute('y2', String(GRAPH_HEIGHT / 2));
    const line = document.createElementNS(SVG, 'path');
    line.setAttribute('class', 'line');
    line.setAttribute(
      'd',
      points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)} ${point.y.toFixed(1)}`).join(' '),
    );
    const dots = points.map((point) => {
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('class', `dot${point.quality && point.quality !== 'good' ? ` ${point.quality}` : ''}`);
      dot.setAttribute('cx', point.x.toFixed(1));
      dot.setAttribute('cy', point.y.toFixed(1));
      dot.setAttribute('r', point.quality && point.quality !== 'good' ? '5' : '3');
      dot.setAttribute('data-ply', String(point.ply));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `Turn ${point.ply}: ${results.filled[point.ply]?.shown.text ?? ''}`;
      dot.append(title);
      dot.setAttribute('tabindex', '0');
      dot.setAttribute('role', 'button');
      dot.setAttribute('aria-label', `Go to turn ${point.ply}: ${results.filled[point.ply]?.shown.text ?? ''}`);
      dot.addEventListener('click', () => this.host.go(point.ply));
      dot.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        event.stopPropagation();
        this.host.go(point.ply);
      });
      return dot;
    });
    this.#graph.replaceChildren(zero, line, ...dots);
  }
}
