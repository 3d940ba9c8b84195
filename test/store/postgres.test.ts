import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describeIfPostgres } from '../support/services.js';
import { describeStoreContract } from './contract.js';
import { withSchema } from './postgres-schema.js';

/**
 * Each store gets its own schema in the test database, so tests and test files running in
 * parallel never see each other's rows.
 */
await describeIfPostgres('PostgresStore', (url) => {
  const schemas: string[] = [];

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin.end();
    }
  });

  describeStoreContract('PostgreSQL', async () => {
    const schema = `smsgate_test_${randomUUID().replaceAll('-', '')}`;
    schemas.push(schema);
    return PostgresStore.open(await withSchema(url, schema), { maxConnections: 8 });
  });
});
