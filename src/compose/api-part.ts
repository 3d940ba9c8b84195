import type { Logger } from 'pino';
import { buildApi } from '../api/server.js';
import type { HttpLimits } from '../api/http-server.js';
import { BlocklistCache } from '../services/blocklist-cache.js';
import { CatalogCache } from '../services/catalog-cache.js';
import { QueryService } from '../services/query-service.js';
import { SendService } from '../services/send-service.js';
import type { Config } from '../config/config.js';
import type { Limiter } from '../domain/limits.js';
import { GatewayError } from '../domain/errors.js';
import { BatchWriter, type MessageSink } from '../store/batch-writer.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../metrics/metrics.js';

export interface ApiPart {
  /** The HTTP port actually bound (config port 0 picks a free one). */
  readonly port: number;
  /** Reloads clients and templates now instead of at the next poll. */
  refreshCatalog(): Promise<void>;
  /** Stops accepting, waits for requests under way, then commits the sends still buffered. */
  close(): Promise<void>;
}

export interface ApiPartOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly limiter: Limiter;
  /** Where sends are committed: the store, or the dispatch thread's writer over SQLite. */
  readonly sink: MessageSink;
  /** Told after each commit of sends (wakes the dispatcher). */
  readonly onCommitted: () => void;
  /** Counts sends accepted and rejected, and the API's commits; absent: metrics are off. */
  readonly metrics?: Metrics;
}

/** The HTTP API, listening. */
export async function startApi(options: ApiPartOptions): Promise<ApiPart> {
  const { config, logger, store, limiter, metrics } = options;
  const catalog = new CatalogCache(store, undefined, (reload) => logger.info({ component: 'catalog', ...reload }, 'catalog reloaded: clients and templates changed'));
  await catalog.start();
  const blocklist = new BlocklistCache(store);
  await blocklist.start();
  const writer = new BatchWriter(options.sink, config.commitBatchMax, options.onCommitted, metrics?.onCommit);
  const send = new SendService({
    catalog,
    blocklist,
    limiter,
    writer,
    store,
    defaultRegion: config.defaultRegion,
    idempotencyTtlMs: config.idempotencyTtlS * 1000,
  });
  const query = new QueryService({ catalog, limiter, store });
  const app = buildApi({
    send,
    query,
    logger,
    limits: httpLimitsOf(config),
    trustProxy: config.trustProxy,
    sendObserver: metrics && { accepted: (seconds) => metrics.sendAccepted(seconds), rejected: (code, refused) => metrics.sendRejected(code, refused) },
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    catalog.stop();
    blocklist.stop();
    await app.close();
    throw listenError(error, config);
  }
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : config.port,
    refreshCatalog: async () => {
      await Promise.all([catalog.refresh(), blocklist.refresh()]);
    },
    close: async () => {
      await app.close(); // stops accepting, waits for requests under way
      await writer.drain();
      catalog.stop();
      blocklist.stop();
    },
  };
}

/** The SMSGATE_HTTP_* settings, as the HTTP server takes them. */
export function httpLimitsOf(config: Config): HttpLimits {
  return {
    headersTimeoutMs: config.httpHeadersTimeoutMs,
    requestTimeoutMs: config.httpRequestTimeoutMs,
    keepAliveTimeoutMs: config.httpKeepAliveTimeoutMs,
    maxConnections: config.httpMaxConnections,
    maxHeaders: config.httpMaxHeaders,
    maxHeaderBytes: config.httpMaxHeaderBytes,
    maxBodyBytes: config.httpMaxBodyBytes,
  };
}

/** A port someone else holds is a setting to change, not a crash: say which and how. */
function listenError(error: unknown, config: Pick<Config, 'host' | 'port'>): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new GatewayError(
      'INVALID_CONFIG',
      `port ${config.port} on ${config.host} is already in use: set SMSGATE_PORT to another port (e.g. SMSGATE_PORT=8090)`,
    );
  }
  return error;
}
