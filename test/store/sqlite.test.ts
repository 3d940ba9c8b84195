import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('SQLite', async () => SqliteStore.open(':memory:'));
