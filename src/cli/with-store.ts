import { loadConfig } from '../config/config.js';
import type { Store } from '../store/store.js';
import { openStore } from '../store/open-store.js';
import { createOutput, reportFailure, type Output } from './output.js';
import { describeStore, requireExistingDatabase } from './store-target.js';

export interface StoreCommand {
  readonly json: boolean;
  /** Only reads or changes what exists: refuses a missing SQLite file instead of creating one. */
  readonly needsDatabase: boolean;
}

export type WithStore = (command: StoreCommand, work: (store: Store, out: Output) => Promise<void>) => Promise<void>;

/**
 * Runs a command against the configured store, closing it after; failures set the exit code.
 * It first says which store on stderr (`store: ...`, with --json `{"store": ...}`), since the
 * same command under another SMSGATE_DB or SMSGATE_DATABASE_URL sees another catalog. Stderr
 * keeps stdout what it was: the answer alone, one JSON object with --json.
 */
export const withStore: WithStore = async ({ json, needsDatabase }, work) => {
  try {
    const config = loadConfig(process.env);
    const store = describeStore(config);
    process.stderr.write(json ? `${JSON.stringify({ store })}\n` : `store: ${store}\n`);
    if (needsDatabase) requireExistingDatabase(config);
    const opened = await openStore(config);
    try {
      await work(opened, createOutput(json));
    } finally {
      await opened.close();
    }
  } catch (error) {
    process.exitCode = reportFailure(error, json);
  }
};
