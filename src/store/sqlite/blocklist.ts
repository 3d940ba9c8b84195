import type Database from 'better-sqlite3';
import type { BlockedEntry } from '../../domain/blocklist.js';
import type { WriteCombiner } from './write-combiner.js';

/** A global entry is stored under client_id '' (part of the primary key, so never NULL). */
const GLOBAL = '';

/** The blocklist (schema: migration "limits" in schema.ts). */
export class SqliteBlocklist {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly writes: WriteCombiner,
  ) {
    this.sql = {
      version: db.prepare(`SELECT value FROM meta WHERE key = 'blocklist_version'`),
      bump: db.prepare(`UPDATE meta SET value = value + 1 WHERE key = 'blocklist_version'`),
      insert: db.prepare(`INSERT INTO blocklist (client_id, entry, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
      remove: db.prepare(`DELETE FROM blocklist WHERE client_id = ? AND entry = ?`),
      list: db.prepare(`SELECT client_id, entry FROM blocklist ORDER BY client_id, entry`),
    };
  }

  async version(): Promise<number> {
    return (this.sql.version.get() as { value: number }).value;
  }

  add({ entry, clientId }: BlockedEntry, now: number): Promise<boolean> {
    return this.change(() => this.sql.insert.run(clientId ?? GLOBAL, entry, now).changes > 0);
  }

  remove({ entry, clientId }: BlockedEntry): Promise<boolean> {
    return this.change(() => this.sql.remove.run(clientId ?? GLOBAL, entry).changes > 0);
  }

  async list(): Promise<BlockedEntry[]> {
    const rows = this.sql.list.all() as { client_id: string; entry: string }[];
    return rows.map((row) => ({ entry: row.entry, clientId: row.client_id === GLOBAL ? null : row.client_id }));
  }

  private change(change: () => boolean): Promise<boolean> {
    return this.writes.run(() => {
      const changed = change();
      if (changed) this.sql.bump.run();
      return changed;
    });
  }
}
