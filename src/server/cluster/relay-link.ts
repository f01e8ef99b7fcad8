import { encodeMessage, type Message } from '../../protocol/index.js';
import type { PlayerLink } from '../player-link.js';
import type { HeldOutput } from '../turn-batch.js';
import type { Envelope } from './envelope.js';
import type { PlayerStreamNumbering } from './relay-order.js';

/** Where a relay link's output waits for the turn's commit (the TurnBatch). */
export interface OutputHolder {
  hold(output: HeldOutput): void;
}

/**
 * The seat of a player logged in on another node, as the owning node's match
 * sees it. What the match tells the player is held like a session's output
 * until the turn's commit, then sent to the player's node in order, each
 * envelope numbered (`sequence`: the next in the game's stream to this
 * player, see relay-order.ts) so that the player's node applies it once.
 */
export class RelayLink implements PlayerLink, HeldOutput {
  #pending: Message[] = [];
  #held = false;
  /** A `sync` was asked while output was held: `synced` goes after it, with what the referee had received. */
  #syncAsked: number | undefined;

  constructor(
    readonly accountId: number,
    readonly name: string,
    /** The node the player is logged in on. */
    readonly node: string,
    readonly gameId: number,
    private readonly from: string,
    private readonly holder: OutputHolder,
    private readonly send: (node: string, envelope: Envelope) => void,
    /** Shared with the player's previous link to this game under the same token, if any. */
    readonly numbering: PlayerStreamNumbering,
  ) {}

  get concernsGame(): boolean {
    return true;
  }

  deliver(message: Message): void {
    this.#pending.push(message);
    if (this.#held) return;
    this.#held = true;
    this.holder.hold(this);
  }

  flushOutput(): void {
    this.#held = false;
    const messages = this.#pending;
    this.#pending = [];
    for (const message of messages) {
      const b = Buffer.from(encodeMessage(message)).toString('base64');
      this.send(this.node, {
        type: 'msg',
        gameId: this.gameId,
        accountId: this.accountId,
        from: this.from,
        bytes: b,
        sequence: this.numbering.next(),
      });
    }
    if (this.#syncAsked !== undefined) this.#sendSynced(this.#syncAsked);
  }

  /**
   * The player's node asks (after Redis lost its data) to hear `synced` once
   * everything told to the player before has gone: at once, or after what
   * waits for the commit. One sending connection keeps the order.
   * `receivedUpTo`: the last position of the player's node's session applied here.
   */
  sync(receivedUpTo: number): void {
    if (this.#held) this.#syncAsked = receivedUpTo;
    else this.#sendSynced(receivedUpTo);
  }

  #sendSynced(receivedUpTo: number): void {
    this.#syncAsked = undefined;
    this.send(this.node, {
      type: 'synced',
      gameId: this.gameId,
      accountId: this.accountId,
      from: this.from,
      receivedUpTo,
      sequence: this.numbering.next(),
    });
  }

  /**
   * This node no longer referees the game: what was held may speak of writes
   * never stored, so it is dropped unsent; the player's node closes the
   * connection, and the client finds the game where it is refereed now.
   */
  drop(): void {
    this.#pending = [];
    this.send(this.node, {
      type: 'gone',
      gameId: this.gameId,
      accountId: this.accountId,
      from: this.from,
      sequence: this.numbering.next(),
    });
  }

  /** Storage stayed down: what was held speaks of moves never stored; the player's node drops the connection. */
  abandonOutput(): void {
    this.#held = false;
    this.#pending = [];
    this.#syncAsked = undefined;
    this.send(this.node, {
      type: 'away',
      gameId: this.gameId,
      accountId: this.accountId,
      from: this.from,
      why: 'drop',
      sequence: this.numbering.next(),
    });
  }
}
