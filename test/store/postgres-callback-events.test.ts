import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describeIfPostgres } from '../support/services.js';
import { sendMessage } from './contract/support.js';
import { withSchema } from './postgres-schema.js';

// The gateway sends no outbox statement while no client has a callback URL. A URL set by another
// process (the CLI) must be noticed once this process reads the catalog version (its catalog
// cache does, every half second), however recently it read the flag.
await describeIfPostgres('PostgresStore callback events across processes', (url) => {
  const schema = `smsgate_test_${randomUUID().replaceAll('-', '')}`;
  const stores: PostgresStore[] = [];

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin.end();
    }
  });

  it('writes events from the next change after the catalog version shows another process set a URL', async () => {
    const schemaUrl = await withSchema(url, schema);
    // Never re-read on time alone here: only the catalog version may tell the gateway.
    const gateway = await PostgresStore.open(schemaUrl, { maxConnections: 4, callbackFlagRefreshMs: 3_600_000 });
    stores.push(gateway);
    const cli = await PostgresStore.open(schemaUrl, { maxConnections: 2 });
    stores.push(cli);

    await cli.addClient('c1', 'hash', 1_000);
    await gateway.catalogVersion();
    await sendMessage(gateway, ['PX1'], 2_000, { clientId: 'c1' }); // flag read now: no client has a URL
    await cli.setClientCallback('c1', { url: 'https://hooks.example.com/c1', events: 'all', secret: 's' });
    await sendMessage(gateway, ['PX1b'], 2_500, { clientId: 'c1' }); // not seen yet: the flag is cached
    expect(await gateway.callbackBacklog()).toEqual({ owed: 0, dead: 0 });
    await gateway.catalogVersion();
    const owed = await sendMessage(gateway, ['PX2'], 3_000, { clientId: 'c1' });
    const events = await gateway.claimCallbackEvents({ clientId: 'c1', owner: 'o', limit: 10, leaseMs: 1_000, now: 4_000 });
    expect(events.map((e) => e.smsUid)).toEqual([owed]);
  });
});
