import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';

export interface LineHandlers {
  /** A line nobody asked for. */
  readonly onLine: (line: string) => void;
  /** Ctrl-C on a terminal. */
  readonly onInterrupt: () => void;
  /** End of input: the end of a pipe, or Ctrl-D on an empty line of a terminal (which keeps reading after it). */
  readonly onEnd: () => void;
}

/**
 * Lines from the player. On a terminal it keeps a prompt (which can change,
 * e.g. a status line updated in place) and prints messages above it; without
 * a terminal it prints no prompts and no escape codes, so it can be scripted.
 * Lines and the end of input that arrive before anyone listens are kept, in
 * order, and handed over by `listen`.
 */
export class LineInput {
  readonly #input: NodeJS.ReadableStream;
  readonly #out: NodeJS.WritableStream;
  readonly #pending: string[] = [];
  #rl: Interface;
  #prompt = '';
  #waiter: ((line: string | undefined) => void) | undefined;
  #handlers: LineHandlers | undefined;
  /** The input has ended (a pipe, or a closed terminal) and no more lines will come. */
  #ended = false;
  #endUntold = false;
  #closing = false;

  constructor(
    input: NodeJS.ReadableStream,
    output: NodeJS.WritableStream,
    readonly terminal: boolean,
  ) {
    this.#input = input;
    this.#out = output;
    this.#rl = this.#open();
  }

  /** Hands over every line (kept ones first) and the end of input to `handlers`. */
  listen(handlers: LineHandlers): void {
    this.#handlers = handlers;
    while (this.#handlers === handlers && !this.#closing) {
      const line = this.#pending.shift();
      if (line === undefined) break;
      handlers.onLine(line);
    }
    if (this.#endUntold && !this.#closing) {
      this.#endUntold = false;
      handlers.onEnd();
    }
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
    this.#prompt = prompt;
    if (!this.terminal || this.#closing) return;
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
    if (this.terminal && !this.#closing) this.#rl.prompt(true);
  }

  close(): void {
    this.#closing = true;
    this.#rl.close();
  }

  #open(): Interface {
    const rl = createInterface({ input: this.#input, output: this.#out, terminal: this.terminal, prompt: '' });
    rl.setPrompt(this.#prompt);
    rl.on('line', (line) => this.#line(line));
    rl.on('SIGINT', () => this.#handlers?.onInterrupt());
    rl.on('close', () => this.#closed());
    return rl;
  }

  #closed(): void {
    if (this.#closing) return;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (this.terminal && !waiter) {
      // Ctrl-D: tell, then keep reading the terminal (the player may still be asked something).
      this.#rl = this.#open();
      this.#rl.prompt(true);
      this.#handlers?.onEnd();
      return;
    }
    this.#ended = true;
    if (waiter) waiter(undefined);
    else if (this.#handlers) this.#handlers.onEnd();
    else this.#endUntold = true;
  }

  #line(line: string): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(line);
    } else if (this.#handlers && this.#pending.length === 0) {
      this.#handlers.onLine(line);
      // Enter on an empty line leaves the cursor on a bare new line: show the prompt again.
      if (this.terminal && !this.#closing) this.#rl.prompt(true);
    } else {
      this.#pending.push(line);
    }
  }
}
