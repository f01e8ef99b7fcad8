import { inferColor } from '../client-core/game-view.js';
import { readCredentialLines } from '../common/credentials-file.js';
import { fromWireBoard, moveByteOf } from '../common/wire.js';
import { EnginePlayer, levelSettings } from '../game/engine/levels.js';
import { V1_RULES } from '../game/engine/rules.js';
import { SeenHistory } from '../game/engine/seen-history.js';
import type { Color } from '../game/position.js';
import { loginRefusalText, NO_MOVE, type WireBoard } from '../protocol/index.js';
import type { ProtocolConnection } from './connection.js';
import { printable } from './printable.js';

/** Moves the server may refuse in one turn before the bot stops: a sound server refuses none. */
export const MAX_REFUSED_MOVES_PER_TURN = 3;

export interface BotOptions {
  readonly username: string;
  readonly password: string;
  readonly level: number;
  /** Games to play before logging out. */
  readonly games: number;
  /** One line per game (and per problem). */
  readonly report: (line: string) => void;
  readonly random?: () => number;
  /** Overrides the level's thinking time per move. */
  readonly timeMs?: number;
}

export interface BotSummary {
  readonly played: number;
  readonly won: number;
  readonly lost: number;
  readonly drawn: number;
  /** 0 when every game was played, 1 when the bot could not go on. */
  readonly code: number;
}

/**
 * A computer player over the real protocol: logs in, queues, answers every
 * YourTurn with the engine's step, requeues until it has played its games,
 * then logs out. It reads the board exactly as a human's client does, so the
 * server cannot tell it from one.
 */
export function runBot(connection: ProtocolConnection, options: BotOptions): Promise<BotSummary> {
  const engine = new EnginePlayer(
    V1_RULES,
    levelSettings(options.level),
    options.random,
    options.timeMs ?? levelSettings(options.level).timeMs,
  );
  const tally = { played: 0, won: 0, lost: 0, drawn: 0 };
  let color: Color | undefined;
  /** This game's history from the boards of its turns: its search knows the 40-move count and repetitions. */
  let seen = new SeenHistory();
  let opponent = '';
  let moves = 0;
  let refusedThisTurn = 0;
  let finished = false;
  return new Promise((resolve) => {
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      resolve({ ...tally, code });
    };
    /** The server cannot be played with: say why, leave (forfeiting the game) and stop. */
    const giveUp = (line: string) => {
      options.report(`${line}; logging out`);
      finish(1);
      if (connection.canSend('LogOut')) connection.logout();
      connection.close();
    };
    const play = (board: WireBoard) => {
      const side = color ?? inferColor(board, false);
      const reading = fromWireBoard(board, side, side);
      if (!reading.ok) {
        giveUp(`cannot read the board the server sent (${reading.reason})`);
        return;
      }
      const history = seen.observe(reading.position);
      const game = { position: reading.position, quietPlies: history.quietPlies, result: undefined };
      const { move } = engine.choose(game, undefined, history);
      if (!move) {
        giveUp('the server says it is my move, but I have no legal move on its board');
        return;
      }
      moves++;
      connection.move(moveByteOf(move.from, move.direction));
    };
    const gameEnded = (line: string, outcome: 'won' | 'lost' | 'drawn') => {
      tally.played++;
      tally[outcome]++;
      options.report(`game ${tally.played}: ${line} (${moves} moves)`);
      if (tally.played >= options.games) {
        finish(0);
        connection.logout();
        connection.close();
      } else {
        connection.requeue();
      }
    };
    connection.on('invalidLogin', (message) => {
      options.report(`login refused: ${loginRefusalText(message.reason)}`);
      finish(1);
      connection.close();
    });
    connection.on('invalidVersion', (message) => {
      options.report(`the server speaks protocol versions ${message.lowest} to ${message.highest}, not 1`);
      finish(1);
      connection.close();
    });
    connection.on('gameStart', (message) => {
      color = undefined;
      seen = new SeenHistory();
      moves = 0;
      opponent = `${printable(message.opponent)} (${message.opponentRating})`;
    });
    connection.on('yourTurn', (message) => {
      color ??= inferColor(message.board, message.lastMove === NO_MOVE);
      refusedThisTurn = 0;
      play(message.board);
    });
    connection.on('invalidMove', (message) => {
      refusedThisTurn++;
      if (refusedThisTurn >= MAX_REFUSED_MOVES_PER_TURN) {
        giveUp(`the server refused ${refusedThisTurn} moves in a row in one turn`);
        return;
      }
      options.report(`the server refused move ${message.move}; thinking again`);
      play(message.board);
    });
    connection.on('gameOver', (message) => {
      const outcome = message.won ? 'won' : message.newRating >= message.oldRating ? 'drawn' : 'lost';
      gameEnded(
        `${outcome === 'drawn' ? 'drew with' : `${outcome} against`} ${opponent}, rating ${message.oldRating} -> ${message.newRating}`,
        outcome,
      );
    });
    connection.on('opponentDisconnect', () => gameEnded(`won: ${opponent} left the game`, 'won'));
    connection.on('disconnected', ({ reason }) => {
      if (finished) return;
      options.report(`disconnected: ${reason}`);
      finish(1);
    });
    connection.login(options.username, options.password);
  });
}

/** The accounts of a `NAME:PASSWORD` file, read exactly as `user import` reads it (readCredentialLines). */
export function parseCredentials(text: string): Array<{ username: string; password: string }> {
  return readCredentialLines(text).map((read) => {
    if (!read.ok) throw new Error(`credentials line ${read.line}: ${read.reason}`);
    return { username: read.name, password: read.password };
  });
}
