import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ConsoleSession } from '../../domain/console-session.js';
import { GatewayError } from '../../domain/errors.js';
import { consoleCookieOf, refuseCrossSite } from './console-auth.js';
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
   * Served without the admin token: only what reveals no message data. `true` (health, metrics):
   * only while SMSGATE_METRICS_TOKEN_REQUIRED is not `true`. `'always'`: the console's files
   * and its login, which hold no data and must answer before anyone has logged in.
   */
  readonly tokenExempt?: boolean | 'always';
}

export interface AdminServerOptions {
  readonly logger: Logger;
  readonly limits: HttpLimits;
  /** Whether a presented bearer token (undefined: none) is the admin token. */
  readonly verifyToken: (presented: string | undefined) => Promise<boolean>;
  /** The web console's sessions: where given, its cookie is taken wherever the token is. */
  readonly sessions?: { check(value: string | undefined): Promise<ConsoleSession | undefined> };
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
      schemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'SMSGATE_ADMIN_TOKEN, or the token printed on the first start' },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'smsgate_console',
          description: 'the web console\'s session (POST /console/session); a change also needs X-Smsgate-Console: 1 and no foreign Origin',
        },
      },
      required: [{ adminToken: [] }, { consoleSession: [] }],
    },
  });
  for (const group of options.groups) {
    const open = group.tokenExempt === 'always' || (group.tokenExempt === true && !options.metricsTokenRequired);
    // Each group in a context of its own, so that the token check covers exactly its routes.
    void app.register(async (scope) => {
      if (!open) scope.addHook('onRequest', async (request, reply) => requireAdmin(request, reply, options));
      await scope.register(group.routes);
    });
  }
  return app;
}

/**
 * The bearer token, or else the console's cookie (with the CSRF rule for changes). A request
 * with an Authorization header is judged by it alone.
 */
async function requireAdmin(request: FastifyRequest, reply: FastifyReply, options: AdminServerOptions): Promise<void> {
  const cookie = consoleCookieOf(request.headers.cookie);
  if (request.headers.authorization === undefined && cookie !== undefined && options.sessions) {
    if (await options.sessions.check(cookie)) return refuseCrossSite(request);
    throw new GatewayError('ADMIN_AUTH_FAILED', 'the console session has ended (logged out, expired, or the admin token changed): log in again');
  }
  const presented = bearerToken(request.headers.authorization);
  if (await options.verifyToken(presented)) return;
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
