import { join } from 'node:path';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { temporaryDirectory } from '../support/test-server.js';
import { storeContract } from './store-contract.js';

storeContract('SqliteStore', {
  async create() {
    const path = join(temporaryDirectory(), 'checkers.db');
    return { store: SqliteStore.open(path), reopen: async () => SqliteStore.open(path, { mustExist: true }) };
  },
});
