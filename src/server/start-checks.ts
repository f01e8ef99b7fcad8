import { quoted, UserError } from './cli-support.js';
import { NO_PASSWORD } from './house-bot.js';
import type { OperatorStore } from './store/store.js';

/**
 * Options that cannot work together, or undefined; pure. Checked before the
 * database is opened, so that such a start leaves no new database behind.
 */
export function optionConflict(options: {
  readonly tls: boolean;
  readonly plain: 'allow' | 'refuse';
  readonly cluster?: string | undefined;
  readonly botAfterMs: number;
}): string | undefined {
  if (!options.tls && options.plain === 'refuse') {
    return '--plain refuse with --no-tls would refuse every connection; drop one of them';
  }
  if (options.cluster && options.botAfterMs > 0) {
    return '--bot-after is not supported with --cluster yet; drop one of them';
  }
  return undefined;
}

/** What of a store the start checks read. */
export type CheckedStore = Pick<OperatorStore, 'nameClashes' | 'findAccount'>;

/** Accounts the server cannot run with: names that differ only in case, or a person's account as the bot. */
export async function refuseUnsafeAccounts(
  store: CheckedStore,
  options: { readonly db: string; readonly botName: string; readonly botAfterMs: number },
): Promise<void> {
  if (store.nameClashes.length > 0) {
    const clashes = store.nameClashes.map((names) => names.map(quoted).join(' and ')).join(', ');
    throw new UserError(
      `account names now ignore case, and ${options.db} holds names that differ only in case: ${clashes}; ` +
        'rename or remove all but one of each ("checkers-server user rename NAME NEW" or "user remove NAME", exact spelling), then start again',
    );
  }
  const bot = options.botAfterMs > 0 ? await store.findAccount(options.botName) : undefined;
  if (bot && bot.passwordHash !== NO_PASSWORD) {
    throw new UserError(
      `--bot-name ${quoted(options.botName)} names an account that has a password (a person's); choose another --bot-name`,
    );
  }
}
