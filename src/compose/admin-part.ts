import type { Logger } from 'pino';
import { buildAdminServer, type AdminRouteGroup } from '../api/admin/admin-server.js';
import type { Config } from '../config/config.js';
import { GatewayError } from '../domain/errors.js';
import type { AdminTokenService } from '../services/admin-token-service.js';
import type { ConsoleSessions } from '../services/console-sessions.js';
import { httpLimitsOf } from './api-part.js';

export type { AdminRouteGroup } from '../api/admin/admin-server.js';

export interface AdminPart {
  /** The admin port actually bound (SMSGATE_ADMIN_PORT=0 picks a free one). */
  readonly port: number;
  close(): Promise<void>;
}

export interface AdminPartOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The admin token: what a bearer token is checked against. */
  readonly tokens: AdminTokenService;
  /** The web console's logins: their cookie is taken wherever the token is. */
  readonly sessions: ConsoleSessions;
  /**
   * What the listener serves. The extension point: the composition root hands every group here
   * (the admin API where there is a catalog to manage; health and metrics everywhere).
   */
  readonly groups: readonly AdminRouteGroup[];
}

/** The admin listener (SMSGATE_ADMIN_HOST:SMSGATE_ADMIN_PORT), listening. */
export async function startAdmin({ config, logger, tokens, sessions, groups }: AdminPartOptions): Promise<AdminPart> {
  const app = buildAdminServer({
    logger: logger.child({ component: 'admin' }),
    limits: httpLimitsOf(config),
    verifyToken: (presented) => tokens.verify(presented),
    sessions,
    metricsTokenRequired: config.metricsTokenRequired,
    groups,
  });
  try {
    await app.listen({ host: config.adminHost, port: config.adminPort });
  } catch (error) {
    await app.close();
    throw adminListenError(error, config);
  }
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : config.adminPort,
    close: () => app.close(),
  };
}

function adminListenError(error: unknown, config: Pick<Config, 'adminHost' | 'adminPort'>): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
    return new GatewayError(
      'INVALID_CONFIG',
      `admin port ${config.adminPort} on ${config.adminHost} is already in use: set SMSGATE_ADMIN_PORT to another port (e.g. SMSGATE_ADMIN_PORT=8091)`,
    );
  }
  return error;
}
