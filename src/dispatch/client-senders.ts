import { parseSender, type Sender } from '../domain/sender.js';
import { CATALOG_PICKUP_MS } from '../services/catalog-cache.js';
import { PolledCopy, VersionPoll } from '../services/version-poll.js';
import type { CatalogStore } from '../store/catalog-store.js';

/**
 * Each client's sender, for the dispatcher: looked up when a message is submitted rather than
 * stored in every message row (no bytes per message, no change to the accept path). A sender
 * changed while a message waits applies to it. Reloaded when the catalog version changes.
 */
export class ClientSenders extends PolledCopy {
  private senders = new Map<string, Sender>();
  protected readonly poll: VersionPoll;

  constructor(store: Pick<CatalogStore, 'catalogVersion' | 'listClients'>, refreshMs = CATALOG_PICKUP_MS / 2) {
    super();
    this.poll = new VersionPoll(
      () => store.catalogVersion(),
      async () => {
        const senders = new Map<string, Sender>();
        for (const client of await store.listClients()) {
          if (client.limits.sender !== null) senders.set(client.clientId, parseSender(client.limits.sender));
        }
        this.senders = senders;
      },
      refreshMs,
    );
  }

  senderOf(clientId: string): Sender | undefined {
    return this.senders.get(clientId);
  }
}
