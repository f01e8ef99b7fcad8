/**
 * A writer for Portable Draughts Notation game records (English draughts,
 * GameType 21).
 */
export type PdnResult = '1-0' | '0-1' | '1/2-1/2' | '*';

export interface PdnGame {
  readonly event?: string;
  readonly site?: string;
  readonly date?: Date;
  readonly round?: string;
  /** Black moves first (the version-1 first player). */
  readonly black: string;
  readonly white: string;
  readonly result: PdnResult;
  /** One entry per turn in standard notation, Black's first. */
  readonly moves: readonly string[];
  /** A game from a set position: its FEN (PDN 3.0 writes it with SetUp "1"); the moves start from it. */
  readonly fen?: string;
  /** Extra tags written after the standard ones, in order. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The mover's time left (ms) after each of the last `clocks.length` moves,
   * written after each as a comment the way lichess and CheckerBoard do:
   * `{[%clk 0:04:55]}` (hours, minutes, whole seconds).
   */
  readonly clocks?: readonly number[];
}

/** `[%clk H:MM:SS]` for a time left in ms (whole seconds, rounded down). */
export function clockComment(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (value: number) => String(value).padStart(2, '0');
  return `[%clk ${Math.floor(seconds / 3600)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}]`;
}

/** The time (ms) of the first `[%clk H:MM:SS]` (seconds may have decimals) in a comment; undefined if none. */
export function clockOfComment(comment: string | undefined): number | undefined {
  const match = /\[%clk\s+(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*\]/.exec(comment ?? '');
  if (!match) return undefined;
  return Math.round((Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])) * 1000);
}

const LINE_WIDTH = 79;

export function writePdn(game: PdnGame): string {
  const tags: Array<[string, string]> = [
    ['Event', game.event ?? 'Casual game'],
    ['Site', game.site ?? '?'],
    ['Date', game.date ? pdnDate(game.date) : '????.??.??'],
    ['Round', game.round ?? '-'],
    ['Black', game.black],
    ['White', game.white],
    ['Result', game.result],
    ['GameType', '21'],
    ...(game.fen === undefined
      ? []
      : ([
          ['SetUp', '1'],
          ['FEN', game.fen],
        ] as Array<[string, string]>)),
    ...Object.entries(game.tags ?? {}),
  ];
  const header = tags.map(([name, value]) => `[${name} "${escapeTag(value)}"]`).join('\n');
  return `${header}\n\n${wrap(movetextTokens(game))}\n`;
}

function movetextTokens(game: PdnGame): string[] {
  const tokens: string[] = [];
  // From a position with White to move, the first move is White's: "1... 22-18".
  const offset = /^\s*W/i.test(game.fen ?? '') ? 1 : 0;
  const clocks = game.clocks ?? [];
  const firstClocked = game.moves.length - clocks.length;
  game.moves.forEach((move, index) => {
    const ply = index + offset;
    if (ply % 2 === 0) tokens.push(`${ply / 2 + 1}.`);
    else if (index === 0 || index - 1 >= firstClocked) tokens.push(`${(ply + 1) / 2}...`);
    tokens.push(move);
    const clock = index >= firstClocked ? clocks[index - firstClocked] : undefined;
    if (clock !== undefined) tokens.push(`{${clockComment(clock)}}`);
  });
  tokens.push(game.result);
  return tokens;
}

function wrap(tokens: readonly string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && line.length + 1 + token.length > LINE_WIDTH) {
      lines.push(line);
      line = token;
    } else {
      line = line ? `${line} ${token}` : token;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function escapeTag(value: string): string {
  return value.replace(/[\\"]/g, (character) => `\\${character}`).replace(/[\r\n]+/g, ' ');
}

function pdnDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}.${pad(date.getUTCMonth() + 1)}.${pad(date.getUTCDate())}`;
}
