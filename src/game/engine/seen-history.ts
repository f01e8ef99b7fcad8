import type { Position } from '../position.js';
import { bitCount } from '../squares.js';
import type { GameHistory } from './search.js';

/**
 * A player that sees only the boards of its own turns (the house bot gets
 * a board with each YourTurn) rebuilds the game's history from them: two
 * plies pass between its turns, its move and the reply. With the same
 * number of pieces, a man that moved (or was crowned) resets the 40-move
 * count, and the board between the two moves is its pieces now and the
 * opponent's before; after a capture the count restarts (at most one ply
 * short, when its capture came first and the reply was a king's step).
 */
export class SeenHistory {
  #last: Position | undefined;
  #history: GameHistory = { quietPlies: 0, positions: [] };

  /** The history before `board`, a board at this player's turn; the same board again (a refused move) changes nothing. */
  observe(board: Position): GameHistory {
    const last = this.#last;
    if (last && sameBoard(last, board)) return this.#history;
    this.#last = board;
    if (!last || last.turn !== board.turn || pieces(last) !== pieces(board)) {
      this.#history = { quietPlies: 0, positions: [] };
      return this.#history;
    }
    const mine = board.turn === 0 ? 'black' : 'white';
    const theirs = board.turn === 0 ? 'white' : 'black';
    const men = (position: Position, side: 'black' | 'white') => position[side] & ~position.kings;
    const between: Position = {
      black: mine === 'black' ? board.black : last.black,
      white: mine === 'white' ? board.white : last.white,
      kings: ((board[mine] & board.kings) | (last[theirs] & last.kings)) >>> 0,
      turn: board.turn === 0 ? 1 : 0,
    };
    const earlier = this.#history.positions ?? [];
    if (men(last, theirs) !== men(board, theirs)) {
      this.#history = { quietPlies: 0, positions: [] };
    } else if (men(last, mine) !== men(board, mine)) {
      this.#history = { quietPlies: 1, positions: [between] };
    } else {
      this.#history = { quietPlies: this.#history.quietPlies + 2, positions: [...earlier, last, between] };
    }
    return this.#history;
  }
}

function pieces(position: Position): number {
  return bitCount(position.black) + bitCount(position.white);
}

function sameBoard(a: Position, b: Position): boolean {
  return a.black === b.black && a.white === b.white && a.kings === b.kings && a.turn === b.turn;
}
