import { readFileSync } from 'node:fs';
import { loadCarrierConfig } from '../carrier/smpp/smpp-config.js';
import type { Config } from '../config/config.js';
import { dispatches, servesHttp, type Role } from '../config/roles.js';

/** The package's version, read once (the same file in src/ and dist/ runs). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The details of the start line: what runs and where it stores and delivers, enough to tell from
 * the log alone how this process was set up. No password: a database URL shows host and
 * database only, an SMSC its address and system_id.
 */
export function startDetails(config: Config, role: Role, ports: { readonly http: number | undefined; readonly admin: number | undefined }): Record<string, unknown> {
  return {
    version: VERSION,
    role,
    topology: topology(config, role),
    ports,
    store: config.databaseUrl ? { kind: 'postgres', at: withoutCredentials(config.databaseUrl) } : { kind: 'sqlite', path: config.dbPath },
    ...(config.redisUrl ? { redis: withoutCredentials(config.redisUrl) } : {}),
    ...(dispatches(role) ? { carriers: carriersShown(config) } : {}),
    metrics: config.metrics ? 'on' : 'off',
  };
}

function topology(config: Config, role: Role): string {
  if (config.httpWorkers > 1 && servesHttp(role)) return `${config.httpWorkers} API processes${dispatches(role) ? ', dispatcher in the primary' : ''}`;
  if (role === 'all') return config.dispatchThread ? 'API and dispatcher, dispatcher in a worker thread' : 'API and dispatcher in one thread';
  return role === 'api' ? 'API only' : 'dispatcher only';
}

function carriersShown(config: Config): unknown {
  if (!config.carriersPath) return 'built-in SMSC simulator';
  return loadCarrierConfig(config.carriersPath).connections.map((c) => ({
    name: c.name,
    host: c.host,
    port: c.port,
    tls: c.tls,
    systemId: c.systemId,
    bindMode: c.bindMode,
    binds: c.binds,
    window: c.window,
  }));
}

/** scheme://host:port/path: no user, no password, no query (which may carry options with secrets). */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
