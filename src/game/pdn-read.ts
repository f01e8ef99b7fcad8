import type { PdnResult } from './pdn.js';

/*
 * A reader and a writer for PDN 3.0 game records as draughts programs write
 * them (CheckerBoard's style included): tag pairs, move numbers, moves in
 * standard notation, {comments} and ; comments, (variations), $NAGs and
 * ! ? marks, one game or many. Pure; reading never throws: a malformed text
 * gets a result naming the line and column. Legality is not checked here
 * (see pdn-games.ts): this is the syntax.
 */

export interface PdnMove {
  /** As written, marks removed: `11-15`, `22x15`, `22x15x24`. */
  readonly text: string;
  /** Where the move stands in the text (1-based). */
  readonly line: number;
  readonly column: number;
  /** `!`, `?!`, `$1`, … as written after the move. */
  readonly marks: readonly string[];
  /** The comments after the move, joined by a space. */
  readonly comment?: string;
  /** Alternatives to this move, each a line of moves starting at this ply. */
  readonly variations: ReadonlyArray<readonly PdnMove[]>;
}

export interface PdnRecord {
  /** In the order written. */
  readonly tags: ReadonlyArray<readonly [name: string, value: string]>;
  /** A comment before the first move. */
  readonly comment?: string;
  readonly moves: readonly PdnMove[];
  readonly result: PdnResult;
  /** The line the game starts on. */
  readonly line: number;
}

export interface PdnProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type PdnReading =
  | { readonly ok: true; readonly games: readonly PdnRecord[] }
  | { readonly ok: false; readonly problem: PdnProblem };

/** Bigger inputs are refused before reading: a paste or an upload of a whole database is not for this board. */
export const MAX_PDN_CHARACTERS = 1_000_000;
const MAX_NESTING = 32;

type Token =
  | { kind: 'tag'; name: string; value: string }
  | { kind: 'comment'; text: string }
  | { kind: 'open' | 'close' }
  | { kind: 'number' }
  | { kind: 'mark'; text: string }
  | { kind: 'result'; result: PdnResult }
  | { kind: 'move'; text: string };

type Located = Token & { line: number; column: number };

const RESULTS: Readonly<Record<string, PdnResult>> = {
  '1-0': '1-0',
  '0-1': '0-1',
  '1/2-1/2': '1/2-1/2',
  '*': '*',
  // Some draughts programs count a win as 2 points.
  '2-0': '1-0',
  '0-2': '0-1',
};

class Fail extends Error {
  constructor(readonly problem: PdnProblem) {
    super(problem.message);
  }
}

/** Reads every game of a PDN text. */
export function readPdn(text: string): PdnReading {
  if (text.length > MAX_PDN_CHARACTERS) {
    return {
      ok: false,
      problem: {
        line: 1,
        column: 1,
        message: `the PDN is over ${MAX_PDN_CHARACTERS} characters; split it into smaller files`,
      },
    };
  }
  try {
    const games = parseGames(tokenize(text));
    if (games.length === 0)
      return { ok: false, problem: { line: 1, column: 1, message: 'there is no game in the PDN' } };
    return { ok: true, games };
  } catch (error) {
    if (error instanceof Fail) return { ok: false, problem: error.problem };
    throw error;
  }
}

