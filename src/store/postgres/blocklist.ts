import type pg from 'pg';
import type { BlockedEntry } from '../../domain/blocklist.js';
import { inTransaction, type Queryable } from './pool.js';

/** A global entry is stored under client_id '' (part of the primary key, so never NULL). */
const GLOBAL = '';

/** The blocklist (schema: migration "limits" in schema.ts). */
export class PostgresBlocklist {
  constructor(private readonly pool: pg.Pool) {}

  async version(): Promise<number> {
    const result = await this.pool.query<{ blocklist_version: string }>('SELECT blocklist_version FROM meta');
    return Number(result.rows[0]!.blocklist_version);
  }

  add({ entry, clientId }: BlockedEntry, now: number): Promise<boolean> {
    return this.change('INSERT INTO blocklist (client_id, entry, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [clientId ?? GLOBAL, entry, now]);
  }

  remove({ entry, clientId }: BlockedEntry): Promise<boolean> {
    return this.change('DELETE FROM blocklist WHERE client_id = $1 AND entry = $2', [clientId ?? GLOBAL, entry]);
  }

  async list(): Promise<BlockedEntry[]> {
    const result = await this.pool.query<{ client_id: string; entry: string }>('SELECT client_id, entry FROM blocklist ORDER BY client_id, entry');
    return result.rows.map((row) => ({ entry: row.entry, clientId: row.client_id === GLOBAL ? null : row.client_id }));
  }

  private change(sql: string, values: unknown[]): Promise<boolean> {
    return inTransaction(this.pool, async (client: Queryable) => {
      const changed = ((await client.query(sql, values)).rowCount ?? 0) > 0;
      if (changed) await client.query('UPDATE meta SET blocklist_version = blocklist_version + 1');
      return changed;
    });
  }
}
