import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from './envelope.js';
import { inboxKey } from './keys.js';
import { INBOX_MAX_LENGTH } from './queue.js';
import type { RelayTransport } from './shared-store.js';

/**
 * The sending connection: never gives up (a relayed message waits for Redis,
 * in order), and sends each XADD at once. Not auto-pipelined: ioredis runs
 * one auto-pipeline at a time per connection, so while the reply to one
 * batch is late every later envelope waited in the node (a referee's
 * answer never left while its link held the replies to the one before), and
 * a pipeline whose first replies came before a reset has its others
 * rejected, not resent: messages lost. Single commands are written at once
 * and resent whole, in order, after a reset.
 */
export const SENDER_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableAutoPipelining: false };

/** Envelopes read from the inbox per call. */
const READ_COUNT = 500;
/** The blocking read returns after this long with nothing, so that `stop` is seen. */
const READ_BLOCK_MS = 1000;
const READ_RETRY_MS = 500;
/**
 * After a read that found envelopes, the next waits this long, so that under
 * load one read carries what a few milliseconds brought instead of one read
 * (a round trip and a wake-up) per envelope; an idle inbox is read at once.
 */
const READ_GATHER_MS = 4;

/**
 * Messages between nodes: each node has an inbox, a Redis stream that only
 * it reads, in order, remembering the last entry id it handled. A stream
 * keeps what is sent while the reader is away (a reconnect loses nothing),
 * and its ids order the entries, so nothing is handled twice. Sending goes
 * through one connection whose commands Redis runs in order, so a node's
 * envelopes to another arrive in the order they were sent; while Redis is
 * unreachable they wait, in order, in the connection's offline queue.
 */
export class Relay implements RelayTransport {
  #lastId = '0';
  #stopped = false;
  #loop: Promise<void> | undefined;
  #sendFailing = false;

  constructor(
    private readonly sender: Redis,
    private readonly reader: Redis,
    private readonly node: string,
    private readonly log: Logger,
    /**
     * Paces the reader (its retries and gathering waits) and bounds `stop`.
     * On a manual clock the reader waits, after each read that found
     * envelopes, until the clock moves on 4 ms.
     */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts reading the inbox from now on (what an earlier process of this node left there is stale). */
  async start(receive: (envelope: Envelope, from: string | undefined) => void): Promise<void> {
    this.#lastId =
      (await this.sender.xadd(inboxKey(this.node), 'MAXLEN', '~', INBOX_MAX_LENGTH, '*', 'e', '{}')) ?? '0';
    this.#loop = this.#read(receive);
  }

  send(node: string, envelope: Envelope): void {
    this.sender
      .xadd(inboxKey(node), 'MAXLEN', '~', INBOX_MAX_LENGTH, '*', 'e', encodeEnvelope(envelope))
      .then(() => {
        this.#sendFailing = false;
      })
      .catch((error: unknown) => {
        if (!this.#sendFailing)
          this.log.error({ err: (error as Error).message, node }, 'cluster: a relayed message was lost');
        this.#sendFailing = true;
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.reader.disconnect();
    // A read waiting while the reader reconnects is never settled by ioredis's disconnect: wait for the loop, boundedly.
    let cancel = () => {};
    await Promise.race([
      this.#loop,
      new Promise((resolve) => (cancel = this.clock.after(READ_BLOCK_MS, () => resolve(undefined)))),
    ]);
    cancel();
  }

  async #read(receive: (envelope: Envelope, from: string | undefined) => void): Promise<void> {
    const key = inboxKey(this.node);
    while (!this.#stopped) {
      let batches: [string, [string, string[]][]][] | null;
      try {
        batches = (await this.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          key,
          this.#lastId,
        )) as [string, [string, string[]][]][] | null;
      } catch {
        if (this.#stopped) return;
        await this.#wait(READ_RETRY_MS);
        continue;
      }
      let read = 0;
      for (const [, entries] of batches ?? []) {
        read += entries.length;
        for (const [id, fields] of entries) {
          this.#lastId = id;
          const text = fields[1];
          if (text === undefined || text === '{}') continue;
          const envelope = decodeEnvelope(text);
          if (!envelope) {
            this.log.error({ id }, 'cluster: malformed envelope ignored');
            continue;
          }
          try {
            receive(envelope, 'from' in envelope ? envelope.from : undefined);
          } catch (error) {
            this.log.error({ err: error, type: envelope.type }, 'cluster: handling an envelope failed');
          }
        }
      }
      if (read > 0 && read < READ_COUNT) await this.#wait(READ_GATHER_MS);
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.after(ms, resolve));
  }

  /** After Redis lost its data, the stream starts again empty: read it from the start. */
  resetPosition(): void {
    this.#lastId = '0';
  }
}
