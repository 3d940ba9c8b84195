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
});
