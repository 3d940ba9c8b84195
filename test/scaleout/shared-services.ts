import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { Redis } from 'ioredis';
import { generatePasscode, hashPasscode } from '../../src/domain/passcode.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { POSTGRES_TEST_URL, REDIS_TEST_URL } from '../support/services.js';
import { withSchema } from '../store/postgres-schema.js';

/**
 * What the processes of a scale-out test share: a PostgreSQL schema of the test's own (one client,
 * template t1 `code ${code}`) and a Redis key prefix of its own, with a connection to each for
 * the test to look with. close() drops both.
 */
export interface SharedServices {
  /** The database URL the processes use (search_path set to the schema). */
  readonly url: string;
  readonly prefix: string;
  readonly db: pg.Client;
  readonly kv: Redis;
  readonly passcode: string;
  /** The settings that point a process at them. */
  readonly env: Record<string, string>;
  /** The destinations (as the SMSC sees them: no "+") a dispatcher had claimed and not recorded as sent. */
  inFlightOf(dispatcherPid: number): Promise<string[]>;
  /** How many of `uids` are delivered. */
  delivered(uids: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export async function openSharedServices(name: string, clientId: string): Promise<SharedServices> {
  const id = randomUUID().replaceAll('-', '');
  const schema = `smsgate_${name}_${id}`;
  const prefix = `test:${name}:${id}:`;
  const url = await withSchema(POSTGRES_TEST_URL, schema);
  const store = await PostgresStore.open(url, { maxConnections: 2 });
  const passcode = generatePasscode();
  try {
    await store.addClient(clientId, hashPasscode(clientId, passcode), Date.now());
    await store.addTemplate({ templetId: 't1', body: 'code ${code}', clientId: null });
  } finally {
    await store.close();
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const kv = new Redis(REDIS_TEST_URL);
  return {
    url,
    prefix,
    db,
    kv,
    passcode,
    env: { SMSGATE_DATABASE_URL: url, SMSGATE_REDIS_URL: REDIS_TEST_URL, SMSGATE_REDIS_PREFIX: prefix },
    async inFlightOf(pid) {
      const { rows } = await db.query<{ phone_number: string }>(
        `SELECT phone_number FROM messages WHERE lease_owner = $1 AND status = 'queuing'`,
        [`${hostname()}:${pid}`],
      );
      return rows.map((r) => r.phone_number.slice(1));
    },
    async delivered(uids) {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE sms_uid = ANY($1::uuid[]) AND status = 'delivered'`, [uids]);
      return Number(rows[0]!.n);
    },
    async close() {
      const keys = await kv.keys(`${prefix}*`);
      if (keys.length > 0) await kv.del(...keys);
      kv.disconnect();
      await db.end();
      const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
