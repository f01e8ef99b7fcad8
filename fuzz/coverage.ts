import { Session } from 'node:inspector';

/**
 * Code coverage feedback from V8 itself (the inspector's precise block
 * coverage), for a coverage-guided fuzzer without native instrumentation.
 * `take()` returns the blocks of the project's own code that ran since the
 * last call, each with a coarse hit-count bucket, as AFL does.
 */
export class CoverageProbe {
  readonly #session = new Session();

  constructor(private readonly include: (url: string) => boolean) {
    this.#session.connect();
    this.#post('Profiler.enable');
    this.#post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.take();
  }

  /** Feature keys (script, block, hit bucket) seen since the previous call. */
  take(): string[] {
    const { result } = this.#post('Profiler.takePreciseCoverage') as {
      result: Array<{
        url: string;
        functions: Array<{ ranges: Array<{ startOffset: number; endOffset: number; count: number }> }>;
      }>;
    };
    const features: string[] = [];
    for (const script of result) {
      if (!this.include(script.url)) continue;
      for (const fn of script.functions) {
        for (const range of fn.ranges) {
          if (range.count > 0)
            features.push(`${script.url}:${range.startOffset}:${range.endOffset}:${bucket(range.count)}`);
        }
      }
    }
    return features;
  }

  stop(): void {
    this.#post('Profiler.stopPreciseCoverage');
    this.#session.disconnect();
  }

  /** The in-process inspector answers synchronously. */
  #post(method: string, params?: object): unknown {
    let answer: unknown;
    let failure: Error | null = null;
    this.#session.post(method, params ?? {}, (error, result) => {
      failure = error;
      answer = result;
    });
    if (failure) throw failure;
    return answer;
  }
}

function bucket(count: number): number {
  if (count <= 3) return count;
  if (count <= 7) return 4;
  if (count <= 15) return 8;
  if (count <= 31) return 16;
  if (count <= 127) return 32;
  return 128;
}
