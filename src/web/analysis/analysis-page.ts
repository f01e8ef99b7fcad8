import type { Evaluation } from '../../game/engine/analysis.js';
import { fenOf, positionFromFen } from '../../game/fen.js';
import { formatMove } from '../../game/notation.js';
import { type PdnResult, writePdn } from '../../game/pdn.js';
import { playPdnGame } from '../../game/pdn-games.js';
import { MAX_PDN_CHARACTERS, type PdnRecord, readPdn, tagValue } from '../../game/pdn-read.js';
import { BLACK, INITIAL_POSITION, movePiece, type Position, positionProblem, WHITE } from '../../game/position.js';
import { applyMove, destination, legalMoves, type Move, standardResult } from '../../game/standard.js';
import { BoardView } from '../board/board-view.js';
import { element } from '../shell/shell.js';
import { copyText } from './copy-text.js';
import { EngineClient } from './engine-client.js';
import { showEvaluation } from './evaluation-text.js';
import { addHop, nextHops } from './move-input.js';
import { cyclePiece } from './position-editor.js';

/** How long the board's engine thinks about a position, and how deep at most. */
const THINK_MS = 5000;
const THINK_DEPTH = 30;

const DEFAULT_NAMES = { event: 'Analysis', black: 'Black', white: 'White' };

interface Partial {
  readonly hops: readonly number[];
  readonly candidates: readonly Move[];
}

/**
 * The analysis board (`/analysis`, `/analysis?fen=FEN`): a position set up
 * from a FEN or imported from PDN, moves played on it by clicking (standard
 * rules), the engine's evaluation and best line live from the worker, steps
 * back and forth through the line, and the FEN and the line as PDN to copy.
 */
export class AnalysisPage {
  readonly element: HTMLElement;
  readonly #engine = new EngineClient();
  readonly #board: BoardView;
  #start: Position = INITIAL_POSITION;
  #moves: Move[] = [];
  #ply = 0;
  #partial: Partial | undefined;
  #games: readonly PdnRecord[] = [];
  /** The position being set up square by square, while editing. */
  #editing: Position | undefined;
  readonly #editButton = element('button', { type: 'button', className: 'secondary' }, 'Edit position');
  readonly #editTools = element('div', { className: 'fen-row edit-tools', hidden: true });
  readonly #sideToMove = element('select', { 'aria-label': 'Side to move' });
  /** The imported game's own names, kept in the PDN the page writes. */
  #names: { event: string; black: string; white: string } = DEFAULT_NAMES;
  readonly #status = element('p', { className: 'status', role: 'status', id: 'analysis-status' });
  readonly #problem = element('p', { className: 'error', role: 'alert', id: 'analysis-problem' });
  readonly #panel = element('section', { className: 'engine-panel', 'aria-label': 'Engine', 'data-analysis': 'idle' });
  readonly #eval = element('strong', { className: 'eval', 'data-eval': '' }, '…');
  readonly #depth = element('span', { className: 'muted' });
  readonly #best = element('strong', { className: 'best-move', 'data-best-move': '' }, '…');
  readonly #line = element('span', { className: 'best-line' });
  readonly #moveList = element('ol', { className: 'moves analysis-moves', 'aria-label': 'Moves' });
  readonly #comment = element('p', { className: 'move-comment muted', id: 'analysis-comment' });
  /** An imported game's notes: [0] before the first move, [n] after move n (its marks and comment). */
  #notes: string[] = [];
  readonly #fen = element('input', { id: 'analysis-fen', 'aria-label': 'FEN', spellcheck: 'false' });
  readonly #pdn = element('textarea', { id: 'analysis-pdn', 'aria-label': 'Line as PDN', readonly: true, rows: 6 });
  readonly #paste = element('textarea', { id: 'pdn-import', 'aria-label': 'Paste PDN', rows: 5 });
  readonly #gamePicker = element('select', { id: 'pdn-game', 'aria-label': 'Imported game', hidden: true });
  readonly #onKey = (event: KeyboardEvent) => this.#key(event);

