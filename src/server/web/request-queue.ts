import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests one HTTP connection may have sent and not yet had answered. No
 * browser pipelines requests (each waits for its answer, or opens another
 * connection), so more than this is a client piling work up on purpose.
 */
export const MAX_PIPELINED_REQUESTS = 8;

/** Why a connection was dropped by its queue. */
export type QueueDrop = 'pipelining' | 'slow-reader';

export interface RequestQueueOptions {
  /** Requests received and not yet answered at most; one more closes the connection. */
  readonly maxPipelined: number;
  /** Unsent output beyond which a client that does not read is dropped (as on the game protocol). */
  readonly maxPendingOutputBytes: number;
  /** Answers one request (the response ends, or is destroyed, when done). */
  answer(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** The queue closed the connection, and why. */
  dropped(reason: QueueDrop): void;
}

/**
 * The requests of one HTTP connection, answered one at a time and in order.
 * Node's HTTP parser hands over every request of a read chunk at once (a
 * 64 KiB chunk holds well over a thousand small GETs), so the work they ask
 * for is queued here instead of started: the next answer begins only when
 * the last one is finished, after a turn of the event loop (so that other
 * connections go first), and once the client has read enough of its answers
 * for the output to drain. More than `maxPipelined` requests waiting, or
 * more than `maxPendingOutputBytes` unread, closes the connection. While
 * requests wait, the connection is not read.
 */
export class RequestQueue {
  readonly #waiting: Array<{ request: IncomingMessage; response: ServerResponse }> = [];
  #answering = false;
  #closed = false;

  constructor(
    private readonly stream: Duplex & { readonly unsentBytes: number },
    private readonly options: RequestQueueOptions,
  ) {
    stream.once('close', () => {
      this.#closed = true;
      this.#waiting.length = 0;
    });
  }

  /** Requests received and not yet answered, the one being answered included. */
  get pending(): number {
    return this.#waiting.length + (this.#answering ? 1 : 0);
  }

  push(request: IncomingMessage, response: ServerResponse): void {
    if (this.#closed) {
      response.destroy();
      return;
    }
    if (this.pending >= this.options.maxPipelined) {
      this.#drop('pipelining');
      response.destroy();
      return;
    }
    if (this.#unreadTooLong()) return;
    this.#waiting.push({ request, response });
    if (this.#answering) this.stream.pause();
    else this.#next();
  }

  #next(): void {
    const item = this.#waiting.shift();
    if (!item || this.#closed) return;
    if (this.#waiting.length === 0) this.stream.resume();
    this.#answering = true;
    const { request, response } = item;
    response.once('close', () => this.#answered());
    this.options
      .answer(request, response)
      .then(() => this.#unreadTooLong())
      .catch(() => response.destroy());
  }

  #answered(): void {
    this.#answering = false;
    if (this.#closed || this.#unreadTooLong() || this.#waiting.length === 0) return;
    if (this.stream.writableNeedDrain) this.stream.once('drain', () => setImmediate(() => this.#next()));
    else setImmediate(() => this.#next());
  }

  /** Drops the connection when its client leaves too much output unread; true if so. */
  #unreadTooLong(): boolean {
    if (this.#closed || this.stream.unsentBytes <= this.options.maxPendingOutputBytes) return false;
    this.#drop('slow-reader');
    return true;
  }

  #drop(reason: QueueDrop): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiting.length = 0;
    this.options.dropped(reason);
    this.stream.destroy();
  }
}
