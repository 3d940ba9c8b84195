import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { adminApiGroup } from '../api/admin/admin-api.js';
import { assertCallbackTarget } from '../callbacks/callback-url-guard.js';
import type { AdminRouteGroup } from '../api/admin/admin-server.js';
import type { Config } from '../config/config.js';
import { servesHttp, type Role } from '../config/roles.js';
import type { StatusEvents } from '../dispatch/status-events.js';
import { CatalogService } from '../services/catalog-service.js';
import { MessageLookupService } from '../services/message-lookup-service.js';
import type { Store } from '../store/store.js';
import { healthRoutes, type Exposition } from '../api/health-routes.js';
import type { Readiness } from '../services/readiness.js';
import { consoleGroup } from '../api/admin/console-routes.js';
import type { ConsoleSessions } from '../services/console-sessions.js';
import { LiveService } from '../services/live-service.js';
import type { MetricsJson } from '../metrics/metrics.js';
import type { BindState } from '../carrier/smpp/bind-state.js';

/** What the parts of one process offer the admin listener's route groups. */
export interface AdminContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly role: Role;
  readonly store: Store;
  /**
   * Applies a catalog change in this process now (its API's cache) instead of at the next poll;
   * undefined where no API runs here.
   */
  readonly refreshCatalog: (() => Promise<void>) | undefined;
  /** This process's status changes; undefined where no dispatcher runs in this thread. */
  readonly statusEvents: StatusEvents | undefined;
  /** What /readyz answers: store, Redis and binds of this process. */
  readonly readiness: () => Promise<Readiness>;
  /** The Prometheus text of every registry of this process; undefined when metrics are off. */
  readonly metrics: (() => Promise<Exposition>) | undefined;
  /** Every metrics registry of this process (main and dispatch thread); undefined when metrics are off. */
  readonly metricsJson: (() => Promise<MetricsJson[]>) | undefined;
  /** This process's binds; [] where it does not dispatch. */
  readonly bindStates: () => Promise<BindState[]>;
  /** The web console's logins on this listener. */
  readonly sessions: ConsoleSessions;
  /** The public API's port: the one bound where it runs in this process (SMSGATE_PORT=0), else SMSGATE_PORT. */
  readonly publicPort: number;
}

/**
 * The web console's built files: dist/console/ of the package. This module is dist/compose/ once
 * built and src/compose/ when run from source (tests): one level under the package either way.
 */
export const CONSOLE_DIRECTORY = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/**
 * Everything the admin listener serves in this process: the extension point of the listener.
 * A part with routes there (health, metrics) adds its group to this list.
 *
 * The admin API (clients, templates, messages, stats) is served by processes that serve the
 * public API (`--role all` and `--role api`): those hold the catalog cache that a change must
 * reach at once. A `--role dispatcher` process serves health and metrics only; its fleet's API
 * processes serve the admin API over the same store.
 */
export function adminRouteGroups(context: AdminContext): AdminRouteGroup[] {
  const { config, store, role, refreshCatalog } = context;
  const groups: AdminRouteGroup[] = [];
  const { readiness, metrics } = context;
  // No token unless SMSGATE_METRICS_TOKEN_REQUIRED=true: a prober or Prometheus has none to give.
  groups.push({
    name: 'health',
    tokenExempt: true,
    routes: async (scope) => {
      await scope.register(healthRoutes, { readiness, metrics });
    },
  });
  if (servesHttp(role)) {
    const lookups = new MessageLookupService(store, config.defaultRegion);
    groups.push(
      adminApiGroup({
        catalog: new CatalogService(store, Date.now, (url) => assertCallbackTarget(url, config.callbackAllowPrivate)),
        lookups,
        live: new LiveService({ metrics: context.metricsJson, binds: context.bindStates, queueDepth: () => store.queueDepth(), lookups }),
        catalogChanged: refreshCatalog ?? (async () => {}),
      }),
      // The console shows and changes what the admin API does, so it is served beside it.
      consoleGroup({ sessions: context.sessions, directory: CONSOLE_DIRECTORY, publicApi: { host: config.host, port: context.publicPort } }),
    );
  }
  return groups;
}
