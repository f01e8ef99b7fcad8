import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { playPdnGame } from '../src/game/pdn-games.js';
import { type PdnMove, type PdnRecord, readPdn, writePdnRecord } from '../src/game/pdn-read.js';
import type { FuzzTarget } from './engine.js';

const FIXTURE = new URL('../../test/fixtures/pdn/checkerboard-three-games.pdn', import.meta.url);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A record without the places its moves were read from. */
function withoutPlaces(record: PdnRecord): unknown {
  const moves = (line: readonly PdnMove[]): unknown[] =>
    line.map(({ text, marks, comment, variations }) => ({ text, marks, comment, variations: variations.map(moves) }));
  return { tags: record.tags, comment: record.comment, moves: moves(record.moves), result: record.result };
}

/**
 * The PDN reader: whatever the text, it never throws (a malformed text gets a
 * problem with a line and column inside the text), every game it reads is
 * written back so that it reads the same, and replaying a game never throws.
 */
export const pdnTarget: FuzzTarget = {
  name: 'pdn',
  seeds: () => [encoder.encode(readFileSync(FIXTURE, 'utf8')), encoder.encode('1. 11-15 23-19 (22-18) {x} 2. 8-11 *')],
  dictionary: () =>
    [
      '[Event "',
      '"]\n',
      '[FEN "W:W21,K30:B1,K4"]',
      '{',
      '}',
      '(',
      ')',
      ';',
      '1.',
      '1...',
      '11-15',
      '22x15',
      '$1',
      '!?',
      '1-0',
      '0-1',
      '1/2-1/2',
      '*',
      '\n',
    ].map((text) => encoder.encode(text)),
  run(input) {
    const text = decoder.decode(input);
    const reading = readPdn(text);
    if (!reading.ok) {
      const { line, column } = reading.problem;
      assert.ok(line >= 1 && line <= text.split('\n').length, `line ${line}`);
      assert.ok(column >= 1, `column ${column}`);
      return;
    }
    const again = readPdn(reading.games.map(writePdnRecord).join('\n'));
    assert.ok(again.ok, again.ok ? '' : again.problem.message);
    assert.deepEqual(again.games.map(withoutPlaces), reading.games.map(withoutPlaces));
    for (const game of reading.games) playPdnGame(game);
  },
};
