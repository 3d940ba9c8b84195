import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TransactionCombiner } from '../../src/store/postgres/transaction-combiner.js';
import { describeIfPostgres } from '../support/services.js';

await describeIfPostgres('TransactionCombiner', (url) => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(() => pool.end());

  const backendPid = (client: pg.PoolClient) => client.query<{ pid: number; xid: string }>('SELECT pg_backend_pid() AS pid, txid_current()::text AS xid');

  it('runs the writes of one turn in one transaction', async () => {
    const combiner = new TransactionCombiner(pool);
    const seen = await Promise.all(['a', 'b', 'c'].map((id) => combiner.run([id], async (client) => (await backendPid(client)).rows[0]!.xid)));
    expect(new Set(seen).size).toBe(1);
    await combiner.settled();
  });

  it('runs each write alone when the batch fails, so only the failing one sees its error', async () => {
    const combiner = new TransactionCombiner(pool);
    const results = await Promise.allSettled([
      combiner.run(['a'], async (client) => (await backendPid(client)).rows[0]!.xid),
      combiner.run(['b'], async (client) => {
        await client.query('SELECT 1/0');
      }),
      combiner.run(['c'], async (client) => (await backendPid(client)).rows[0]!.xid),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Alone: each in a transaction of its own.
    const [first, , third] = results as PromiseFulfilledResult<string>[];
    expect(first!.value).not.toBe(third!.value);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    await combiner.settled();
  });

  it('gathers the writes handed in while two batches are being written into one next batch', async () => {
    const combiner = new TransactionCombiner(pool);
    const xid = async (client: pg.PoolClient) => (await backendPid(client)).rows[0]!.xid;
    const slow = (client: pg.PoolClient) => client.query('SELECT pg_sleep(0.2)').then(() => xid(client));
    const first = combiner.run(['a'], slow);
    await new Promise((resolve) => setImmediate(resolve));
    const second = combiner.run(['b'], slow);
    await new Promise((resolve) => setImmediate(resolve));
    // Both batch slots are busy: these three, handed in over two turns, wait and go as one batch.
    const c = combiner.run(['c'], xid);
    await new Promise((resolve) => setImmediate(resolve));
    const later = await Promise.all([c, ...['d', 'e'].map((id) => combiner.run([id], xid))]);
    expect(new Set([await first, await second]).size).toBe(2);
    expect(new Set(later).size).toBe(1);
    await combiner.settled();
  });

  it('after a failed batch runs its writes one after another, so they do not time out waiting for a connection', async () => {
    const small = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 300 });
    try {
      const combiner = new TransactionCombiner(small);
      const writes = Array.from({ length: 12 }, (_, i) =>
        combiner.run([`id${i}`], async (client) => {
          if (i === 0) await client.query('SELECT 1/0');
          await client.query('SELECT pg_sleep(0.05)');
          return i;
        }),
      );
      const results = await Promise.allSettled(writes);
      expect(results.map((r) => r.status)).toEqual(['rejected', ...Array.from({ length: 11 }, () => 'fulfilled')]);
      await combiner.settled();
    } finally {
      await small.end();
    }
  });
});
