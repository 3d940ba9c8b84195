import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { composeGateway, type RunningGateway } from '../../../src/compose/compose-gateway.js';
import { loadConfig } from '../../../src/config/config.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { withSchema } from '../../store/postgres-schema.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface AdminGateway {
  readonly url: string;
  readonly adminUrl: string;
  readonly store: Store;
  readonly gateway: RunningGateway;
  /** An admin API call with the token; `body` as JSON. */
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  close(): Promise<void>;
}

/** Where the gateway under test keeps its data: a fresh SQLite file, or a fresh PostgreSQL schema. */
export type StoreKind = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

/** The whole gateway in this process (public and admin ports on free ports), over `storeKind`. */
export async function startAdminGateway(storeKind: StoreKind, env: Record<string, string> = {}): Promise<AdminGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-admin-'));
  let schema: string | undefined;
  let databaseUrl: string | undefined;
  if (storeKind.kind === 'postgres') {
    schema = `smsgate_test_${randomUUID().replaceAll('-', '')}`;
    databaseUrl = await withSchema(storeKind.url, schema);
  }
  const config = loadConfig({
    SMSGATE_PORT: '0',
    SMSGATE_HOST: '127.0.0.1',
    SMSGATE_ADMIN_PORT: '0',
    SMSGATE_DB: join(dir, 'smsgate.db'),
    SMSGATE_SIM_DLR_MS: '20',
    SMSGATE_LOG_LEVEL: 'silent',
    SMSGATE_DISPATCH_THREAD: 'off',
    SMSGATE_PER_NUMBER_INTERVAL_S: '0',
    SMSGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...(databaseUrl !== undefined && { SMSGATE_DATABASE_URL: databaseUrl }),
    ...env,
  });
  const store = databaseUrl !== undefined ? await PostgresStore.open(databaseUrl, { maxConnections: 4 }) : SqliteStore.open(config.dbPath);
  const gateway = await composeGateway(config, pino({ level: 'silent' }), { store });
  const adminUrl = `http://127.0.0.1:${gateway.adminPort}`;
  return {
    url: `http://127.0.0.1:${gateway.port}`,
    adminUrl,
    store,
    gateway,
    async admin(method, path, body, headers = {}) {
      const response = await fetch(`${adminUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: response.status, headers: response.headers, json };
    },
    async close() {
      await gateway.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (schema !== undefined && storeKind.kind === 'postgres') {
        const client = new pg.Client({ connectionString: storeKind.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}
