/*
 * The node's side of the cluster (issue 24): relay links, resync, relayed
 * games, referee-lost checks, orphan adoption, the ClusterHandler and the
 * envelopes. The decisions live in the modules beside this one; this one
 * calls them. GameService constructs it with a cluster and calls it through
 * a few named methods (start, claim, rejoin, queue, move, leave, finished,
 * tick, stop); what it needs of the service is ClusterPlayHost.
 */

import type { Logger } from 'pino';
import { decodeMessageAt, InvalidLoginReason, type Message, type ProtocolMachine } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { wireRating } from '../domain/rating.js';
import type { LoginOutcome } from '../game-events.js';
import type { Lobby } from '../lobby.js';
import { type LeaveReason, Match, type MatchOptions, type MatchOutput } from '../match.js';
import type { PlayerLogin } from '../player-login.js';
import type { Session } from '../session.js';
import type { AccountStore, GameStore, LiveGameRef } from '../store/store.js';
import { readStored } from '../stored-read.js';
import type { ServerTiming } from '../timing.js';
import type { TurnBatch } from '../turn-batch.js';
import type { Cluster, ClusterHandler, Envelope } from './index.js';
import { PlayerNodes } from './player-nodes.js';
import { OWNER_UNKNOWN, skippedOnResume } from './referee-lost.js';
import { RelayGuard } from './relay-guard.js';
import { RelayLink } from './relay-link.js';
import { PlayerStreamNumbering } from './relay-order.js';
import { checkRelayedGames } from './relayed-games.js';
import { type RelayedGame, receivedBeforeSync, resyncOutcome, startResync } from './resync.js';
import { storedGameOf } from './stored-game.js';

/** Stored games the matchmaker looks at per orphan scan (one a second). */
export const ORPHAN_SCAN_PAGE = 5_000;

/** What the node's side of the cluster needs of the game service. */
export interface ClusterPlayHost {
  readonly cluster: Cluster;
  readonly store: GameStore & AccountStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly batch: TurnBatch;
  readonly timing: ServerTiming;
  readonly lobby: Lobby<PlayerLogin>;
  /** Who is online here, by account. */
  readonly online: ReadonlyMap<number, PlayerLogin>;
  /** The version-1 game each account plays here; games refereed here are added and removed. */
  readonly matches: Map<number, Match>;
  matchOptions(): MatchOptions;
  /** Routes what a move played here produced (Match.play returns it): its changes to commit, then its messages. */
  played(match: Match, output: MatchOutput): void;
  /** A match created here starts (and is reported). */
  started(match: Match): void;
  /** The login is no longer online. */
  forget(login: PlayerLogin): void;
  refuseLogin(session: Session, reason: number, outcome: LoginOutcome): void;
  /** A storage read, undefined if storage failed. */
  read<T>(read: () => Promise<T>): Promise<T | undefined>;
  /** The last storage read failed. */
  readFailing(): boolean;
}

export class ClusterPlay {
  readonly #host: ClusterPlayHost;
  readonly #cluster: Cluster;
  /** The orphan scan goes on after this game id (0: from the start). */
  #orphanScanAfter = 0;
  /** The games refereed here, by id, and the seats of players on other nodes. */
  readonly #owned = new Map<number, Match>();
  /** Games that finished here, until the commit that records them (which may fence them off). */
  readonly #ending = new Map<number, Match>();
  readonly #relayLinks = new Map<string, RelayLink>();
  /** The nodes of relayed players, watched for their death (player-nodes.ts). */
  readonly #playerNodes = new PlayerNodes();
  /** Numbers relayed messages and drops those applied already. */
  readonly #relayGuard: RelayGuard;

  constructor(host: ClusterPlayHost) {
    this.#host = host;
    this.#cluster = host.cluster;
    this.#relayGuard = new RelayGuard(() => host.clock.now());
  }

  /** Joins the cluster; stored games belong to whichever node owns their lease, orphans are adopted later. */
  async start(): Promise<void> {
    await this.#cluster.start(this.#clusterHandler());
  }

