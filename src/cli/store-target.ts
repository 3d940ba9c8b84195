import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { GatewayError } from '../domain/errors.js';

type StoreSettings = Pick<Config, 'dbPath' | 'databaseUrl'>;

/**
 * Which store a command works on, in words: `sqlite /abs/path.db` or `postgres host:port/db`.
 * Never the user or password of the URL.
 */
export function describeStore({ dbPath, databaseUrl }: StoreSettings): string {
  if (!databaseUrl) return `sqlite ${resolve(dbPath)}`;
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  return `postgres ${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
}

/**
 * For commands that read what is there: a missing or empty SQLite file is a wrong path (or a
 * forgotten SMSGATE_DATABASE_URL), not a new database to create and report as empty.
 */
export function requireExistingDatabase({ dbPath, databaseUrl }: StoreSettings): void {
  if (databaseUrl) return;
  const size = statSync(dbPath, { throwIfNoEntry: false })?.size ?? 0;
  if (size > 0) return;
  throw new GatewayError(
    'DATABASE_NOT_FOUND',
    `no database at ${resolve(dbPath)} (SMSGATE_DB); set SMSGATE_DB to the gateway's file, ` +
      `or SMSGATE_DATABASE_URL for PostgreSQL; "npx smsgate migrate" creates an empty one`,
  );
}
