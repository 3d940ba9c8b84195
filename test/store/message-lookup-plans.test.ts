import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageFilter } from '../../src/store/message-lookup-store.js';
import { findMessagesSql, windowCountSql } from '../../src/store/message-lookup-sql.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { describeIfPostgres } from '../support/services.js';
import { withSchema } from './postgres-schema.js';

// The admin API's message search must stay an index walk at 10 million messages: every filter
// shape reads an index in sms_uid order (newest first) and stops at the page size, never scans
// the table or sorts it. These are the plans each store chooses.
const UID = '0193a5c2-7d4e-7b1a-9c3f-5e2d8a6b4c10';
const SHAPES: [string, MessageFilter, RegExp][] = [
  ['no filter', { limit: 51 }, /messages/],
  ['by number', { phoneNumber: '+8613800138000', limit: 51 }, /messages_phone/],
  ['by client', { clientId: 'c', limit: 51 }, /messages_client/],
  ['by number and status', { phoneNumber: '+8613800138000', status: 'delivered', limit: 51 }, /messages_phone/],
  ['by an error status', { status: 'error_expired', limit: 51 }, /messages_error_expired/],
  ['by time window, next page', { since: 1_000, until: 2_000, afterUid: UID, limit: 51 }, /messages/],
  ['by client, time and page', { clientId: 'c', since: 1_000, afterUid: UID, limit: 51 }, /messages_client|sqlite_autoindex|PRIMARY|pkey/],
];

describe('SQLite plans', () => {
  const db = new Database(':memory:');
  beforeAll(() => {
    for (const migration of MIGRATIONS) db.exec(migration);
  });
  afterAll(() => db.close());
  const plan = (sql: string, values: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as { detail: string }[]).map((row) => row.detail).join(' | ');

  it.each(SHAPES)('searches %s through an index, in order, without a sort', (_name, filter, index) => {
    const { sql, values } = findMessagesSql(filter, () => '?');
    const detail = plan(sql, values);
    expect(detail).toMatch(index);
    // The table is its primary key (WITHOUT ROWID): a plain SCAN walks it in sms_uid order and
    // stops at the page size; only a search with a filter of its own must not.
    if (Object.keys(filter).length > 1) expect(detail).not.toMatch(/SCAN messages(?! USING)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('counts a window through the time range of the key, and the queue depth through the queue indexes', () => {
    const window = windowCountSql(1_000, () => '?');
    expect(plan(window.sql, window.values)).toMatch(/SEARCH messages USING PRIMARY KEY/);
    expect(plan(`SELECT COUNT(*) AS n FROM messages WHERE status = 'queuing'`, [])).toContain('messages_queue');
    expect(plan(`SELECT COUNT(*) AS n FROM messages WHERE status = 'sent'`, [])).toContain('messages_awaiting_receipt');
  });
});

await describeIfPostgres('PostgreSQL plans', (url) => {
  let store: PostgresStore;
  let client: pg.Client;
  const schema = `smsgate_test_${randomUUID().replaceAll('-', '')}`;
  beforeAll(async () => {
    const schemaUrl = await withSchema(url, schema);
    store = await PostgresStore.open(schemaUrl, { maxConnections: 1 });
    await store.close();
    client = new pg.Client({ connectionString: schemaUrl });
    await client.connect();
    // A table this small would be read whole; the planner is told what 10 million rows would
    // make it choose: no sequential scan while an index serves.
    await client.query('SET enable_seqscan = off');
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it.each(SHAPES)('searches %s through an index, in order, without a sort', async (_name, filter, index) => {
    const { sql, values } = findMessagesSql(filter, (n) => `$${n}`, (p) => `${p}::uuid`);
    const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values);
    const detail = result.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(detail).toMatch(/Index/);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/Seq Scan|Sort/);
  });

  it('counts a window and the queue depth through indexes', async () => {
    const explain = async (sql: string, values: unknown[] = []) =>
      (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values)).rows.map((row) => row['QUERY PLAN']).join('\n');
    const window = windowCountSql(1_000, (n) => `$${n}`, (p) => `${p}::uuid`);
    expect(await explain(window.sql, window.values)).toMatch(/Index.*messages_pkey/);
    expect(await explain(`SELECT COUNT(*) FROM messages WHERE status = 'queuing'`)).toMatch(/messages_queue/);
    expect(await explain(`SELECT COUNT(*) FROM messages WHERE status = 'sent'`)).toMatch(/messages_sent_created/);
  });
});