function tokenize(text: string): Located[] {
  const tokens: Located[] = [];
  let at = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string, where = at): never => {
    const before = text.slice(0, where);
    const lines = before.split('\n');
    throw new Fail({ line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1, message });
  };
  const advanceTo = (end: number) => {
    for (let i = at; i < end; i++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    at = end;
  };
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char) || char === '\uFEFF') {
      advanceTo(at + 1);
      continue;
    }
    const place = { line, column: at - lineStart + 1 };
    const rest = text.slice(at, at + 200);
    if (char === '[') {
      const tag = /^\[\s*([A-Za-z0-9_]+)\s+"((?:[^"\\\n]|\\.)*)"\s*\]/.exec(text.slice(at, at + 10_000));
      if (!tag) fail('a tag is written [Name "value"] on one line');
      const [whole = '', name = '', value = ''] = tag ?? [];
      tokens.push({ kind: 'tag', name, value: value.replace(/\\(.)/g, '$1'), ...place });
      advanceTo(at + whole.length);
      continue;
    }
    if (char === '{') {
      const end = text.indexOf('}', at);
      if (end < 0) fail('this comment is not closed: a } is missing');
      tokens.push({
        kind: 'comment',
        text: text
          .slice(at + 1, end)
          .replace(/\s+/g, ' ')
          .trim(),
        ...place,
      });
      advanceTo(end + 1);
      continue;
    }
    if (char === ';') {
      const end = text.indexOf('\n', at);
      const stop = end < 0 ? text.length : end;
      // Written back as {…}, which cannot hold a }: it becomes ).
      const comment = text
        .slice(at + 1, stop)
        .replace(/\s+/g, ' ')
        .replace(/}/g, ')')
        .trim();
      tokens.push({ kind: 'comment', text: comment, ...place });
      advanceTo(stop);
      continue;
    }
    if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close', ...place });
      advanceTo(at + 1);
      continue;
    }
    if (char === '}') fail('a } without its {');
    const word = /^[^\s{}();[\]]+/.exec(rest)?.[0] ?? char;
    // A move number may stand glued to what follows it: `1.11-15`, `12...0-1`.
    const numbered = RESULTS[word] || /^\d+\.(\.\.)?$/.test(word) ? null : /^(\d+\.(?:\.\.)?)(.+)$/.exec(word);
    const body = numbered?.[2] ?? word;
    const column = place.column + (numbered?.[1]?.length ?? 0);
    if (numbered) tokens.push({ kind: 'number', ...place });
    const result = RESULTS[body];
    if (result) {
      tokens.push({ kind: 'result', result, line: place.line, column });
    } else if (/^\d+\.(\.\.)?$/.test(body)) {
      tokens.push({ kind: 'number', line: place.line, column });
    } else if (/^\$\d+$/.test(body) || /^[!?]{1,2}$/.test(body)) {
      tokens.push({ kind: 'mark', text: body, line: place.line, column });
    } else {
      const move = /^(\d{1,2}(?:[-x:]\d{1,2})+)([!?]{1,2})?$/.exec(body);
      if (!move) fail(`"${word}" is not a move, a move number, a comment or a result`);
      const [, squares = '', mark] = move ?? [];
      tokens.push({ kind: 'move', text: squares.replace(/:/g, 'x'), line: place.line, column });
      if (mark) tokens.push({ kind: 'mark', text: mark, line: place.line, column: column + squares.length });
    }
    advanceTo(at + word.length);
  }
  return tokens;
}

interface MutableMove {
  text: string;
  line: number;
  column: number;
  marks: string[];
  comment?: string;
  variations: MutableMove[][];
}

