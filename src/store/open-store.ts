import type { Config } from '../config/config.js';
import type { CommitObserver } from './commit-observer.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** The store the configuration names: PostgreSQL when SMSGATE_DATABASE_URL is set, else SQLite. */
export async function openStore(config: Pick<Config, 'dbPath' | 'databaseUrl'>, onCommit?: CommitObserver): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(config.databaseUrl, { onCommit });
  }
  return SqliteStore.open(config.dbPath, onCommit);
}
