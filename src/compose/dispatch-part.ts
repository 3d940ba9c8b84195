import type { Logger } from 'pino';
import type { Carrier } from '../carrier/carrier.js';
import type { Config } from '../config/config.js';
import { ClientSenders } from '../dispatch/client-senders.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { Housekeeper } from '../dispatch/housekeeper.js';
import { localLeaseOwner } from '../dispatch/lease-owner.js';
import { ReceiptQueries } from '../dispatch/receipt-queries.js';
import type { StatusEvents } from '../dispatch/status-events.js';
import type { CatalogStore } from '../store/catalog-store.js';
import type { MessageStore } from '../store/message-store.js';

export interface DispatchPart {
  /** Sends were committed: look at the queue now rather than at the next poll. */
  notify(): void;
  /** Stops housekeeping and the dispatcher, which finishes its submits and closes the binds. */
  close(): Promise<void>;
}

export interface DispatchPartOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The catalog too: each client's sender. */
  readonly store: MessageStore & Pick<CatalogStore, 'catalogVersion' | 'listClients'>;
  readonly carrier: Carrier;
  /** Where every status change of the dispatcher and the housekeeper is published. */
  readonly events?: StatusEvents;
}

/**
 * The dispatcher and, beside it, the housekeeper and the queries for lost receipts: every store
 * needs them, and where the dispatcher runs keeps an API-only process lean.
 */
export async function startDispatch({ config, logger, store, carrier, events }: DispatchPartOptions): Promise<DispatchPart> {
  const senders = new ClientSenders(store);
  await senders.start();
  const dispatcher = new Dispatcher({
    senders,
    store,
    carrier,
    logger: logger.child({ component: 'dispatch' }),
    owner: localLeaseOwner(),
    reclaimDeadLocalLeases: !config.databaseUrl,
    leaseMs: config.claimLeaseMs,
    pollMs: 200,
    validityMs: config.validityS * 1000,
    receiptHoldMs: config.receiptHoldMs,
    events,
    // Half the shutdown timeout: the rest is for unbinding and the store.
    stopWaitMs: Math.floor(config.shutdownTimeoutMs / 2),
  });
  const receiptQueries = new ReceiptQueries({
    store,
    carrier,
    logger: logger.child({ component: 'receipt-queries' }),
    queryAfterMs: config.receiptQueryAfterS * 1000,
    events,
  });
  const housekeeper = new Housekeeper({
    store,
    logger: logger.child({ component: 'housekeeping' }),
    validityMs: config.validityS * 1000,
    retentionMs: config.retentionDays * 86_400_000,
    events,
  });
  await dispatcher.start();
  housekeeper.start();
  receiptQueries.start();
  return {
    notify: () => dispatcher.notify(),
    close: async () => {
      housekeeper.stop();
      await receiptQueries.stop();
      await dispatcher.stop();
      senders.stop();
    },
  };
}
