import type { Position } from '../../game/position.js';
import { legalMoves } from '../../game/standard.js';
import type { Path } from '../../protocol/index.js';
import type { BotThinker } from '../bot-thinker.js';
import type { PlayerLink } from '../player-link.js';
import type { GameTable } from './game-table.js';

/** A hint is the strongest level's move... */
export const HINT_LEVEL = 10;
/** ...searched for half a second at most (less while the bot's threads are busy: BotPool shares its time). */
export const HINT_BUDGET_MS = 500;

interface PendingHint {
  readonly table: GameTable;
  /** Hints asked for while this one is searched: each gets the same answer. */
  asked: number;
  cancel: () => void;
}

/**
 * Hints (Hint → HintMove): in a casual game against the computer, on the
 * player's move, the engine's best move at level 10 with a short budget,
 * searched where the house bot's moves are (its BotPool: off the event
 * loop); in any other game an empty HintMove at once. A hint still being
 * searched when its game ends, or its player leaves, is never sent (the
 * player's state may no longer allow it). The server does not store hints:
 * the client counts them (docs/PROTOCOL.md 12.7); the log says how many a
 * game had.
 */
export class HintDesk {
  readonly #pending = new Map<PlayerLink, PendingHint>();
  /** Hints given per game id, for the log at the game's end. */
  readonly #given = new Map<number, number>();
  /**
   * Each game's last hint and the position it was for: asked again in the
   * same position, it is answered without a new search, so that asking
   * over and over costs the bot's threads one search per move.
   */
  readonly #last = new Map<GameTable, { readonly key: string; readonly path: Path | null }>();

  constructor(private readonly thinker: () => BotThinker | undefined) {}

  ask(link: PlayerLink, table: GameTable | undefined): void {
    const pending = this.#pending.get(link);
    if (pending && pending.table === table) {
      pending.asked += 1;
      return;
    }
    const at = table?.hintPosition(link);
    const thinker = this.thinker();
    if (!table || !at || !thinker) {
      link.deliver({ type: 'HintMove', path: null });
      return;
    }
    this.forget(link);
    const key = positionKey(at.position);
    const known = this.#last.get(table);
    if (known?.key === key) {
      this.#count(table, 1);
      link.deliver({ type: 'HintMove', path: known.path });
      return;
    }
    const entry: PendingHint = { table, asked: 1, cancel: () => {} };
    this.#pending.set(link, entry);
    const request = {
      position: at.position,
      level: HINT_LEVEL,
      rules: 'standard' as const,
      history: { quietPlies: at.quietPlies },
      budgetMs: HINT_BUDGET_MS,
    };
    entry.cancel = thinker.think(request, (index) => {
      if (this.#pending.get(link) !== entry) return;
      this.#pending.delete(link);
      const move = index === undefined ? undefined : legalMoves(at.position)[index];
      const path: Path | null = move ? [move.from, ...move.path].map((bit) => bit + 1) : null;
      this.#last.set(table, { key, path });
      this.#count(table, entry.asked);
      for (let answered = 0; answered < entry.asked; answered++) link.deliver({ type: 'HintMove', path });
    });
  }

  /** The player left (dropped, logged out): a hint being searched is dropped. */
  forget(link: PlayerLink): void {
    const pending = this.#pending.get(link);
    if (!pending) return;
    this.#pending.delete(link);
    pending.cancel();
  }

  /** The game ended: its hints being searched are dropped; returns how many hints it was given. */
  ended(table: GameTable): number {
    for (const [link, pending] of [...this.#pending]) if (pending.table === table) this.forget(link);
    const given = this.#given.get(table.id) ?? 0;
    this.#given.delete(table.id);
    this.#last.delete(table);
    return given;
  }

  #count(table: GameTable, hints: number): void {
    this.#given.set(table.id, (this.#given.get(table.id) ?? 0) + hints);
  }
}

function positionKey(position: Position): string {
  return `${position.black}:${position.white}:${position.kings}:${position.turn}`;
}
