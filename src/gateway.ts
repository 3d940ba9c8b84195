import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api/server.js';
import { CatalogCache } from './services/catalog-cache.js';
import { QueryService } from './services/query-service.js';
import { SendService } from './services/send-service.js';
import type { Carrier } from './carrier/carrier.js';
import type { Config } from './config/config.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { Housekeeper } from './dispatch/housekeeper.js';
import { localLeaseOwner } from './dispatch/lease-owner.js';
import type { Limiter } from './domain/limits.js';
import { BatchWriter, type MessageSink } from './store/batch-writer.js';
import type { Store } from './store/store.js';

export interface GatewayParts {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly limiter: Limiter;
  /** Absent for an API-only process. */
  readonly carrier?: Carrier;
  /** Absent for a dispatcher-only process. */
  readonly serveHttp?: boolean;
  /** Told after each commit of sends, when the dispatcher runs elsewhere (another thread). */
  readonly onCommitted?: () => void;
  /** Where sends are committed, when not straight into `store` (the dispatch thread's writer). */
  readonly inserts?: MessageSink;
}

export interface RunningGateway {
  /** The HTTP port actually bound (config port 0 picks a free one). */
  readonly port: number | undefined;
  readonly app: FastifyInstance | undefined;
  /** Reloads clients and templates now instead of at the next poll. */
  refreshCatalog(): Promise<void>;
  /** Tells this gateway's dispatcher that sends were committed elsewhere. */
  notifyDispatcher(): void;
  close(): Promise<void>;
}

/**
 * The composition root: API and dispatcher over one store. Closing stops accepting first,
 * finishes the commits under way, stops the dispatcher, then closes the store.
 */
export async function startGateway(parts: GatewayParts): Promise<RunningGateway> {
  const { config, logger, store, limiter, carrier } = parts;
  const dispatcher = carrier
    ? new Dispatcher({
        store,
        carrier,
        logger: logger.child({ component: 'dispatch' }),
        owner: localLeaseOwner(),
        reclaimDeadLocalLeases: !config.databaseUrl,
        leaseMs: config.claimLeaseMs,
        pollMs: 200,
        validityMs: config.validityS * 1000,
      })
    : undefined;

  // Housekeeping runs where the dispatcher runs: every store needs one, and an API-only
  // process should stay lean.
  const housekeeper = dispatcher
    ? new Housekeeper({
        store,
        logger: logger.child({ component: 'housekeeping' }),
        validityMs: config.validityS * 1000,
        retentionMs: config.retentionDays * 86_400_000,
      })
    : undefined;

  let app: FastifyInstance | undefined;
  let writer: BatchWriter | undefined;
  let catalog: CatalogCache | undefined;
  let port: number | undefined;
  if (parts.serveHttp !== false) {
    catalog = new CatalogCache(store);
    await catalog.start();
    const onCommitted = parts.onCommitted ?? (() => dispatcher?.notify());
    writer = new BatchWriter(parts.inserts ?? store, config.commitBatchMax, onCommitted);
    const send = new SendService({ catalog, limiter, writer, defaultRegion: config.defaultRegion });
    const query = new QueryService({ catalog, limiter, store });
    app = buildApi({ send, query, logger });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : config.port;
  }
  await dispatcher?.start();
  housekeeper?.start();

  let closing: Promise<void> | undefined;
  return {
    port,
    app,
    refreshCatalog: async () => catalog?.refresh(),
    notifyDispatcher: () => dispatcher?.notify(),
    close: () => {
      closing ??= (async () => {
        await app?.close(); // stops accepting, waits for requests under way
        await writer?.drain();
        catalog?.stop();
        housekeeper?.stop();
        await dispatcher?.stop();
        await limiter.close();
        await store.close();
      })();
      return closing;
    },
  };
}
