import { isSupportedRegion } from '../domain/phone-number.js';
import { GatewayError } from '../domain/errors.js';
import { readChoice, readInteger, readString, readUrl } from './env.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the gateway reads from its environment, validated. README lists each variable. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dbPath: string;
  readonly perNumberIntervalS: number;
  readonly sendRatePerS: number;
  readonly queryRatePerS: number;
  readonly defaultRegion: string;
  readonly simulatorDlrMs: number;
  readonly validityS: number;
  readonly logLevel: LogLevel;
  /** Largest number of sends committed in one transaction. */
  readonly commitBatchMax: number;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly retentionDays: number;
  /** API processes on this host (node:cluster); more than one needs shared limits (Redis). */
  readonly httpWorkers: number;
  /** With role `all`: run the dispatcher in a worker thread of its own (default) or in-process. */
  readonly dispatchThread: boolean;
  /** How long a dispatcher's claim on a message lasts; a killed dispatcher's work waits this long. */
  readonly claimLeaseMs: number;
  /** Prepended to every Redis key, so several gateways (or tests) can share one Redis. */
  readonly redisPrefix: string;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const config = readConfig(env);
  if (config.httpWorkers > 1 && !config.redisUrl) {
    throw new GatewayError(
      'INVALID_CONFIG',
      'SMSGATE_HTTP_WORKERS>1 needs SMSGATE_REDIS_URL: limits held in one process would not bind the others',
    );
  }
  return config;
}

function readConfig(env: NodeJS.ProcessEnv): Config {
  const defaultRegion = readString(env, 'SMSGATE_DEFAULT_REGION', 'CN').toUpperCase();
  if (!isSupportedRegion(defaultRegion)) {
    throw new GatewayError('INVALID_CONFIG', `SMSGATE_DEFAULT_REGION="${defaultRegion}" is invalid: expected a region code like CN or US`);
  }
  return {
    host: readString(env, 'SMSGATE_HOST', '0.0.0.0'),
    port: readInteger(env, 'SMSGATE_PORT', 8080, 0, 65535),
    dbPath: readString(env, 'SMSGATE_DB', './data/smsgate.db'),
    perNumberIntervalS: readInteger(env, 'SMSGATE_PER_NUMBER_INTERVAL_S', 60, 0, 86400),
    sendRatePerS: readInteger(env, 'SMSGATE_SEND_RATE', 80000, 1),
    queryRatePerS: readInteger(env, 'SMSGATE_QUERY_RATE', 1000, 1),
    defaultRegion,
    simulatorDlrMs: readInteger(env, 'SMSGATE_SIM_DLR_MS', 500, 0, 3_600_000),
    validityS: readInteger(env, 'SMSGATE_VALIDITY_S', 48 * 3600, 60, 30 * 86400),
    logLevel: readChoice(env, 'SMSGATE_LOG_LEVEL', 'info', LOG_LEVELS),
    commitBatchMax: readInteger(env, 'SMSGATE_COMMIT_BATCH_MAX', 1000, 1, 100_000),
    databaseUrl: readUrl(env, 'SMSGATE_DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: readUrl(env, 'SMSGATE_REDIS_URL', ['redis:', 'rediss:']),
    retentionDays: readInteger(env, 'SMSGATE_RETENTION_DAYS', 30, 1, 3650),
    httpWorkers: readInteger(env, 'SMSGATE_HTTP_WORKERS', 1, 1, 64),
    dispatchThread: readChoice(env, 'SMSGATE_DISPATCH_THREAD', 'on', ['on', 'off']) === 'on',
    claimLeaseMs: readInteger(env, 'SMSGATE_CLAIM_LEASE_MS', 30_000, 1_000, 3_600_000),
    redisPrefix: readString(env, 'SMSGATE_REDIS_PREFIX', 'smsgate:'),
  };
}

