import type { FastifyPluginAsync } from 'fastify';
import type { CatalogService } from '../../services/catalog-service.js';
import type { MessageLookupService } from '../../services/message-lookup-service.js';
import type { LiveService } from '../../services/live-service.js';
import { liveRoutes } from './live-routes.js';
import type { AdminRouteGroup } from './admin-server.js';
import { catalogRoutes } from './catalog-routes.js';
import { messageRoutes } from './message-routes.js';

export const ADMIN_API_PREFIX = '/admin/v1';

export interface AdminApiOptions {
  readonly catalog: CatalogService;
  readonly lookups: MessageLookupService;
  /** The live page's snapshots. */
  readonly live: LiveService;
  /** Applies a catalog change in this process's API at once rather than at its next poll. */
  readonly catalogChanged: () => Promise<void>;
}

/** The admin API (/admin/v1), behind the admin token. */
export function adminApiGroup({ catalog, lookups, live, catalogChanged }: AdminApiOptions): AdminRouteGroup {
  const routes: FastifyPluginAsync = async (app) => {
    await app.register(catalogRoutes, { prefix: ADMIN_API_PREFIX, catalog, changed: catalogChanged });
    await app.register(messageRoutes, { prefix: ADMIN_API_PREFIX, lookups });
    await app.register(liveRoutes, { prefix: ADMIN_API_PREFIX, live });
  };
  return { name: 'admin-api', routes };
}
