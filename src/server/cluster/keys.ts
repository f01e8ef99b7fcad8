/** The Redis keys of a cluster (one cluster per Redis database: pick another with redis://HOST:PORT/DB). */
const PREFIX = 'checkers:';

/** Alive while the node renews it; its value is the node's game address (host:port). */
export const nodeKey = (node: string) => `${PREFIX}node:${node}`;
/** The stream of envelopes sent to a node, read by that node only, in order. */
export const inboxKey = (node: string) => `${PREFIX}inbox:${node}`;
/** The node where an account is logged in. */
export const presenceKey = (accountId: number) => `${PREFIX}presence:${accountId}`;
/** The game an account is playing (its id), while the game lasts. */
export const accountGameKey = (accountId: number) => `${PREFIX}account-game:${accountId}`;
/** The node that referees a game: its lease. */
export const gameKey = (gameId: number) => `${PREFIX}game:${gameId}`;
/** Everyone waiting for a game: account id -> QueueEntry as JSON. */
export const QUEUE_KEY = `${PREFIX}queue`;
/**
 * The queue entry (its exact JSON) that a pairing took from the account,
 * for a while (PAIRED_MARK_MS): a node does not put that entry back.
 */
export const pairedKey = (accountId: number | string) => `${PREFIX}paired:${accountId}`;
/** The node that pairs the queue: its lease. */
export const MATCHMAKER_KEY = `${PREFIX}matchmaker`;
/** The last game id handed out. */
export const GAME_IDS_KEY = `${PREFIX}game-ids`;
/**
 * The last fencing token handed out (a node taking a game gets the next);
 * missing until a node seeds it above the store's largest, and nobody takes
 * or pairs a game meanwhile.
 */
export const FENCE_KEY = `${PREFIX}fence`;
/** Set once by the first node; missing after a connection means Redis lost its data (restarted). */
export const EPOCH_KEY = `${PREFIX}epoch`;
export const NODE_KEY_PREFIX = `${PREFIX}node:`;
