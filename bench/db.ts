import Database from 'better-sqlite3';
import { statSync } from 'node:fs';

/** A read-only look at a gateway's SQLite file while it runs (WAL lets readers in). */
export function openReadOnly(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function countMessages(db: Database.Database, status?: string): number {
  const row = status
    ? (db.prepare('SELECT count(*) AS n FROM messages WHERE status = ?').get(status) as { n: number })
    : (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number });
  return row.n;
}

/** Bytes of the database file and its WAL. */
export function dbBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL after a clean close
    }
  }
  return total;
}
