import pg from 'pg';

/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const INT8_OID = 20;

/**
 * Times and counters are bigint columns; within a pool they read back as numbers. Epoch ms and
 * counts stay far below 2^53. Scoped to this pool, so other `pg` users in the process keep strings.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  /** Connections this process may hold (default 10). */
  readonly maxConnections?: number;
  readonly applicationName?: string;
  /**
   * A connection failed (e.g. the server restarted): an idle one, which the pool already
   * dropped, or one in use, whose query fails and whose client is then destroyed.
   */
  readonly onConnectionError?: (error: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: typeParsers,
    application_name: options.applicationName ?? 'smsgate',
    connectionTimeoutMillis: 5_000,
  });
  const report = (error: Error): void => options.onConnectionError?.(error);
  // Without a listener a client losing its connection would crash the process ('error' event).
  // The pool listens to idle clients only; a client held in a transaction between two queries
  // (PostgreSQL restarting, its backend terminated) emits 'error' too, so every client gets a
  // listener for its whole life. Its next query fails, and inTransaction destroys it.
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

/**
 * Runs `work` in one transaction on one client; rolls back on any error. `begin` is the simple
 * query that opens it: BEGIN, and maybe more statements sent in the same round trip.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A client that cannot even roll back is unusable: release(error) destroys it.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** SQLSTATE of a pg error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error).code) : undefined;
}
