import { join } from 'node:path';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { temporaryDirectory } from '../support/test-server.js';
import { type StoreFactory, storeContract } from './store-contract.js';
import { storeContractV2 } from './store-contract-v2.js';

const sqlite: StoreFactory = {
  async create() {
    const path = join(temporaryDirectory(), 'checkers.db');
    return { store: SqliteStore.open(path), reopen: async () => SqliteStore.open(path, { mustExist: true }) };
  },
};

storeContract('SqliteStore', sqlite);
storeContractV2('SqliteStore', sqlite);
