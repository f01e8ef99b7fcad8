import type { Color, Position } from '../../game/position.js';
import { SQUARE_COUNT, squareNumber } from '../../game/squares.js';
import type { Move } from '../../game/standard.js';
import {
  type ArrowKey,
  bitAtCell,
  coordinateLabels,
  neighbourByArrow,
  pieceAt,
  squareLabel,
} from './board-geometry.js';
import { choosePath, pickSquare } from './path-picker.js';

/** A ply to show moving: the piece goes from `from` to `to`, and the board is then `after`. */
export interface AnimatedPly {
  readonly from: number;
  readonly to: number;
  readonly after: Position;
}

export interface BoardViewOptions {
  /** The side drawn at the bottom. */
  readonly bottom: Color;
  /** Whether the player may pick up pieces (false for replays and watching). */
  readonly interactive: boolean;
  /** Called when the squares the player clicked (or the piece dropped) settle one legal move. */
  readonly onMove?: (move: Move) => void;
  /** The board's accessible name. */
  readonly label?: string;
  readonly showNumbers?: boolean;
  /** Milliseconds per animated ply (0: none). */
  readonly animationMs?: number;
}

export interface ShowOptions {
  /** Plies to animate, one after another, from the board as it is now to `position`. */
  readonly plies?: readonly AnimatedPly[];
  /** The last ply, marked on the board. */
  readonly lastMove?: { readonly from: number; readonly to: number } | undefined;
  /** Moves the player may make now (interactive boards only): steps and whole capture paths; empty when it is not the player's turn. */
  readonly movable?: readonly Move[];
}

const DRAG_THRESHOLD_PX = 4;

/**
 * A checkers board in the DOM: 64 cells, the 32 playable ones carrying
 * `data-square` (1-32) and an aria-label, each piece `data-piece`. Shows
 * positions, animates plies one after another (skippable), and when
 * interactive lets the player move by click, drag or keyboard. The play page,
 * the replay page and the live page all use it.
 */
export class BoardView {
  readonly element: HTMLElement;
  readonly #squares: HTMLElement[] = [];
  #bottom: Color;
  #position: Position | undefined;
  #movable: readonly Move[] = [];
  #lastMove: { from: number; to: number } | undefined;
  /** Squares of a suggested move (a hint), highlighted until the next call. */
  #hint: ReadonlySet<number> = new Set();
  /** The squares clicked so far for the next move: the piece, then landings of its path. */
  #picked: number[] = [];
  #focused = -1;
  #drag:
    | {
        from: number;
        pointerId: number;
        x: number;
        y: number;
        moved: boolean;
        piece: HTMLElement;
        /** Pressed on the piece already picked: releasing without dragging puts it down. */
        wasSelected: boolean;
      }
    | undefined;
  #animation: Animation | undefined;
  #showing: Promise<void> = Promise.resolve();
  #skip = false;
  #generation = 0;

  constructor(readonly options: BoardViewOptions) {
    this.#bottom = options.bottom;
    this.element = document.createElement('div');
    this.element.className = 'board';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', options.label ?? 'Board');
    this.element.classList.toggle('show-numbers', options.showNumbers ?? false);
    this.element.classList.toggle('interactive', options.interactive);
    for (let bit = 0; bit < SQUARE_COUNT; bit++) {
      const square = document.createElement('div');
      square.className = 'square dark';
      square.dataset.square = String(squareNumber(bit));
      const number = document.createElement('span');
      number.className = 'number';
      number.textContent = String(squareNumber(bit));
      number.setAttribute('aria-hidden', 'true');
      square.append(number);
      // A read-only board's squares are pictures with a description; a playable board's are buttons.
      square.setAttribute('role', options.interactive ? 'button' : 'img');
      this.#squares.push(square);
    }
    this.#layout();
    if (options.interactive) this.#listen();
  }

  get bottom(): Color {
    return this.#bottom;
  }

