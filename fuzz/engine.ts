import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xorshift32 } from '../src/game/random.js';
import { CoverageProbe } from './coverage.js';

/** A function under fuzzing: it throws (or rejects) when it finds a bug. */
export interface FuzzTarget {
  readonly name: string;
  /** Inputs to start from, besides the kept corpus. */
  seeds(): Uint8Array[];
  /** Byte strings worth splicing in (whole protocol messages, say). */
  dictionary(): Uint8Array[];
  run(input: Uint8Array): void | Promise<void>;
}

export interface FuzzOptions {
  readonly seconds: number;
  readonly maxRuns: number;
  /** Where interesting inputs are kept (and read from); undefined = keep nothing. */
  readonly corpusDirectory?: string;
  /** Where crashing inputs are written. */
  readonly crashDirectory?: string;
  readonly seed?: number;
  readonly maxLength?: number;
}

export interface FuzzResult {
  readonly runs: number;
  readonly corpusSize: number;
  readonly features: number;
  readonly crashes: ReadonlyArray<{ readonly input: Uint8Array; readonly error: string; readonly file?: string }>;
}

/** Every file in a corpus or crash directory, as inputs. */
export function readInputs(directory: string): Array<{ file: string; input: Uint8Array }> {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .sort()
    .map((file) => ({ file: join(directory, file), input: new Uint8Array(readFileSync(join(directory, file))) }));
}

function keep(directory: string, input: Uint8Array): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, createHash('sha1').update(input).digest('hex'));
  if (!existsSync(file)) writeFileSync(file, input);
  return file;
}

/**
 * A small coverage-guided fuzzer in the style of libFuzzer: it mutates inputs
 * from a corpus, runs the target, and keeps every input that reaches a block
 * (or a hit-count bucket) of the project's code not seen before. Bounded by
 * both time and number of runs.
 */
export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzResult> {
  const next = xorshift32(options.seed ?? 0x9e3779b9);
  const random = (below: number) => (next() >>> 0) % below;
  const maxLength = options.maxLength ?? 512;
  const probe = new CoverageProbe((url) => url.includes('/dist/src/'));
  const seen = new Set<string>();
  const corpus: Uint8Array[] = [];
  const crashes: Array<{ input: Uint8Array; error: string; file?: string }> = [];
  const dictionary = target.dictionary();

  const execute = async (input: Uint8Array): Promise<boolean> => {
    try {
      await target.run(input);
    } catch (error) {
      const file = options.crashDirectory ? keep(options.crashDirectory, input) : undefined;
      crashes.push({
        input,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        ...(file ? { file } : {}),
      });
      probe.take();
      return false;
    }
    let fresh = false;
    for (const feature of probe.take()) {
      if (!seen.has(feature)) {
        seen.add(feature);
        fresh = true;
      }
    }
    return fresh;
  };

  const starting = [
    ...target.seeds(),
    ...(options.corpusDirectory ? readInputs(options.corpusDirectory).map(({ input }) => input) : []),
  ];
  for (const input of starting) {
    if (await execute(input)) corpus.push(input);
  }
  if (corpus.length === 0) corpus.push(new Uint8Array([0]));

  const mutate = (parent: Uint8Array): Uint8Array => {
    const bytes = [...parent];
    const rounds = 1 + random(4);
    for (let i = 0; i < rounds; i++) {
      const at = random(bytes.length + 1);
      switch (random(8)) {
        case 0:
          if (bytes.length > 0) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ (1 << random(8));
          break;
        case 1:
          if (bytes.length > 0) bytes[at % bytes.length] = random(256);
          break;
        case 2:
          bytes.splice(at, 0, random(256));
          break;
        case 3:
          bytes.splice(at, 1 + random(8));
          break;
        case 4: {
          const word = dictionary[random(dictionary.length)];
          if (word) bytes.splice(at, 0, ...word);
          break;
        }
        case 5: {
          const other = corpus[random(corpus.length)] ?? new Uint8Array();
          const from = random(other.length + 1);
          bytes.splice(at, bytes.length - at, ...other.subarray(from));
          break;
        }
        case 6:
          if (bytes.length > 0) bytes[at % bytes.length] = [0, 1, 2, 6, 12, 13, 14, 0x7f, 0x80, 0xff][random(10)] ?? 0;
          break;
        default: {
          const length = random(Math.min(16, bytes.length) + 1);
          bytes.splice(at, 0, ...bytes.slice(at, at + length));
        }
      }
    }
    return new Uint8Array(bytes.slice(0, maxLength));
  };

  const deadline = performance.now() + options.seconds * 1000;
  let runs = 0;
  while (runs < options.maxRuns && performance.now() < deadline) {
    const parent = corpus[random(corpus.length)] ?? new Uint8Array();
    const input = mutate(parent);
    runs++;
    if (await execute(input)) {
      corpus.push(input);
      if (options.corpusDirectory) keep(options.corpusDirectory, input);
    }
  }
  probe.stop();
  return { runs, corpusSize: corpus.length, features: seen.size, crashes };
}
