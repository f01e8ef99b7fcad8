import type { MoveSummary } from '../client-core/game-view.js';
import { BLACK, type Color, type Position, WHITE } from '../game/position.js';
import { bitOf, squareNumber } from '../game/squares.js';

export interface RenderStyle {
  /** ANSI colours and backgrounds; off for NO_COLOR, non-terminals and --no-color. */
  readonly color: boolean;
  /** Unicode pieces; off for --ascii or a terminal that is not UTF-8. */
  readonly unicode: boolean;
}

const RESET = '\x1b[0m';
const DARK = '\x1b[48;5;94m';
const LIGHT = '\x1b[48;5;180m';
const LAST_MOVE = '\x1b[48;5;136m';
const FORCED = '\x1b[48;5;124m';
const BLACK_PIECE = '\x1b[1;38;5;16m';
const WHITE_PIECE = '\x1b[1;38;5;231m';
const NUMBER = '\x1b[38;5;180m';

function pieceGlyph(color: Color, king: boolean, style: RenderStyle): string {
  if (style.unicode) return color === BLACK ? (king ? '♚' : '●') : king ? '♔' : '○';
  return color === BLACK ? (king ? 'B' : 'b') : king ? 'W' : 'w';
}

export function pieceLegend(color: Color, style: RenderStyle): string {
  return `${pieceGlyph(color, false, style)} men, ${pieceGlyph(color, true, style)} kings`;
}

/**
 * The board with the viewer's side at the bottom (Black sees it turned
 * half round), ranks 1-8 and files a-h at the edges, square numbers 1-32 on
 * empty dark squares, the last move and the forced jumps highlighted.
 */
export function renderBoard(
  position: Position,
  viewer: Color,
  highlights: { readonly lastMove?: MoveSummary | undefined; readonly forced: readonly MoveSummary[] },
  style: RenderStyle,
): string[] {
  const ys = viewer === BLACK ? [0, 1, 2, 3, 4, 5, 6, 7] : [7, 6, 5, 4, 3, 2, 1, 0];
  const xs = viewer === BLACK ? [7, 6, 5, 4, 3, 2, 1, 0] : [0, 1, 2, 3, 4, 5, 6, 7];
  const forced = new Set(highlights.forced.flatMap((move) => [move.from, move.to]));
  const last = new Set(highlights.lastMove ? [highlights.lastMove.from, highlights.lastMove.to] : []);
  const lines: string[] = [];
  for (const y of ys) {
    let line = ` ${y + 1} `;
    for (const x of xs) {
      const bit = bitOf(x, y);
      line += cell(position, bit, forced.has(bit) ? 'forced' : last.has(bit) ? 'last' : undefined, style);
    }
    lines.push(line);
  }
  lines.push(`   ${xs.map((x) => ` ${String.fromCharCode(97 + x)}  `).join('')}`.trimEnd());
  return lines;
}

function cell(position: Position, bit: number, mark: 'forced' | 'last' | undefined, style: RenderStyle): string {
  let content = '  ';
  let foreground = '';
  if (bit >= 0) {
    const mask = (1 << bit) >>> 0;
    if (position.black & mask || position.white & mask) {
      const color: Color = position.black & mask ? BLACK : WHITE;
      content = `${pieceGlyph(color, (position.kings & mask) !== 0, style)} `;
      foreground = color === BLACK ? BLACK_PIECE : WHITE_PIECE;
    } else {
      content = String(squareNumber(bit)).padStart(2);
      foreground = NUMBER;
    }
  }
  if (!style.color) return mark ? `[${content}]` : ` ${content} `;
  const background = mark === 'forced' ? FORCED : mark === 'last' ? LAST_MOVE : bit >= 0 ? DARK : LIGHT;
  return `${background}${foreground} ${content} ${RESET}`;
}
