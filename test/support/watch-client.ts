import { WebSocket } from 'ws';

/** A WebSocket client of the watch feed that keeps every JSON message and how the socket closed. */
export class WatchClient {
  readonly messages: Array<Record<string, unknown>> = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      this.#wake();
    });
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = String(reason);
      this.#wake();
    });
    socket.on('error', () => {});
  }

  /** `localAddress`: the loopback address to connect from (127.0.0.2...), to be another address to per-address limits. */
  static async open(url: string, timeoutMs = 5000, localAddress?: string): Promise<WatchClient> {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, ...(localAddress ? { localAddress } : {}) });
    const client = new WatchClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', () => resolve());
    });
    return client;
  }

  /** Waits (bounded) until `done` holds of the messages so far, or the socket closes; returns the messages. */
  async until(
    done: (messages: ReadonlyArray<Record<string, unknown>>) => boolean,
    timeoutMs = 5000,
  ): Promise<ReadonlyArray<Record<string, unknown>>> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages)) {
      if (this.closeCode !== undefined) throw new Error(`watch closed ${this.closeCode} ${this.closeReason}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`watch: condition not met within ${timeoutMs} ms: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  /** The close code, waiting (bounded) for the close. */
  async closed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error(`watch not closed within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closeCode;
  }

  /** Every move the feed has given so far, in order. */
  moves(): string[] {
    return this.messages.flatMap((message) => (message.moves as string[] | undefined) ?? []);
  }

  close(): void {
    this.socket.terminate();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
    this.#waiters.clear();
  }
}
