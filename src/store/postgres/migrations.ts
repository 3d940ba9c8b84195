import type pg from 'pg';
import { MIGRATIONS, type Migration } from './schema.js';

/**
 * Applies the migrations not yet recorded in schema_migrations, in version order, each in its
 * own transaction. Many processes may start at once: a session advisory lock, keyed by the
 * schema, lets one migrate while the others wait and then find nothing left to do.
 * Returns the versions this call applied.
 */
export async function runMigrations(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const lockKey = `smsgate:migrations:`;
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1 || coalesce(current_schema(), '')))`, [lockKey]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(done.rows.map((row) => row.version));
      const newlyApplied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.version} (${migration.name}) failed`, { cause: error });
        }
        newlyApplied.push(migration.version);
      }
      return newlyApplied;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1 || coalesce(current_schema(), '')))`, [lockKey]);
    }
  } catch (error) {
    // Do not hand a client back to the pool in an unknown state (lock held, transaction open).
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}