  setBottom(bottom: Color): void {
    if (bottom === this.#bottom) return;
    this.#bottom = bottom;
    this.#layout();
  }

  setShowNumbers(show: boolean): void {
    this.element.classList.toggle('show-numbers', show);
  }

  /**
   * Shows `position`, after animating `plies` if any. A call while an earlier
   * one is still animating finishes that one at once.
   */
  show(position: Position | undefined, options: ShowOptions = {}): Promise<void> {
    const generation = ++this.#generation;
    this.skipAnimations();
    const previous = this.#showing;
    this.#showing = previous.then(async () => {
      this.#skip = false;
      this.#setMovable([]);
      for (const ply of options.plies ?? []) {
        if (generation !== this.#generation || this.#skip) break;
        await this.#animatePly(ply);
      }
      if (generation !== this.#generation) return;
      this.#position = position;
      this.#lastMove = options.lastMove;
      this.#render();
      this.#setMovable(options.movable ?? []);
    });
    return this.#showing;
  }

  /** Highlights the squares of a suggested move (a hint), or none. */
  setHint(move: Move | undefined): void {
    const squares = new Set(move ? [move.from, ...move.path] : []);
    if (squares.size === this.#hint.size && [...squares].every((bit) => this.#hint.has(bit))) return;
    this.#hint = squares;
    this.#render();
  }

  /** Ends running and queued animations at once (the final position is shown). */
  skipAnimations(): void {
    this.#skip = true;
    this.#animation?.finish();
  }

  get animating(): boolean {
    return this.#animation !== undefined;
  }

  #layout(): void {
    this.element.dataset.bottom = this.#bottom === 0 ? 'black' : 'white';
    const cells: HTMLElement[] = [];
    for (let row = 0; row < 8; row++) {
      for (let column = 0; column < 8; column++) {
        const bit = bitAtCell({ row, column }, this.#bottom);
        const square = bit >= 0 ? this.#squares[bit] : undefined;
        if (square) {
          cells.push(square);
        } else {
          const light = document.createElement('div');
          light.className = 'square light';
          light.setAttribute('aria-hidden', 'true');
          cells.push(light);
        }
      }
    }
    cells.forEach((cell, index) => {
      for (const old of cell.querySelectorAll('.coordinate')) old.remove();
      const labels = coordinateLabels({ row: Math.floor(index / 8), column: index % 8 }, this.#bottom);
      for (const [kind, text] of [
        ['rank', labels.rank],
        ['file', labels.file],
      ] as const) {
        if (text === undefined) continue;
        const label = document.createElement('span');
        label.className = `coordinate ${kind}`;
        label.textContent = text;
        label.setAttribute('aria-hidden', 'true');
        cell.append(label);
      }
    });
    this.element.replaceChildren(...cells);
    this.#render();
  }

  #render(): void {
    const picked = this.#picked;
    const targets = picked.length === 0 ? new Set<number>() : choosePath(this.#movable, picked).targets;
    const movers = new Set(this.#movable.map((move) => move.from));
    const selected = picked[0];
    const landings = new Set(picked.slice(1));
    this.#squares.forEach((square, bit) => {
      const name = this.#position ? pieceAt(this.#position, bit) : undefined;
      let piece = square.querySelector<HTMLElement>('.piece');
      if (name && !piece) {
        piece = document.createElement('span');
        piece.className = 'piece';
        square.append(piece);
      }
      if (piece && !name) piece.remove();
      if (piece && name && piece.dataset.piece !== name) piece.dataset.piece = name;
      const notes: string[] = [];
      const flag = (className: string, on: boolean, note?: string) => {
        square.classList.toggle(className, on);
        if (on && note) notes.push(note);
      };
      flag('movable', movers.has(bit), 'can move');
      flag('selected', selected === bit, 'selected');
      flag('path-step', landings.has(bit), 'on the chosen path');
      flag('target', targets.has(bit), picked.length > 1 ? 'the capture can go on here' : 'legal destination');
      flag('last-from', this.#lastMove?.from === bit, 'last move from here');
      flag('last-to', this.#lastMove?.to === bit, 'last move to here');
      flag('hint', this.#hint.has(bit), 'the hint');
      square.setAttribute('aria-label', squareLabel(this.#position, bit, notes));
      if (this.options.interactive) {
        square.tabIndex = bit === this.#focusBit() ? 0 : -1;
        const pressed = selected === bit || landings.has(bit);
        if (square.hasAttribute('aria-pressed') || pressed) square.setAttribute('aria-pressed', String(pressed));
      }
    });
  }

  /** The square that takes the tab stop: the focused one, else the first that can move, else square 1's. */
  #focusBit(): number {
    if (this.#focused >= 0) return this.#focused;
    const first = this.#movable[0]?.from;
    return first ?? screenBottomLeft(this.#bottom);
  }

  #setMovable(moves: readonly Move[]): void {
    this.#movable = moves;
    // A new set of moves (a new turn, or none) starts the choice afresh.
    this.#picked = [];
    this.element.classList.toggle('your-turn', moves.length > 0);
    this.#render();
  }

  async #animatePly(ply: AnimatedPly): Promise<void> {
    const fromSquare = this.#squares[ply.from];
    const toSquare = this.#squares[ply.to];
    const duration = this.options.animationMs ?? 300;
    this.#position = ply.after;
    this.#lastMove = { from: ply.from, to: ply.to };
    this.#render();
    const piece = toSquare?.querySelector<HTMLElement>('.piece');
    if (!fromSquare || !toSquare || !piece || duration <= 0 || typeof piece.animate !== 'function') return;
    const a = fromSquare.getBoundingClientRect();
    const b = toSquare.getBoundingClientRect();
    const animation = piece.animate(
      [{ transform: `translate(${a.left - b.left}px, ${a.top - b.top}px)` }, { transform: 'translate(0, 0)' }],
      { duration, easing: 'ease-in-out' },
    );
    this.#animation = animation;
    this.element.classList.add('animating');
    try {
      await animation.finished;
    } catch {
      // Cancelled: the position is already drawn.
    } finally {
      this.#animation = undefined;
      this.element.classList.remove('animating');
    }
  }

  #listen(): void {
    this.element.addEventListener('pointerdown', (event) => this.#pointerDown(event));
    this.element.addEventListener('pointermove', (event) => this.#pointerMove(event));
    this.element.addEventListener('pointerup', (event) => this.#pointerUp(event));
    this.element.addEventListener('pointercancel', () => this.#endDrag());
    this.element.addEventListener('keydown', (event) => this.#keyDown(event));
    this.element.addEventListener('focusin', (event) => {
      const bit = this.#bitOf(event.target);
      if (bit !== undefined) this.#focused = bit;
    });
  }

  #bitOf(target: EventTarget | null): number | undefined {
    const square = target instanceof Element ? target.closest<HTMLElement>('[data-square]') : null;
    return square?.dataset.square ? Number(square.dataset.square) - 1 : undefined;
  }

  /**
   * A click, tap or key on a square: pick up a piece that can move, add the
   * next landing of its path, or put it down; plays the move once the
   * squares settle one.
   */
  #choose(bit: number): 'picked' | 'moved' | 'none' {
    const picked = pickSquare(this.#movable, this.#picked, bit);
    const complete = picked.length >= 2 ? choosePath(this.#movable, picked).complete : undefined;
    this.#picked = complete ? [] : picked;
    this.#render();
    if (complete) {
      this.options.onMove?.(complete);
      return 'moved';
    }
    return picked.length > 0 ? 'picked' : 'none';
  }

  #pointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    if (this.#animation) {
      this.skipAnimations();
      return;
    }
    const bit = this.#bitOf(event.target);
    if (bit === undefined) return;
    const wasSelected = this.#picked.length === 1 && this.#picked[0] === bit;
    const result = this.#choose(bit);
    const piece = this.#squares[bit]?.querySelector<HTMLElement>('.piece');
    const pickedUp = result === 'picked' && this.#picked.length === 1;
    if (piece && (pickedUp || wasSelected) && this.#movable.some((move) => move.from === bit)) {
      this.#picked = [bit];
      this.#render();
      this.#drag = {
        from: bit,
        pointerId: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        moved: false,
        piece,
        wasSelected,
      };
      this.element.setPointerCapture?.(event.pointerId);
      event.preventDefault();
    }
  }

  #pointerMove(event: PointerEvent): void {
    const drag = this.#drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
    drag.moved = true;
    drag.piece.classList.add('dragging');
    drag.piece.style.transform = `translate(${dx}px, ${dy}px)`;
  }

  #pointerUp(event: PointerEvent): void {
    const drag = this.#drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    this.#endDrag();
    if (!drag.moved) {
      if (drag.wasSelected) {
        this.#picked = [];
        this.#render();
      }
      return;
    }
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const bit = this.#bitOf(under);
    if (bit !== undefined && bit !== drag.from) this.#choose(bit);
  }

  #endDrag(): void {
    const drag = this.#drag;
    if (!drag) return;
    this.#drag = undefined;
    drag.piece.classList.remove('dragging');
    drag.piece.style.transform = '';
  }

  #keyDown(event: KeyboardEvent): void {
    const bit = this.#bitOf(event.target);
    if (bit === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (this.#animation) this.skipAnimations();
      else this.#choose(bit);
      return;
    }
    if (event.key === 'Escape') {
      this.#picked = [];
      this.#render();
      return;
    }
    if (event.key.startsWith('Arrow')) {
      event.preventDefault();
      const next = neighbourByArrow(bit, event.key as ArrowKey, this.#bottom);
      this.#focused = next;
      this.#render();
      this.#squares[next]?.focus();
    }
  }
}

function screenBottomLeft(bottom: Color): number {
  return bitAtCell({ row: 7, column: 0 }, bottom);
}
