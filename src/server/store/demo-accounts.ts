import { DEMO_ACCOUNTS, DEMO_HASH_COST } from '../accounts.js';
import { hashPassword } from '../passwords.js';
import type { OperatorStore } from './store.js';

/**
 * Gives a new database the demo accounts (PROTOCOL §11), all in one
 * transaction, hashed at the demo cost. Both stores call it when their open
 * created the schema; a failure leaves no demo account behind.
 */
export async function seedDemoAccounts(store: Pick<OperatorStore, 'createAccounts'>): Promise<void> {
  const accounts = await Promise.all(
    DEMO_ACCOUNTS.map(async ([name, password]) => ({
      name,
      passwordHash: await hashPassword(password, DEMO_HASH_COST),
    })),
  );
  await store.createAccounts(accounts);
}