  constructor(search: string) {
    this.#board = new BoardView({
      bottom: BLACK,
      interactive: true,
      label: 'Analysis board',
      showNumbers: true,
      animationMs: 0,
      // The board hands over a whole move once the clicked squares settle one (a capture path included).
      onMove: (move) => {
        let at = move.from;
        for (const landing of move.path) {
          this.#hop(at, landing);
          at = landing;
        }
      },
    });
    // During a capture with several paths, a click on the next landing square goes on (no need to pick the piece again).
    this.#board.element.addEventListener('click', (event) => {
      const partial = this.#partial;
      const square = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-square]') : null;
      if (this.#editing && square?.dataset.square) {
        this.#editing = cyclePiece(this.#editing, Number(square.dataset.square) - 1);
        void this.#board.show(this.#editing);
        return;
      }
      if (!partial || !square?.dataset.square) return;
      const bit = Number(square.dataset.square) - 1;
      const at = partial.hops[partial.hops.length - 1];
      if (at !== undefined && nextHops(partial.hops, partial.candidates).some((move) => move.path[0] === bit)) {
        this.#hop(at, bit);
      }
    });
    this.#panel.append(
      element('p', {}, 'Evaluation: ', this.#eval, ' ', this.#depth),
      element('p', {}, 'Best move: ', this.#best),
      element('p', {}, 'Best line: ', this.#line),
      element('p', { className: 'muted' }, '+ favours Black, − White; 1.00 is a man. Standard rules.'),
    );
    const button = (label: string, run: () => void, className = 'secondary') => {
      const node = element('button', { type: 'button', className }, label);
      node.addEventListener('click', run);
      return node;
    };
    const upload = element('input', { type: 'file', accept: '.pdn,.txt,text/plain', 'aria-label': 'Upload PDN' });
    upload.addEventListener('change', () => {
      const file = upload.files?.[0];
      if (!file) return;
      // Refused before reading it all: a database of thousands of games is not for this board.
      if (file.size > MAX_PDN_CHARACTERS * 4) {
        this.#problem.textContent = `${file.name} is too big (${Math.round(file.size / 1024)} KB); split it into smaller files`;
        return;
      }
      void file.text().then(
        (text) => this.importPdn(text),
        (error: unknown) => {
          this.#problem.textContent = `${file.name} could not be read: ${(error as Error).message}`;
        },
      );
    });
    this.#gamePicker.addEventListener('change', () => this.#loadGame(Number(this.#gamePicker.value)));
    this.#sideToMove.append(
      element('option', { value: BLACK }, 'Black to move'),
      element('option', { value: 1 }, 'White to move'),
    );
    this.#editButton.addEventListener('click', () => this.#startEditing());
    this.#editTools.append(
      this.#sideToMove,
      button('Clear board', () => {
        this.#editing = { black: 0, white: 0, kings: 0, turn: BLACK };
        void this.#board.show(this.#editing);
      }),
      button('Done', () => this.#finishEditing(), 'primary'),
    );
    this.element = element(
      'div',
      { className: 'analysis', 'data-ply': 0 },
      element('h1', {}, 'Analysis board'),
      element(
        'div',
        { className: 'game' },
        element(
          'div',
          { className: 'board-column' },
          this.#board.element,
          element(
            'div',
            { className: 'replay-controls' },
            button('« First', () => this.go(0)),
            button('‹ Back', () => this.go(this.#ply - 1)),
            button('Next ›', () => this.go(this.#ply + 1)),
            button('Last »', () => this.go(this.#moves.length)),
            button('Flip board', () => this.#board.setBottom(this.#board.bottom === BLACK ? 1 : 0)),
            this.#editButton,
          ),
          this.#editTools,
          this.#status,
          this.#problem,
        ),
        element(
          'div',
          { className: 'side' },
          this.#panel,
          this.#gamePicker,
          this.#moveList,
          this.#comment,
          element('label', { for: 'analysis-fen' }, 'FEN'),
          element(
            'div',
            { className: 'fen-row' },
            this.#fen,
            button('Set position', () => this.setFen(this.#fen.value)),
            button('Copy FEN', () => void this.#copy(this.#fen.value, 'FEN')),
            button('Start position', () => this.setFen(fenOf(INITIAL_POSITION))),
          ),
          element('label', { for: 'analysis-pdn' }, 'The line as PDN'),
          this.#pdn,
          button('Copy PDN', () => void this.#copy(this.#pdn.value, 'PDN')),
          element('h2', {}, 'Import PDN'),
          this.#paste,
          element(
            'div',
            { className: 'fen-row' },
            button('Import PDN', () => this.importPdn(this.#paste.value)),
            upload,
          ),
        ),
      ),
    );
    document.addEventListener('keydown', this.#onKey);
    const fen = new URLSearchParams(search).get('fen');
    if (fen) this.setFen(fen);
    else this.#show();
  }

  /** Sets up a position from a FEN; a bad one is refused in words and the board stays as it was. */
  setFen(text: string): void {
    try {
      this.#names = DEFAULT_NAMES;
      this.#setLine(positionFromFen(text), []);
      this.#problem.textContent = '';
    } catch (error) {
      this.#problem.textContent = `That FEN cannot be set up: ${(error as Error).message}`;
    }
  }

  /** Reads a PDN (one game or many) and shows the first; a malformed one is refused with its line and column. */
  importPdn(text: string): void {
    const reading = readPdn(text);
    if (!reading.ok) {
      const { line, column, message } = reading.problem;
      this.#problem.textContent = `The PDN cannot be read: line ${line}, column ${column}: ${message}`;
      return;
    }
    this.#games = reading.games;
    this.#gamePicker.replaceChildren(
      ...reading.games.map((game, index) =>
        element(
          'option',
          { value: index },
          `${index + 1}. ${tagValue(game, 'Black') ?? '?'} – ${tagValue(game, 'White') ?? '?'} (${game.result})`,
        ),
      ),
    );
    this.#gamePicker.hidden = reading.games.length < 2;
    this.#loadGame(0);
  }

  /** Clicks on the board now place pieces (empty, black man, black king, white man, white king in turn). */
  #startEditing(): void {
    const position = this.#positionAt(this.#ply);
    this.#editing = position;
    this.#partial = undefined;
    this.#engine.cancel();
    this.#panel.dataset.analysis = 'idle';
    // Nothing shown is about the position being set up until it is done.
    for (const field of [this.#eval, this.#best, this.#line, this.#depth]) field.textContent = '—';
    this.#eval.dataset.eval = '';
    this.#best.dataset.bestMove = '';
    this.#sideToMove.value = String(position.turn);
    this.#editTools.hidden = false;
    this.#editButton.hidden = true;
    void this.#board.show(position);
    this.#status.textContent =
      'Click a square to place a piece: black man, black king, white man, white king, empty in turn. Then Done.';
  }

  #finishEditing(): void {
    const editing = this.#editing;
    if (!editing) return;
    const position = { ...editing, turn: this.#sideToMove.value === '1' ? WHITE : BLACK } as Position;
    const problem = positionProblem(position);
    if (problem) {
      this.#problem.textContent = `That position cannot be set up: ${problem}.`;
      return;
    }
    this.#problem.textContent = '';
    this.#editing = undefined;
    this.#editTools.hidden = true;
    this.#editButton.hidden = false;
    this.#names = DEFAULT_NAMES;
    this.#setLine(position, []);
  }

  /** Shows the position after `ply` moves of the line. */
  go(ply: number): void {
    this.#ply = Math.max(0, Math.min(this.#moves.length, ply));
    this.#partial = undefined;
    this.#show();
  }

  detach(): void {
    document.removeEventListener('keydown', this.#onKey);
    this.#engine.close();
  }

  #loadGame(index: number): void {
    const record = this.#games[index];
    if (!record) return;
    const played = playPdnGame(record);
    if (!played.ok) {
      const { line, column, message } = played.problem;
      this.#problem.textContent = `Game ${index + 1} cannot be replayed: line ${line}, column ${column}: ${message}`;
      return;
    }
    this.#problem.textContent = '';
    this.#gamePicker.value = String(index);
    this.#names = {
      event: tagValue(record, 'Event') ?? DEFAULT_NAMES.event,
      black: tagValue(record, 'Black') ?? DEFAULT_NAMES.black,
      white: tagValue(record, 'White') ?? DEFAULT_NAMES.white,
    };
    const notes = [
      record.comment ?? '',
      ...record.moves.map((move) => [move.marks.join(' '), move.comment ?? ''].filter(Boolean).join(' ')),
    ];
    this.#setLine(played.game.start, [...played.game.moves], notes);
  }

  #setLine(start: Position, moves: Move[], notes: string[] = []): void {
    this.#notes = notes;
    // The side to move at the set-up position plays up the board.
    this.#board.setBottom(start.turn);
    this.#start = start;
    this.#moves = moves;
    this.#ply = 0;
    this.#partial = undefined;
    this.#show();
  }

  #positionAt(ply: number): Position {
    return this.#moves.slice(0, ply).reduce(applyMove, this.#start);
  }

  #hop(from: number, to: number): void {
    const position = this.#positionAt(this.#ply);
    const result = addHop(this.#partial?.candidates ?? legalMoves(position), this.#partial?.hops ?? [], from, to);
    if (result.kind === 'move') {
      this.#moves = [...this.#moves.slice(0, this.#ply), result.move];
      this.#notes = this.#notes.slice(0, this.#ply + 1);
      this.go(this.#ply + 1);
    } else if (result.kind === 'partial') {
      this.#partial = { hops: result.hops, candidates: result.candidates };
      const [first] = result.hops;
      const shown = movePiece(position, position.turn, first ?? from, to, 0);
      void this.#board.show(shown, { movable: nextHops(result.hops, result.candidates), lastMove: { from, to } });
      this.#status.textContent = 'Several captures go on from here: click the next square.';
    }
  }

  #show(): void {
    if (this.#editing) {
      // Stepping through the line leaves the editor without setting its position up.
      this.#editing = undefined;
      this.#editTools.hidden = true;
      this.#editButton.hidden = false;
    }
    const position = this.#positionAt(this.#ply);
    const last = this.#moves[this.#ply - 1];
    void this.#board.show(position, {
      movable: legalMoves(position),
      lastMove: last ? { from: last.from, to: destination(last) } : undefined,
    });
    this.element.dataset.ply = String(this.#ply);
    this.#fen.value = fenOf(position);
    this.#pdn.value = this.#linePdn();
    this.#renderMoves();
    this.#comment.textContent = this.#notes[this.#ply] ?? '';
    const ended = standardResult(position);
    const side = position.turn === BLACK ? 'Black' : 'White';
    this.#status.textContent = ended
      ? `${side} cannot move: ${side === 'Black' ? 'White' : 'Black'} has won.`
      : `${side} to move. Move ${this.#ply} of ${this.#moves.length} in the line.`;
    this.#analyse(position);
  }

  #analyse(position: Position): void {
    this.#panel.dataset.analysis = 'running';
    this.#depth.textContent = '';
    const fen = fenOf(position);
    if (standardResult(position)) {
      this.#engine.cancel();
      this.#showEvaluation(position, { score: -1_000_000, depth: 0, line: [], decided: true, nodes: 0 });
      this.#panel.dataset.analysis = 'done';
      return;
    }
    this.#engine
      .analyse({ fen, rules: 'standard', timeMs: THINK_MS, maxDepth: THINK_DEPTH }, (evaluation) =>
        this.#showEvaluation(position, evaluation),
      )
      .then(
        (evaluation) => {
          if (evaluation === undefined) return;
          this.#showEvaluation(position, evaluation);
          this.#panel.dataset.analysis = 'done';
        },
        (error: unknown) => {
          this.#problem.textContent = `The engine failed: ${(error as Error).message}`;
          this.#panel.dataset.analysis = 'failed';
        },
      );
  }

  #showEvaluation(position: Position, evaluation: Evaluation): void {
    const shown = showEvaluation(evaluation.score, position.turn);
    this.#eval.textContent = shown.text;
    this.#eval.dataset.eval = shown.attribute;
    this.#depth.textContent = evaluation.depth > 0 ? `(depth ${evaluation.depth})` : '';
    const best = evaluation.line[0] ?? '';
    this.#best.textContent = best || '—';
    this.#best.dataset.bestMove = best;
    this.#line.textContent = evaluation.line.join(' ') || '—';
  }

  #renderMoves(): void {
    const offset = this.#start.turn === BLACK ? 0 : 1;
    const items = this.#moves.map((move, index) => {
      const ply = index + 1;
      const number = Math.floor((index + offset) / 2) + 1;
      const label = (index + offset) % 2 === 0 ? `${number}.` : index === 0 ? `${number}…` : '';
      const node = element(
        'button',
        { type: 'button', className: `move${ply === this.#ply ? ' current' : ''}`, 'data-ply': ply },
        `${label} ${formatMove(move)}`.trim(),
      );
      if (ply === this.#ply) node.setAttribute('aria-current', 'step');
      node.addEventListener('click', () => this.go(ply));
      return element('li', {}, node);
    });
    this.#moveList.replaceChildren(...items);
  }

  /** The line from the set-up position to the position shown, as a PDN game (with SetUp and FEN when set up). */
  #linePdn(): string {
    const moves = this.#moves.slice(0, this.#ply).map(formatMove);
    const end = standardResult(this.#positionAt(this.#ply));
    const result: PdnResult = end ? (end.winner === BLACK ? '1-0' : '0-1') : '*';
    const fen = fenOf(this.#start);
    return writePdn({
      ...this.#names,
      result,
      moves,
      ...(fen === fenOf(INITIAL_POSITION) ? {} : { fen }),
    });
  }

  async #copy(text: string, what: string): Promise<void> {
    this.#status.textContent = (await copyText(text)) ? `${what} copied.` : `Select the ${what} and copy it.`;
  }

  #key(event: KeyboardEvent): void {
    const target = event.target;
    // Typing in a field, or moving the focus over the board's squares, is not stepping through the line.
    if (
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement
    )
      return;
    if (target instanceof Element && target.closest('.board')) return;
    const moves: Record<string, number> = {
      ArrowLeft: this.#ply - 1,
      ArrowRight: this.#ply + 1,
      Home: 0,
      End: this.#moves.length,
    };
    const ply = moves[event.key];
    if (ply === undefined) return;
    event.preventDefault();
    this.go(ply);
  }
}
