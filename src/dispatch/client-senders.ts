import { parseSender, type Sender } from '../domain/sender.js';
import type { CatalogStore } from '../store/catalog-store.js';

/**
 * Each client's sender, for the dispatcher: looked up when a message is submitted rather than
 * stored in every message row (no bytes per message, no change to the accept path). A sender
 * changed while a message waits applies to it. Reloaded when the catalog version changes.
 */
export class ClientSenders {
  private senders = new Map<string, Sender>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<CatalogStore, 'catalogVersion' | 'listClients'>,
    private readonly refreshMs = 500,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  senderOf(clientId: string): Sender | undefined {
    return this.senders.get(clientId);
  }

  async refresh(): Promise<void> {
    const version = await this.store.catalogVersion();
    if (version === this.version) return;
    const senders = new Map<string, Sender>();
    for (const client of await this.store.listClients()) {
      if (client.limits.sender !== null) senders.set(client.clientId, parseSender(client.limits.sender));
    }
    this.senders = senders;
    this.version = version;
  }
}
