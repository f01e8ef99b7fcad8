import type { Store } from '../store/store.js';

/** Rows read per query while looking for an account's stored game. */
export const STORED_GAME_PAGE = 5_000;

/**
 * The store is the truth about who is in a game (Redis may have lost its
 * pointers in a restart): the id of the account's stored game in progress,
 * if any. It pages through the live games' ids and players (the store has no
 * query by account; a page is a few thousand small rows), and runs only for
 * a login whose game Redis does not know.
 */
export async function storedGameOf(
  store: Pick<Store, 'liveGameRefs'>,
  accountId: number,
  pageSize = STORED_GAME_PAGE,
): Promise<number | undefined> {
  for (let after = 0; ; ) {
    const page = await store.liveGameRefs({ after, limit: pageSize });
    const game = page.find((ref) => ref.blackId === accountId || ref.whiteId === accountId);
    if (game) return game.id;
    if (page.length < pageSize) return undefined;
    after = page.at(-1)?.id ?? 0;
  }
}
