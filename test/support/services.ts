import pg from 'pg';
import { Redis } from 'ioredis';
import { describe } from 'vitest';

/**
 * External services for the PostgreSQL and Redis tests. Where a service is down the tests are
 * skipped with a printed reason, except in CI (CI=true), where a missing service is a failure:
 * CI must never pass by skipping what it exists to run.
 */
export const POSTGRES_TEST_URL = process.env.SMSGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_TEST_URL = process.env.SMSGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ServiceCheck {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string;
}

function inCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

export async function postgresAvailable(url = POSTGRES_TEST_URL): Promise<ServiceCheck> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {}); // reported through the failed connect/query below
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { name: 'PostgreSQL', available: true, reason: '' };
  } catch (error) {
    return { name: 'PostgreSQL', available: false, reason: `${url}: ${message(error)}` };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function redisAvailable(url = REDIS_TEST_URL): Promise<ServiceCheck> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {}); // reported through the failed connect/ping below
  try {
    await redis.connect();
    await redis.ping();
    return { name: 'Redis', available: true, reason: '' };
  } catch (error) {
    return { name: 'Redis', available: false, reason: `${url}: ${message(error)}` };
  } finally {
    redis.disconnect();
  }
}

/**
 * `describe` when the service answers; otherwise a skipped suite and a printed reason, or in CI a
 * failing one.
 */
export function describeIfService(check: ServiceCheck, name: string, body: () => void): void {
  if (check.available) {
    describe(name, body);
    return;
  }
  if (inCi()) {
    describe(name, () => {
      throw new Error(`${check.name} is required in CI but does not answer (${check.reason})`);
    });
    return;
  }
  console.warn(`[skip] ${name}: ${check.name} does not answer (${check.reason}); start it to run these tests`);
  describe.skip(name, body);
}

export async function describeIfPostgres(name: string, body: (url: string) => void): Promise<void> {
  describeIfService(await postgresAvailable(), name, () => body(POSTGRES_TEST_URL));
}

export async function describeIfRedis(name: string, body: (url: string) => void): Promise<void> {
  describeIfService(await redisAvailable(), name, () => body(REDIS_TEST_URL));
}
