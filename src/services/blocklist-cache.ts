import { Blocklist, type BlockedEntry } from '../domain/blocklist.js';
import type { BlocklistStore } from '../store/blocklist-store.js';
import { CATALOG_PICKUP_MS } from './catalog-cache.js';

/**
 * The blocklist held in memory so that a send reads no table for it, reloaded when the store's
 * blocklist version changes: polled like the catalog, so a change made anywhere (the CLI, another
 * process) reaches every API process within CATALOG_PICKUP_MS.
 */
export class BlocklistCache {
  private blocklist = new Blocklist([]);
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  /** Sends refused for the blocklist since start: all that is kept of them. */
  refusals = 0;

  constructor(
    private readonly store: Pick<BlocklistStore, 'blocklistVersion' | 'listBlocked'>,
    private readonly refreshMs = CATALOG_PICKUP_MS / 2,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reloads when the store's blocklist changed; one reload at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reloadIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The entry that blocks `e164` for `clientId`, counted as a refusal; undefined: none does. */
  blocking(e164: string, clientId: string): BlockedEntry | undefined {
    const entry = this.blocklist.blocking(e164, clientId);
    if (entry) this.refusals += 1;
    return entry;
  }

  private async reloadIfChanged(): Promise<void> {
    const version = await this.store.blocklistVersion();
    if (version === this.version) return;
    this.blocklist = new Blocklist(await this.store.listBlocked());
    this.version = version;
  }
}
