import { execFileSync, spawnSync } from 'node:child_process';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** A program running in a real pseudo-terminal under its own tmux server, driven by keys and read from the screen. */
export class TmuxSession {
  readonly #socket: string;

  private constructor(
    readonly name: string,
    socket: string,
  ) {
    this.#socket = socket;
  }

  /** Runs `command` in a fresh terminal; the pane stays open after it exits and shows its exit code. */
  static start(name: string, command: string, size = { width: 100, height: 50 }): TmuxSession {
    const socket = `checkers-test-${process.pid}-${name}`;
    execFileSync('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(size.width),
      '-y',
      String(size.height),
      `${command}; echo "EXIT=$?"; sleep 60`,
    ]);
    return new TmuxSession(name, socket);
  }

  /** Types text, then Enter unless told not to. */
  type(text: string, enter = true): void {
    execFileSync('tmux', ['-L', this.#socket, 'send-keys', '-t', this.name, '-l', text]);
    if (enter) this.key('Enter');
  }

  key(key: string): void {
    execFileSync('tmux', ['-L', this.#socket, 'send-keys', '-t', this.name, key]);
  }

  /** The visible screen plus scrollback. */
  screen(): string {
    return execFileSync('tmux', [
      '-L',
      this.#socket,
      'capture-pane',
      '-p',
      '-J',
      '-S',
      '-500',
      '-t',
      this.name,
    ]).toString();
  }

  /** Waits until the screen matches; returns the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never showed ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.#socket, 'kill-server']);
  }
}
