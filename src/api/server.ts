import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildHttpApp } from './http-app.js';
import { registerOpenApi } from './openapi.js';
import type { HttpLimits } from './http-server.js';
import { publicRoutes, type PublicRoutesOptions } from './public-routes.js';
import type { TrustProxy } from '../config/trust-proxy.js';

export interface ApiDeps {
  readonly send: PublicRoutesOptions['send'];
  readonly query: PublicRoutesOptions['query'];
  readonly logger: Logger;
  readonly limits: HttpLimits;
  /** Whose X-Forwarded-For is believed for `request.ip` (SMSGATE_TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
  /** Counts the sends accepted and rejected (metrics); absent: nothing counted. */
  readonly sendObserver?: PublicRoutesOptions['sendObserver'];
}

/** The public port: the seed's API (../shared/seed/sms-api.txt) on the shared HTTP edge. */
export function buildApi({ send, query, logger, limits, trustProxy, sendObserver }: ApiDeps): FastifyInstance {
  const { app, gate } = buildHttpApp({ logger, limits, trustProxy });
  registerOpenApi(app, {
    title: 'smsgate SMS API',
    description: 'Templated one-time codes over HTTP (../shared/seed/sms-api.txt). The body is JSON whatever the Content-Type says.',
    version: 'v1',
  });
  void app.register(publicRoutes, { send, query, gate, sendObserver });
  return app;
}
