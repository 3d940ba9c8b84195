import { GatewayError } from '../domain/errors.js';
import { SETTINGS, type Settings } from './settings.js';

export { LOG_LEVELS, type LogLevel } from './settings.js';

/** Everything the gateway reads from its environment, validated: one field per row of SETTINGS. */
export type Config = { readonly [K in keyof Settings]: ReturnType<Settings[K]['read']> };

/** Reads every setting once. Plain data, so it can be handed to a worker thread as it is. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const config = Object.fromEntries(
    Object.entries(SETTINGS).map(([key, s]) => [key, (s.read as (e: NodeJS.ProcessEnv, n: string, f: string | undefined) => unknown)(env, s.name, s.fallback)]),
  ) as Config;
  if (config.httpWorkers > 1 && !config.redisUrl) {
    throw new GatewayError(
      'INVALID_CONFIG',
      'SMSGATE_HTTP_WORKERS>1 needs SMSGATE_REDIS_URL: limits held in one process would not bind the others',
    );
  }
  if (config.httpHeadersTimeoutMs > config.httpRequestTimeoutMs) {
    throw new GatewayError(
      'INVALID_CONFIG',
      'SMSGATE_HTTP_HEADERS_TIMEOUT_MS must not exceed SMSGATE_HTTP_REQUEST_TIMEOUT_MS: the headers are part of the request',
    );
  }
  if (config.idempotencyTtlS > config.retentionDays * 86400) {
    throw new GatewayError(
      'INVALID_CONFIG',
      'SMSGATE_IDEMPOTENCY_TTL_S must not exceed SMSGATE_RETENTION_DAYS: a repeated send must still find the message its key stands for',
    );
  }
  return config;
}
