import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describeIfPostgres } from '../support/services.js';
import { newMessage } from './contract/support.js';
import { withSchema } from './postgres-schema.js';

/**
 * Between API processes the unique key of idempotency_keys decides: a send whose key another
 * transaction has inserted and not committed yet waits for it, then finds the key held.
 */
await describeIfPostgres('PostgreSQL Idempotency-Keys between processes', (url) => {
  const schema = `smsgate_idem_${randomUUID().replaceAll('-', '')}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('a send meeting a key not yet committed waits, then is left out in favour of the committed one', async () => {
    const schemaUrl = await withSchema(url, schema);
    const [one, two] = [await PostgresStore.open(schemaUrl, { maxConnections: 2 }), await PostgresStore.open(schemaUrl, { maxConnections: 2 })];
    const other = new pg.Client({ connectionString: schemaUrl });
    await other.connect();
    try {
      const firstUid = randomUUID();
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO idempotency_keys (client_id, idempotency_key, fingerprint, sms_uid, created_at, expires_at) VALUES ('client-a', 'k1', 'f1', $1, 1000, 100000)`,
        [firstUid],
      );
      const repeat = newMessage({ idempotency: { key: 'k1', fingerprint: 'f1', expiresAt: 100_000 } });
      const plain = newMessage();
      let settled = false;
      const insert = one.insertMessages([repeat, plain]).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false); // waiting on the uncommitted key
      await other.query('COMMIT');
      expect(await insert).toEqual([{ clientId: 'client-a', key: 'k1', fingerprint: 'f1', smsUid: firstUid, expiresAt: 100_000 }]);
      expect(await two.getMessage(repeat.smsUid)).toBeUndefined();
      expect(await two.getMessage(plain.smsUid)).toBeDefined();
    } finally {
      await other.end();
      await one.close();
      await two.close();
    }
  });

  it('two stores inserting the same keys at once, in opposite orders: one message a key, no deadlock', async () => {
    const schemaUrl = await withSchema(url, `${schema}_b`);
    const stores = await Promise.all([0, 1].map(() => PostgresStore.open(schemaUrl, { maxConnections: 2 })));
    try {
      const batchOf = (keys: string[]) => keys.map((key) => newMessage({ idempotency: { key, fingerprint: 'f', expiresAt: 100_000 } }));
      const batches = [batchOf(['a', 'b', 'c', 'same']), batchOf(['same', 'c', 'b', 'a'])];
      const held = await Promise.all(stores.map((store, i) => store.insertMessages(batches[i]!)));
      const inserted = (await Promise.all(batches.flat().map((m) => stores[0]!.getMessage(m.smsUid)))).filter(Boolean);
      expect(inserted).toHaveLength(4);
      expect(held.flat().map((r) => r.key).sort()).toEqual(['a', 'b', 'c', 'same']);
      for (const record of held.flat()) expect(inserted.map((m) => m!.smsUid)).toContain(record.smsUid);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema}_b CASCADE`);
      await admin.end();
    }
  });
});
