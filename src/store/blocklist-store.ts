import type { BlockedEntry } from '../domain/blocklist.js';

/**
 * Numbers and prefixes no message may go to. Every change bumps the blocklist version in the
 * same transaction (its own, not the catalog's: a list of 100,000 entries is reloaded only when
 * it changed), so a process that sees the new version also sees the change.
 */
export interface BlocklistStore {
  blocklistVersion(): Promise<number>;
  /** False when the entry was there already. */
  addBlocked(entry: BlockedEntry, now: number): Promise<boolean>;
  /** False when there was no such entry. */
  removeBlocked(entry: BlockedEntry): Promise<boolean>;
  /** Global entries (clientId null) and every client's. */
  listBlocked(): Promise<BlockedEntry[]>;
}