  /** Stored and suspended: another node may take these games over at once, not after the leases expire. */
  async stop(): Promise<void> {
    for (const gameId of this.#owned.keys()) this.#cluster.releaseGame(gameId);
    await this.#cluster.stop();
  }

  /** Once a tick: relayed games whose referee died, then relayed players whose node died. */
  async tick(): Promise<void> {
    await this.#checkRelayedGames();
    await this.#checkPlayerNodes();
  }

  /** A move of a player whose game is refereed on another node goes there; false if it is not relayed. */
  move(login: PlayerLogin, move: number): boolean {
    if (!login.remote) return false;
    const { gameId, owner, relay } = login.remote;
    this.#cluster.send(owner, {
      type: 'move',
      gameId,
      accountId: login.accountId,
      from: this.#node,
      move,
      sequence: relay.next(),
    });
    return true;
  }

  get #node(): string {
    return this.#cluster.node;
  }

  /** Joins the lobby, and in a cluster the shared queue too. */
  queue(login: PlayerLogin): void {
    this.#host.lobby.join(login, login.rating.rating);
    this.#cluster.joinQueue({
      accountId: login.accountId,
      name: login.name,
      rating: login.rating.rating,
      glicko: login.rating,
      since: this.#host.clock.now(),
    });
  }

  /** One session per account in the cluster: false if the login was refused (or Redis is unreachable). */
  async claim(session: Session, accountId: number): Promise<boolean> {
    const cluster = this.#cluster;
    try {
      const claim = await cluster.claim(accountId);
      if (session.closed) return false;
      if (claim.ok) return true;
      this.#host.refuseLogin(session, InvalidLoginReason.AlreadyLoggedIn, 'already-logged-in');
      return false;
    } catch (error) {
      this.#host.log.error(
        { session: session.id, err: (error as Error).message },
        'cluster: Redis unreachable; login refused',
      );
      session.close('storage-outage');
      return false;
    }
  }

  /**
   * A login with no game here: its game may be refereed by another node, or
   * by none (its node died). The store is the truth about who is in a game:
   * a game Redis does not know (it lost its data) is looked for there, and
   * until the game's owner is known the login waits instead of queueing.
   */
  async rejoin(login: PlayerLogin): Promise<void> {
    const cluster = this.#cluster;
    const gone = () => login.session.closed || this.#host.online.get(login.accountId) !== login;
    const found = (await cluster.findGame(login.accountId).catch(() => undefined)) ?? (await this.#storedGame(login));
    if (gone()) return;
    if (found === 'unreadable') {
      this.#host.log.error({ user: login.name }, 'storage cannot say whether this player has a game; login closed');
      return login.session.close('storage-outage');
    }
    if (!found) return this.queue(login);
    const { gameId, owner } = found;
    const waits = (remote: RelayedGame) => {
      login.remote = remote;
      login.session.deliver({
        type: 'QueuePosition',
        queueSize: 1,
        position: 1,
        rating: wireRating(login.rating.rating),
      });
    };
    if (!this.#owned.has(gameId) && owner !== undefined && owner !== this.#node) {
      const relay = this.#relayGuard.openSession();
      waits({ gameId, owner, missing: 0, relay });
      cluster.send(owner, {
        type: 'join',
        gameId,
        accountId: login.accountId,
        from: this.#node,
        sequence: relay.opening(),
      });
      return;
    }
    if (!this.#owned.has(gameId)) {
      // Nobody referees it (its node died): this node takes it over from the store.
      const saved = (await this.#host.read(() => this.#host.store.loadLiveGames([gameId])))?.[0];
      if (saved)
        await this.#adopt([{ id: gameId, blackId: saved.black.accountId, whiteId: saved.white.accountId }], 'login');
      if (gone()) return;
      if (saved === undefined && !this.#host.readFailing()) {
        cluster.forgetGame(login.accountId, gameId);
        return this.queue(login);
      }
    }
    const match = this.#owned.get(gameId);
    // Not taken (takeovers wait a lease period after Redis lost its data; Redis or the store out of reach):
    // the login waits, and the tick takes the game over or joins it where another node did.
    waits({ gameId, owner: OWNER_UNKNOWN, missing: 0, relay: this.#relayGuard.openSession() });
    if (match) this.#resumeHere(login, match);
  }

  /** The account's game as the store knows it, and its owner if Redis knows one (V3: Redis may have forgotten). */
  async #storedGame(
    login: PlayerLogin,
  ): Promise<{ gameId: number; owner: string | undefined } | 'unreadable' | undefined> {
    // Not knowing is not "no game": the read is tried again (stored-read.ts) while the login waits.
    const read = await readStored(() => storedGameOf(this.#host.store, login.accountId), {
      clock: this.#host.clock,
      limitMs: this.#host.timing.storageOutageLimitMs,
      abandoned: () => login.session.closed || this.#host.online.get(login.accountId) !== login,
    });
    if (!read.ok) return 'unreadable';
    const gameId = read.value;
    if (gameId === undefined) return undefined;
    const [owner] = (await this.#cluster.gameOwners([gameId]).catch(() => undefined)) ?? [];
    return { gameId, owner };
  }

  /**
   * Takes over stored games nobody owns: both players away, each with a grace period (as after a restart).
   * The games are read again once their leases are held: an owner removes a lease only after committing
   * the game's end, so a game read as live before that would otherwise be restored after it finished.
   */
  async #adopt(seen: readonly LiveGameRef[], why: 'login' | 'orphan' | 'referee-lost'): Promise<void> {
    const cluster = this.#cluster;
    const taken: { readonly id: number; readonly fence: number; readonly players: number[] }[] = [];
    for (const game of seen) {
      if (this.#owned.has(game.id)) continue;
      const players = [game.blackId, game.whiteId];
      const fence = await cluster.takeGame(game.id, players).catch(() => 0);
      if (fence > 0) taken.push({ id: game.id, fence, players });
    }
    if (taken.length === 0) return;
    // The new tokens are stored first: no write of the previous referee lands after the read below.
    const fencedOff = await this.#host.read(() => this.#host.store.fenceGames(taken));
    const live =
      fencedOff && (await this.#host.read(() => this.#host.store.loadLiveGames(taken.map((game) => game.id))));
    const byId = new Map((live ?? []).map((game) => [game.id, game]));
    for (const { id, fence, players } of taken) {
      const saved = byId.get(id);
      if (this.#owned.has(id)) continue;
      if (!live || fencedOff?.includes(id)) {
        // Unreadable: the lease only, for another try. Fenced: the store knows a newer referee than Redis does.
        if (fencedOff?.includes(id))
          this.#host.log.error({ game: id, fence }, 'cluster: takeover token refused by the store');
        cluster.releaseGame(id);
      } else if (!saved) {
        // Finished meanwhile: its pointers go with the lease.
        cluster.endGame(id, players);
      } else {
        this.#own(Match.restore(saved, this.#host.matchOptions(), fence));
        this.#host.log.info({ game: id, node: this.#node, why, fence }, 'cluster: game taken over from the store');
      }
    }
  }

  #own(match: Match): void {
    this.#owned.set(match.id, match);
    for (const accountId of match.accountIds()) this.#host.matches.set(accountId, match);
  }

  /** After the finished game's commit, its lease and the players' pointers go (then nobody restores it). */
  finished(match: Match): void {
    const cluster = this.#cluster;
    if (!cluster || this.#owned.get(match.id) !== match) return;
    this.#owned.delete(match.id);
    this.#ending.set(match.id, match);
    const accountIds = match.accountIds();
    const ended = () => {
      // Not there any more: fenced off (#fencedOff), the result was not stored and the game is another node's.
      if (this.#ending.get(match.id) !== match) return false;
      this.#ending.delete(match.id);
      for (const accountId of accountIds) this.#relayLinks.delete(`${match.id}:${accountId}`);
      this.#relayGuard.forgetGame(match.id);
      return true;
    };
    this.#host.batch.hold({
      concernsGame: true,
      flushOutput: () => {
        if (ended()) cluster.endGame(match.id, accountIds);
      },
      abandonOutput: ended,
    });
  }

  leave(login: PlayerLogin, why: 'drop' | LeaveReason): void {
    const remote = login.remote;
    if (!remote) return;
    login.remote = undefined;
    if (remote.owner === OWNER_UNKNOWN) return;
    this.#cluster.send(remote.owner, {
      type: 'away',
      gameId: remote.gameId,
      accountId: login.accountId,
      from: this.#node,
      why,
      sequence: remote.relay.next(),
    });
  }

  /** Once a tick: relayed players whose referee died stay connected, and their games are taken over (relayed-games.ts). */
  async #checkRelayedGames(): Promise<void> {
    const cluster = this.#cluster;
    await checkRelayedGames(
      {
        node: this.#node,
        cluster,
        log: this.#host.log,
        logins: () => this.#host.online.values(),
        openSession: () => this.#relayGuard.openSession(),
        owned: (gameId) => this.#owned.get(gameId),
        adopt: (gameIds) => this.#adoptRelayed(gameIds),
        resumeHere: (login, match) => this.#resumeHere(login, match),
        queue: (login) => this.queue(login),
        rejoinElsewhere: (login) => this.#rejoinElsewhere(login),
      },
      this.#host.clock.now(),
    );
  }

  /** Takes over games whose referee is gone; returns those found finished in the store. */
  async #adoptRelayed(gameIds: readonly number[]): Promise<number[]> {
    const saved = await this.#host.read(() => this.#host.store.loadLiveGames(gameIds));
    if (!saved) return [];
    await this.#adopt(
      saved.map((game) => ({ id: game.id, blackId: game.black.accountId, whiteId: game.white.accountId })),
      'referee-lost',
    );
    return gameIds.filter((id) => !saved.some((game) => game.id === id));
  }

  /** The relayed player's game is refereed here now: its seat is taken again, its connection kept. */
  #resumeHere(login: PlayerLogin, match: Match): void {
    const remote = login.remote;
    login.remote = undefined;
    if (remote) this.#relayGuard.forgetPlayer(remote.gameId, login.accountId);
    this.#host.log.info(
      { user: login.name, game: match.id },
      'cluster: player seated in the game refereed here, connection kept',
    );
    login.resuming = true;
    try {
      match.rejoin(login.accountId, login);
    } finally {
      login.resuming = false;
    }
  }

  /**
   * Once a tick, as a referee: a relayed player whose node is gone (O1) is
   * dropped as a local connection drop is, so that the reconnect grace
   * starts. Its link stays (with its numbering) for a join from that node
   * again; the node hears `gone` in case it is alive after all (its player
   * then logs in again and rejoins).
   */
  async #checkPlayerNodes(): Promise<void> {
    const links = [...this.#relayLinks.entries()].filter(([, link]) => this.#owned.has(link.gameId));
    const nodes = [...new Set(links.map(([, link]) => link.node))];
    // Redis unreachable: nothing is known, nobody is dropped.
    const alive = await this.#cluster.liveNodes(nodes).catch(() => undefined);
    if (!alive) return;
    for (const node of this.#playerNodes.observe(nodes, alive)) {
      for (const [key, link] of links) {
        const match = this.#owned.get(link.gameId);
        if (link.node !== node || !match || this.#relayLinks.get(key) !== link) continue;
        this.#host.log.warn(
          { game: link.gameId, node },
          "cluster: a relayed player's node is gone; reconnect grace started",
        );
        link.drop();
        match.drop(link);
      }
    }
  }

  #clusterHandler(): ClusterHandler {
    return {
      receive: (envelope) => this.#receive(envelope),
      leaseLost: (gameId) => this.#leaseLost(gameId),
      redisReset: () => {
        // What was in flight may be lost: each relayed game is checked with its referee (cluster/resync.ts).
        const now = this.#host.clock.now();
        this.#playerNodes.reset();
        for (const { remote, accountId } of this.#host.online.values())
          if (remote && remote.owner !== OWNER_UNKNOWN)
            this.#cluster.send(remote.owner, startResync(remote, accountId, this.#node, now));
      },
      onlineAccounts: () => this.#host.online.keys(),
      ownedGames: () => this.#owned.keys(),
      playersOf: (gameId) => this.#owned.get(gameId)?.accountIds() ?? [],
      fenceOf: (gameId) => this.#owned.get(gameId)?.fence ?? 0,
      storedCounters: async () => ({
        largestGameId: await this.#host.store.maxLiveGameId(),
        largestFence: await this.#host.store.maxFence(),
      }),
      adoptOrphans: async () => {
        if (this.#host.batch.failing) return;
        // One page per call, in turn: a bounded piece of work however many games are in progress.
        const page = await this.#host.read(() =>
          this.#host.store.liveGameRefs({ after: this.#orphanScanAfter, limit: ORPHAN_SCAN_PAGE }),
        );
        if (!page) return;
        this.#orphanScanAfter = page.length < ORPHAN_SCAN_PAGE ? 0 : (page.at(-1)?.id ?? 0);
        const stored = page.filter((game) => !this.#owned.has(game.id));
        const owners = await this.#cluster.gameOwners(stored.map((game) => game.id));
        await this.#adopt(
          stored.filter((_, i) => owners?.[i] === undefined),
          'orphan',
        );
      },
    };
  }

  #receive(envelope: Envelope): void {
    const cluster = this.#cluster;
    // Sent again by the transport (a resent XADD, an inbox read again): applied once already.
    const admission = this.#relayGuard.admit(envelope);
    if (!admission.admitted) {
      this.#host.log.debug({ type: envelope.type }, 'cluster: a relayed message arrived again; dropped');
      return;
    }
    switch (envelope.type) {
      case 'takeover': {
        const login = this.#host.online.get(envelope.accountId);
        if (!login) return;
        this.#host.log.info(
          { session: login.session.id, user: login.name },
          'connection taken over by a login on another node',
        );
        login.remote = undefined;
        this.#host.forget(login);
        login.session.close('takeover');
        return;
      }
      case 'pair':
        this.#startPairedMatch(envelope);
        return;
      case 'join': {
        const match = this.#owned.get(envelope.gameId);
        if (!match) {
          cluster.send(envelope.from, {
            type: 'gone',
            gameId: envelope.gameId,
            accountId: envelope.accountId,
            from: this.#node,
          });
          return;
        }
        const link = this.#relayLink(
          envelope.gameId,
          envelope.accountId,
          String(envelope.accountId),
          envelope.from,
          match.fence ?? 0,
        );
        match.rejoin(envelope.accountId, link);
        return;
      }
      case 'move': {
        const match = this.#owned.get(envelope.gameId);
        const link = this.#relayLinks.get(`${envelope.gameId}:${envelope.accountId}`);
        if (!match || !link || link.node !== envelope.from) {
          cluster.send(envelope.from, {
            type: 'gone',
            gameId: envelope.gameId,
            accountId: envelope.accountId,
            from: this.#node,
          });
          return;
        }
        const result = match.play(link, envelope.move);
        if (result.ok) this.#host.played(match, result.output);
        else link.deliver({ type: 'InvalidMove', move: envelope.move, board: match.boardFor(link) });
        return;
      }
      case 'away': {
        const link = this.#relayLinks.get(`${envelope.gameId}:${envelope.accountId}`);
        const match = this.#owned.get(envelope.gameId);
        if (match && link && link.node === envelope.from) {
          if (envelope.why === 'drop') match.drop(link);
          else match.leave(link, envelope.why);
          return;
        }
        // From the owner: what was held for the player speaks of moves never stored.
        const login = this.#host.online.get(envelope.accountId);
        if (login?.remote?.gameId === envelope.gameId && login.remote.owner === envelope.from) {
          login.remote = undefined;
          login.session.close('storage-outage');
        }
        return;
      }
      case 'gone': {
        const login = this.#host.online.get(envelope.accountId);
        if (login?.remote?.gameId === envelope.gameId && login.remote.owner === envelope.from) {
          // The game moved or ended: the client reconnects and finds it.
          login.remote = undefined;
          login.session.close('node-lost');
        } else if (login && this.#host.lobby.has(login)) {
          // A pairing that could not start: back in the shared queue.
          this.#host.lobby.leave(login);
          this.queue(login);
        }
        return;
      }
      case 'msg':
        this.#relayed(envelope.gameId, envelope.accountId, envelope.from, envelope.bytes);
        return;
      case 'sync': {
        // A game that just ended here still has its GameOver to send: `synced` goes after it.
        const link = this.#relayLinks.get(`${envelope.gameId}:${envelope.accountId}`);
        const refereed = this.#owned.has(envelope.gameId) || this.#ending.has(envelope.gameId);
        if (refereed && link?.node === envelope.from) link.sync(receivedBeforeSync(envelope, admission.previous));
        else
          cluster.send(envelope.from, {
            type: 'gone',
            gameId: envelope.gameId,
            accountId: envelope.accountId,
            from: this.#node,
          });
        return;
      }
      case 'synced': {
        const login = this.#host.online.get(envelope.accountId);
        const outcome = resyncOutcome(login?.remote, envelope, admission.previous);
        if (login && outcome === 'rejoin') this.#rejoinElsewhere(login);
        if (login && outcome === 'keep')
          this.#host.log.info({ user: login.name, game: envelope.gameId }, 'cluster: relayed game kept, nothing lost');
        return;
      }
    }
  }

  /** The relayed player's connection is closed, so that the client logs in again and rejoins its game. */
  #rejoinElsewhere(login: PlayerLogin): void {
    login.remote = undefined;
    login.session.close('node-lost');
  }

  /** A message of a game refereed elsewhere, for a player here. */
  #relayed(gameId: number, accountId: number, owner: string, base64: string): void {
    const login = this.#host.online.get(accountId);
    let message: Message;
    try {
      message = decodeMessageAt(Buffer.from(base64, 'base64'), 0);
    } catch {
      this.#host.log.error({ game: gameId }, 'cluster: malformed relayed message ignored');
      return;
    }
    if (login && !login.remote && message.type === 'GameStart' && this.#host.lobby.has(login)) {
      // Paired by the matchmaker, refereed by the opponent's node.
      this.#host.lobby.leave(login);
      this.#cluster.queueTaken(accountId);
      login.remote = { gameId, owner, missing: 0, relay: this.#relayGuard.openSession() };
    }
    if (!login || login.remote?.gameId !== gameId || login.remote.owner !== owner) {
      this.#cluster.send(owner, { type: 'away', gameId, accountId, from: this.#node, why: 'drop' });
      return;
    }
    if (message.type === 'GameOver' || message.type === 'OpponentDisconnect') {
      login.remote = undefined;
      this.#relayGuard.forgetPlayer(gameId, accountId);
    }
    if (login.remote?.resumed && skippedOnResume(login.session.machine as ProtocolMachine<1>, message)) return;
    login.session.deliver(message);
    if (message.type === 'InvalidMove') login.session.moveRefusedElsewhere();
  }

  #relayLink(gameId: number, accountId: number, name: string, node: string, fence: number): RelayLink {
    const cluster = this.#cluster;
    const previous = this.#relayLinks.get(`${gameId}:${accountId}`)?.numbering;
    const link = new RelayLink(
      accountId,
      name,
      node,
      gameId,
      this.#node,
      this.#host.batch,
      (to, envelope) => cluster.send(to, envelope),
      previous?.fence === fence ? previous : new PlayerStreamNumbering(fence),
    );
    this.#relayLinks.set(`${gameId}:${accountId}`, link);
    return link;
  }

  /** The matchmaker paired black (on this node) with white (here or on another node): this node referees. */
  #startPairedMatch(envelope: Extract<Envelope, { type: 'pair' }>): void {
    const cluster = this.#cluster;
    const { gameId, black, white } = envelope;
    const waitingHere = (accountId: number) => {
      const login = this.#host.online.get(accountId);
      return login && !login.remote && !this.#host.matches.has(accountId) && this.#host.lobby.has(login)
        ? login
        : undefined;
    };
    const blackLogin = black.node === this.#node ? waitingHere(black.accountId) : undefined;
    const whiteLogin = white.node === this.#node ? waitingHere(white.accountId) : undefined;
    if (!blackLogin || (white.node === this.#node && !whiteLogin) || this.#owned.has(gameId)) {
      // One of them left meanwhile: whoever still waits goes back in the queue.
      for (const [entry, login] of [
        [black, blackLogin],
        [white, whiteLogin],
      ] as const) {
        if (login) {
          this.#host.lobby.leave(login);
          this.queue(login);
        } else if (entry.node !== this.#node) {
          cluster.send(entry.node, { type: 'gone', gameId, accountId: entry.accountId, from: this.#node });
        }
      }
      return;
    }
    this.#host.lobby.leave(blackLogin);
    cluster.queueTaken(black.accountId);
    if (whiteLogin) {
      this.#host.lobby.leave(whiteLogin);
      cluster.queueTaken(white.accountId);
    }
    const whiteLink = whiteLogin ?? this.#relayLink(gameId, white.accountId, white.name, white.node, envelope.fence);
    const match = Match.create(
      gameId,
      { accountId: blackLogin.accountId, name: blackLogin.name, rating: blackLogin.rating, link: blackLogin },
      { accountId: white.accountId, name: white.name, rating: whiteLogin?.rating ?? white.glicko, link: whiteLink },
      this.#host.matchOptions(),
      envelope.fence,
    );
    this.#own(match);
    cluster.ownNewGame(gameId, match.accountIds(), envelope.fence);
    this.#host.log.info({ black: black.name, white: white.name, game: gameId, relayed: !whiteLogin }, 'game started');
    this.#host.started(match);
  }

  /** Another node owns this game now (this one could not renew its lease): stop refereeing it. */
  #leaseLost(gameId: number): void {
    const match = this.#owned.get(gameId);
    if (!match) return;
    this.#stopRefereeing(match);
    this.#host.log.error({ game: gameId }, 'cluster: another node owns this game now; stopped refereeing it here');
  }

  /**
   * The store refused these games' writes: another node took them over (its
   * fencing token is larger) while this one did not know. Nothing of them
   * was stored, so nothing held about them goes out; this node stops
   * refereeing them and gives up the lease if it still holds it. The turn
   * batch tells it (through the game service).
   */
  fencedOff(gameIds: readonly number[]): void {
    for (const gameId of gameIds) {
      const match = this.#owned.get(gameId) ?? this.#ending.get(gameId);
      if (!match) continue;
      this.#ending.delete(gameId);
      this.#stopRefereeing(match);
      this.#cluster.releaseGame(gameId);
      this.#host.log.error(
        { game: gameId, fence: match.fence },
        'cluster: another node took this game over (its fencing token is larger); its last writes here were not stored, and nothing about them was sent',
      );
    }
  }

  /** Players here are disconnected (to rejoin wherever the game is now); relayed players' nodes are told it is gone. */
  #stopRefereeing(match: Match): void {
    if (this.#owned.get(match.id) === match) this.#owned.delete(match.id);
    match.suspend();
    for (const accountId of match.accountIds()) {
      if (this.#host.matches.get(accountId) === match) this.#host.matches.delete(accountId);
      const key = `${match.id}:${accountId}`;
      this.#relayLinks.get(key)?.drop();
      this.#relayLinks.delete(key);
      this.#host.online.get(accountId)?.session.close('node-lost');
    }
    this.#relayGuard.forgetGame(match.id);
  }
}
