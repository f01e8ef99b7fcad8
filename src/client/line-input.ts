import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';

/**
 * Lines from the player. On a terminal it keeps a prompt (which can change,
 * e.g. a status line updated in place) and prints messages above it; without
 * a terminal it prints no prompts and no escape codes, so it can be scripted.
 */
export class LineInput {
  readonly #rl: Interface;
  readonly #out: NodeJS.WritableStream;
  readonly #pending: string[] = [];
  #waiter: ((line: string | undefined) => void) | undefined;
  #ended = false;
  /** Lines that nobody asked for go here. */
  onLine: ((line: string) => void) | undefined;
  onInterrupt: (() => void) | undefined;
  onEnd: (() => void) | undefined;

  constructor(
    input: NodeJS.ReadableStream,
    output: NodeJS.WritableStream,
    readonly terminal: boolean,
  ) {
    this.#out = output;
    this.#rl = createInterface({ input, output, terminal, prompt: '' });
    this.#rl.on('line', (line) => this.#line(line));
    this.#rl.on('SIGINT', () => this.onInterrupt?.());
    this.#rl.on('close', () => {
      this.#ended = true;
      const waiter = this.#waiter;
      this.#waiter = undefined;
      if (waiter) waiter(undefined);
      else this.onEnd?.();
    });
  }

  /** The next line, showing `question` on a terminal; undefined when input has ended. */
  ask(question: string): Promise<string | undefined> {
    const queued = this.#pending.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(undefined);
    this.setPrompt(question);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** On a terminal, shows `prompt` in place, keeping what the player has typed. */
  setPrompt(prompt: string): void {
    if (!this.terminal) return;
    this.#rl.setPrompt(prompt);
    this.#rl.prompt(true);
  }

  /** Prints lines above the prompt. */
  say(...lines: string[]): void {
    if (this.terminal) {
      clearLine(this.#out, 0);
      cursorTo(this.#out, 0);
    }
    this.#out.write(`${lines.join('\n')}\n`);
    if (this.terminal && !this.#ended) this.#rl.prompt(true);
  }

  close(): void {
    this.#rl.close();
  }

  #line(line: string): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(line);
    } else if (this.onLine) {
      this.onLine(line);
    } else {
      this.#pending.push(line);
    }
  }
}
