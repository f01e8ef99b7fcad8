import { BLACK, colorName } from '../../game/position.js';
import type { LineInput } from '../line-input.js';
import { pieceLegend, type RenderStyle, renderBoard } from '../render.js';
import { warningText } from '../turn-clock.js';
import type { Phase2 } from './commands.js';
import { lowTimeText } from './game-clocks.js';
import { clockPrompt, type Game2 } from './game-state.js';
import { lastMoveSummary, pathText } from './game-text.js';
import { legalPathTexts } from './path-input.js';

/**
 * What the terminal shows of a version-2 game: the board with its legend,
 * last move and clocks, the prompt with the clocks running in it, and the
 * low-time warnings, ticking once a second while a game is on.
 */
export class GameScreen {
  #tick: NodeJS.Timeout | undefined;

  constructor(
    private readonly style: RenderStyle,
    private readonly now: () => number,
    private readonly moveTimeoutSeconds: number,
  ) {}

  showBoard(input: LineInput, game: Game2 | undefined, phase: Phase2): void {
    if (!game?.position) return;
    const lines = [
      '',
      ...renderBoard(game.position, game.color, { lastMove: lastMoveSummary(game.lastPath), forced: [] }, this.style),
    ];
    lines.push(
      `You play ${colorName(game.color) === 'black' ? 'Black' : 'White'} (${pieceLegend(game.color, this.style)})${game.color === BLACK ? ', moving up the board' : ''}.`,
    );
    if (game.lastPath) lines.push(`Last move: ${pathText(game.lastPath)}`);
    if (game.clocks.timed) lines.push(`Clocks: ${game.clocks.status(game.opponent, this.now())}`);
    input.say(...lines);
    if (game.awaitingMyMove) {
      input.say(`Your move.${input.terminal ? '' : ` Legal: ${legalPathTexts(game.position).join(' ')}`}`);
      if (phase === 'game') this.movePrompt(input, game);
    } else if (phase === 'game') {
      this.waitingPrompt(input, game);
    }
  }

  movePrompt(input: LineInput, game: Game2 | undefined): void {
    input.setPrompt(`Your move${clockPrompt(game, this.now())} > `);
  }

  waitingPrompt(input: LineInput, game: Game2 | undefined): void {
    input.setPrompt(`${game?.opponent ?? 'Opponent'} to move${clockPrompt(game, this.now())}... > `);
  }

  /** Ticks once a second until stopped: warnings, and the clocks in the prompt. `view` says what is on now. */
  startTick(input: LineInput, view: () => { readonly game: Game2 | undefined; readonly phase: Phase2 }): void {
    if (this.#tick) return;
    this.#tick = setInterval(() => {
      const { game, phase } = view();
      this.#onTick(input, game, phase);
    }, 1000);
    this.#tick.unref();
  }

  stopTick(): void {
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = undefined;
  }

  #onTick(input: LineInput, game: Game2 | undefined, phase: Phase2): void {
    if (!game || (phase !== 'game' && phase !== 'confirm-quit')) return;
    const now = this.now();
    for (const left of game.clocks.warningsDue(now)) input.say(lowTimeText(left));
    if (game.moveClock) {
      const elapsed = (now - game.moveClock.startedAt) / 1000;
      for (const left of game.moveClock.clock.warningsDue(elapsed))
        input.say(warningText(left, this.moveTimeoutSeconds));
    }
    if (phase !== 'game' || !input.terminal) return;
    if (game.awaitingMyMove) this.movePrompt(input, game);
    else this.waitingPrompt(input, game);
  }
}
