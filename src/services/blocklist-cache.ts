import { Blocklist, type BlockedEntry } from '../domain/blocklist.js';
import type { BlocklistStore } from '../store/blocklist-store.js';
import { CATALOG_PICKUP_MS } from './catalog-cache.js';
import { PolledCopy, VersionPoll } from './version-poll.js';

/**
 * The blocklist held in memory so that a send reads no table for it, reloaded when the store's
 * blocklist version changes: polled like the catalog, so a change made anywhere (the CLI, another
 * process) reaches every API process within CATALOG_PICKUP_MS.
 */
export class BlocklistCache extends PolledCopy {
  private blocklist = new Blocklist([]);
  protected readonly poll: VersionPoll;
  /** Sends refused for the blocklist since start: all that is kept of them. */
  refusals = 0;

  constructor(store: Pick<BlocklistStore, 'blocklistVersion' | 'listBlocked'>, refreshMs = CATALOG_PICKUP_MS / 2) {
    super();
    this.poll = new VersionPoll(
      () => store.blocklistVersion(),
      async () => {
        this.blocklist = new Blocklist(await store.listBlocked());
      },
      refreshMs,
    );
  }

  /** The entry that blocks `e164` for `clientId`, counted as a refusal; undefined: none does. */
  blocking(e164: string, clientId: string): BlockedEntry | undefined {
    const entry = this.blocklist.blocking(e164, clientId);
    if (entry) this.refusals += 1;
    return entry;
  }
}
