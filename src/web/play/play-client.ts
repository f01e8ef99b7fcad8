import type { Move } from '../../game/standard.js';
import { DEFAULT_OPTIONS } from './game-choices.js';
import type { PlayCommands, PlayListener, PlayView } from './play-commands.js';
import type { PlaySession, PlaySnapshot } from './play-session.js';
import type { KeyValueStore } from './resume-token.js';
import type { StandardSession } from './standard-session.js';

/** Storage that lives as long as the page: where a version-1 session keeps the password it logs in again with. */
export function memoryStore(): KeyValueStore {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

/** The one line the page shows when it falls back to version 1. */
export const VERSION_1_NOTICE =
  'This server speaks only protocol version 1 (standard rules, clocks, draws and rematch need version 2): ' +
  'the server plays captures for you, and a reload asks for your password again.';

/**
 * The play page's session: version 2 first; when the server answers a
 * version-2 login with InvalidVersion(1, 1) (a cluster, or an older server),
 * the same login goes on in version 1, with a one-line notice.
 */
export class PlayClient implements PlayCommands {
  #v1: PlaySession | undefined;
  #listeners: PlayListener[] = [];
  #stopV1: (() => void) | undefined;

  constructor(
    readonly standard: StandardSession,
    /** Makes a version-1 session that keeps its credentials in memory only (never in the browser's storage). */
    private readonly makeV1: () => PlaySession,
  ) {
    standard.subscribe((view, plies) => {
      if (!this.#v1) this.#emit(view, plies);
    });
  }

  /** Switches to version 1 and goes on with the login the server refused in version 2. */
  fallBack(username: string, password: string | undefined): void {
    if (!this.#v1) {
      this.#v1 = this.makeV1();
      this.#stopV1 = this.#v1.subscribe((snapshot, plies) => this.#emit(this.#fromV1(snapshot), plies));
    }
    if (password !== undefined) this.#v1.login(username, password);
  }

  get version(): 1 | 2 {
    return this.#v1 ? 1 : 2;
  }

  subscribe(listener: PlayListener): () => void {
    this.#listeners.push(listener);
    listener(this.#v1 ? this.#fromV1(this.#v1.snapshot()) : this.standard.snapshot(), []);
    return () => {
      this.#listeners = this.#listeners.filter((kept) => kept !== listener);
    };
  }

  resume(): boolean {
    return this.standard.resume();
  }

  login(username: string, password: string): void {
    if (this.#v1) this.#v1.login(username, password);
    else this.standard.login(username, password);
  }

  logOut(): void {
    if (this.#v1) this.#v1.logOut();
    else this.standard.logOut();
  }

  logoutForfeits(): boolean {
    return this.#v1 ? this.#v1.logoutForfeits() : this.standard.logoutForfeits();
  }

  chooseTimeControl(control: Parameters<StandardSession['chooseTimeControl']>[0]): void {
    if (!this.#v1) this.standard.chooseTimeControl(control);
  }

  joinQueue(): void {
    if (this.#v1) this.#v1.playAgain();
    else this.standard.joinQueue();
  }

  leaveQueue(): void {
    if (this.#v1) this.#v1.leaveQueue();
    else this.standard.leaveQueue();
  }

  play(move: Move): string | undefined {
    if (!this.#v1) return this.standard.play(move);
    const to = move.path[0];
    return to === undefined ? 'that is not a move' : this.#v1.moveStep(move.from, to);
  }

  moveText(text: string): string | undefined {
    return this.#v1 ? this.#v1.moveText(text) : this.standard.moveText(text);
  }

  resign(): void {
    if (!this.#v1) this.standard.resign();
  }

  offerDraw(): void {
    if (!this.#v1) this.standard.offerDraw();
  }

  answerDraw(accept: boolean): void {
    if (!this.#v1) this.standard.answerDraw(accept);
  }

  rematch(): void {
    if (!this.#v1) this.standard.rematch();
  }

  playComputer(level: number): void {
    if (!this.#v1) this.standard.playComputer(level);
  }

  chooseOptions(options: Parameters<StandardSession['chooseOptions']>[0]): void {
    if (!this.#v1) this.standard.chooseOptions(options);
  }

  playAsGuest(): void {
    if (!this.#v1) this.standard.playAsGuest();
  }

  createInvite(): void {
    if (!this.#v1) this.standard.createInvite();
  }

  joinInvite(code: string): void {
    if (!this.#v1) this.standard.joinInvite(code);
  }

  challenge(opponent: string): void {
    if (!this.#v1) this.standard.challenge(opponent);
  }

  answerChallenge(id: number, accept: boolean): void {
    if (!this.#v1) this.standard.answerChallenge(id, accept);
  }

  withdrawOffer(): void {
    if (!this.#v1) this.standard.withdrawOffer();
  }

  hint(): void {
    if (!this.#v1) this.standard.hint();
  }

  /** Stops listening to the version-1 session (tests). */
  dispose(): void {
    this.#stopV1?.();
  }

  #fromV1(snapshot: PlaySnapshot): PlayView {
    return {
      ...snapshot,
      version: 1,
      notice: VERSION_1_NOTICE,
      standard: undefined,
      timeControl: undefined,
      timeControls: [],
      askingComputer: false,
      guest: false,
      options: DEFAULT_OPTIONS,
      friends: undefined,
    };
  }

  #emit(view: PlayView, plies: Parameters<PlayListener>[1]): void {
    for (const listener of this.#listeners) listener(view, plies);
  }
}
