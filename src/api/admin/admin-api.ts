import type { FastifyPluginAsync } from 'fastify';
import type { CatalogService } from '../../services/catalog-service.js';
import type { MessageLookupService } from '../../services/message-lookup-service.js';
import type { AdminRouteGroup } from './admin-server.js';
import { catalogRoutes } from './catalog-routes.js';
import { messageRoutes } from './message-routes.js';

export const ADMIN_API_PREFIX = '/admin/v1';

export interface AdminApiOptions {
  readonly catalog: CatalogService;
  readonly lookups: MessageLookupService;
  /** Applies a catalog change in this process's API at once rather than at its next poll. */
  readonly catalogChanged: () => Promise<void>;
}

/** The admin API (/admin/v1), behind the admin token. */
export function adminApiGroup({ catalog, lookups, catalogChanged }: AdminApiOptions): AdminRouteGroup {
  const routes: FastifyPluginAsync = async (app) => {
    await app.register(catalogRoutes, { prefix: ADMIN_API_PREFIX, catalog, changed: catalogChanged });
    await app.register(messageRoutes, { prefix: ADMIN_API_PREFIX, lookups });
  };
  return { name: 'admin-api', routes };
}