function parseGames(tokens: readonly Located[]): PdnRecord[] {
  const games: PdnRecord[] = [];
  let index = 0;
  while (index < tokens.length) {
    const first = tokens[index] as Located;
    const tags: Array<[string, string]> = [];
    while (tokens[index]?.kind === 'tag') {
      const tag = tokens[index] as Located & { kind: 'tag' };
      tags.push([tag.name, tag.value]);
      index++;
    }
    let comment: string | undefined;
    const stack: MutableMove[][] = [[]];
    let result: PdnResult | undefined;
    for (; index < tokens.length; index++) {
      const token = tokens[index] as Located;
      const line = stack[stack.length - 1] as MutableMove[];
      const last = line[line.length - 1];
      if (token.kind === 'tag') {
        if (stack.length > 1) throw new Fail({ ...token, message: 'a tag inside a variation: a ) is missing' });
        break;
      }
      if (token.kind === 'result') {
        if (stack.length > 1) throw new Fail({ ...token, message: 'a result inside a variation: a ) is missing' });
        result = token.result;
        index++;
        break;
      }
      if (token.kind === 'number') continue;
      if (token.kind === 'move') {
        line.push({ text: token.text, line: token.line, column: token.column, marks: [], variations: [] });
      } else if (token.kind === 'mark') {
        if (!last) throw new Fail({ ...token, message: `"${token.text}" marks no move` });
        last.marks.push(token.text);
      } else if (token.kind === 'comment') {
        if (token.text === '') continue;
        if (last) last.comment = last.comment ? `${last.comment} ${token.text}` : token.text;
        else if (stack.length === 1) comment = comment ? `${comment} ${token.text}` : token.text;
      } else if (token.kind === 'open') {
        if (!last) throw new Fail({ ...token, message: 'a variation must follow the move it replaces' });
        if (stack.length > MAX_NESTING) throw new Fail({ ...token, message: 'variations nest too deeply' });
        const variation: MutableMove[] = [];
        last.variations.push(variation);
        stack.push(variation);
      } else if (token.kind === 'close') {
        if (stack.length === 1) throw new Fail({ ...token, message: 'a ) without its (' });
        if (line.length === 0) throw new Fail({ ...token, message: 'an empty variation' });
        stack.pop();
      }
    }
    if (stack.length > 1) {
      const end = tokens[tokens.length - 1] ?? first;
      throw new Fail({ line: end.line, column: end.column, message: 'a variation is not closed: a ) is missing' });
    }
    const moves = stack[0] as MutableMove[];
    // Comments alone between games (or after the last) are no game.
    if (tags.length === 0 && moves.length === 0 && result === undefined) continue;
    const tagged = tags.find(([name]) => name === 'Result')?.[1];
    const finalResult = result ?? (tagged === undefined ? undefined : RESULTS[tagged]) ?? '*';
    games.push({ tags, ...(comment === undefined ? {} : { comment }), moves, result: finalResult, line: first.line });
  }
  return games;
}

/** The value of a tag (names compared without case), or undefined. */
export function tagValue(record: PdnRecord, name: string): string | undefined {
  return record.tags.find(([tag]) => tag.toLowerCase() === name.toLowerCase())?.[1];
}

const LINE_WIDTH = 79;

/**
 * Writes a game record back as PDN: its tags as they were, then the moves
 * numbered from the side to move of its FEN (Black when there is none), with
 * comments, marks and variations.
 */
export function writePdnRecord(record: PdnRecord): string {
  const header = record.tags.map(([name, value]) => `[${name} "${value.replace(/[\\"]/g, '\\$&')}"]`).join('\n');
  const whiteFirst = /^\s*W/i.test(tagValue(record, 'FEN') ?? '');
  const tokens: string[] = [];
  if (record.comment) tokens.push(`{${record.comment}}`);
  writeLine(tokens, record.moves, whiteFirst ? 1 : 0);
  tokens.push(record.result);
  return `${header}${header ? '\n\n' : ''}${wrap(tokens)}\n`;
}

/** `ply`: plies from Black's first move of the game (odd: White to move). */
function writeLine(tokens: string[], moves: readonly PdnMove[], ply: number): void {
  let numberNeeded = true;
  moves.forEach((move, index) => {
    const at = ply + index;
    const number = Math.floor(at / 2) + 1;
    if (at % 2 === 0) tokens.push(`${number}.`);
    else if (numberNeeded) tokens.push(`${number}...`);
    // The first `!` or `?` mark stands right after the move, as written; the others are words of their own.
    const [first, ...others] = move.marks;
    const glued = first !== undefined && !first.startsWith('$');
    tokens.push(glued ? `${move.text}${first}` : move.text, ...(glued ? others : move.marks));
    numberNeeded = false;
    if (move.comment) {
      tokens.push(`{${move.comment}}`);
      numberNeeded = true;
    }
    for (const variation of move.variations) {
      tokens.push('(');
      writeLine(tokens, variation, at);
      tokens.push(')');
      numberNeeded = true;
    }
  });
}

function wrap(tokens: readonly string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const glue = line === '' || line.endsWith('(') || token === ')' ? '' : ' ';
    if (line && line.length + glue.length + token.length > LINE_WIDTH && token !== ')') {
      lines.push(line);
      line = token;
    } else {
      line = `${line}${glue}${token}`;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
