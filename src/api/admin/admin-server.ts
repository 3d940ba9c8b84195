import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../../domain/errors.js';
import { buildHttpApp } from '../http-app.js';
import { registerOpenApi } from '../openapi.js';
import type { HttpLimits } from '../http-server.js';

/**
 * One group of routes on the admin listener: the admin API, health and metrics, the admin
 * OpenAPI document. This is the listener's extension point: a part that has something to serve
 * there adds a group (src/compose/admin-part.ts collects them).
 */
export interface AdminRouteGroup {
  /** For logs and errors: "admin-api", "health", "metrics". */
  readonly name: string;
  /** Registers the group's routes, at their full paths (e.g. `/admin/v1/clients`, `/metrics`). */
  readonly routes: FastifyPluginAsync;
  /**
   * Served without the admin token: only what reveals no message data (health, metrics), and
   * only while SMSGATE_METRICS_TOKEN_REQUIRED is not `true`.
   */
  readonly tokenExempt?: boolean;
}

export interface AdminServerOptions {
  readonly logger: Logger;
  readonly limits: HttpLimits;
  /** Whether a presented bearer token (undefined: none) is the admin token. */
  readonly verifyToken: (presented: string | undefined) => Promise<boolean>;
  /** SMSGATE_METRICS_TOKEN_REQUIRED: the token-exempt groups need the token too. */
  readonly metricsTokenRequired: boolean;
  readonly groups: readonly AdminRouteGroup[];
}

/**
 * The admin listener: the public port's HTTP edge (same limits, error shape, 404 and 405) with
 * the admin route groups on it. Every answer, errors included, says `Cache-Control: no-store`:
 * it holds passcodes, tokens and message data that no cache may keep.
 */
export function buildAdminServer(options: AdminServerOptions): FastifyInstance {
  // The admin port is for operators on the host or a private network: no proxy is trusted.
  const { app } = buildHttpApp({ logger: options.logger, limits: options.limits, trustProxy: false });
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });
  // Its own document (/openapi.json, /docs): open like health, since it shows shapes, no data.
  registerOpenApi(app, {
    title: 'smsgate admin API',
    description: 'Clients, templates, messages and counts (/admin/v1), health and metrics. See docs/admin.md.',
    version: 'v1',
    security: {
      schemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'SMSGATE_ADMIN_TOKEN, or the token printed on the first start' } },
      required: [{ adminToken: [] }],
    },
  });
  for (const group of options.groups) {
    const open = group.tokenExempt === true && !options.metricsTokenRequired;
    // Each group in a context of its own, so that the token check covers exactly its routes.
    void app.register(async (scope) => {
      if (!open) scope.addHook('onRequest', async (request, reply) => requireToken(request, reply, options.verifyToken));
      await scope.register(group.routes);
    });
  }
  return app;
}

async function requireToken(request: FastifyRequest, reply: FastifyReply, verifyToken: AdminServerOptions['verifyToken']): Promise<void> {
  const presented = bearerToken(request.headers.authorization);
  if (await verifyToken(presented)) return;
  void reply.header('www-authenticate', 'Bearer');
  throw new GatewayError(
    'ADMIN_AUTH_FAILED',
    presented === undefined ? 'this needs the admin token: Authorization: Bearer <token>' : 'the admin token is wrong',
  );
}

/** `Bearer <token>` (the scheme in any case, RFC 7235); undefined for anything else. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
