import Database from 'better-sqlite3';
import { createPrivateFile } from '../../store/sqlite/private-file.js';

export interface JournalEntry {
  readonly key: string;
  readonly owner: string;
  readonly dueAt: number;
  readonly fields: Record<string, unknown>;
}

/**
 * The receipts an SMSC owes, kept on disk until the ESME acknowledges them, as a real SMSC
 * keeps them: a simulator killed with the gateway (the embedded default under `kill -9`) still
 * delivers every receipt after the restart. Writes are gathered per event-loop turn; no fsync,
 * since the file only has to outlive the process, not the machine.
 */
export class ReceiptJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private ops: (() => void)[] = [];

  constructor(path: string) {
    createPrivateFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`CREATE TABLE IF NOT EXISTS owed_receipts (
      key TEXT PRIMARY KEY, owner TEXT NOT NULL, due_at INTEGER NOT NULL, fields TEXT NOT NULL) WITHOUT ROWID`);
    this.insert = this.db.prepare('INSERT OR REPLACE INTO owed_receipts (key, owner, due_at, fields) VALUES (?, ?, ?, ?)');
    this.remove = this.db.prepare('DELETE FROM owed_receipts WHERE key = ?');
  }

  /** What a previous run still owed, oldest first. */
  owed(): JournalEntry[] {
    const rows = this.db.prepare('SELECT key, owner, due_at, fields FROM owed_receipts ORDER BY due_at').all() as {
      key: string;
      owner: string;
      due_at: number;
      fields: string;
    }[];
    return rows.map((r) => ({ key: r.key, owner: r.owner, dueAt: r.due_at, fields: JSON.parse(r.fields) as Record<string, unknown> }));
  }

  add(entry: JournalEntry): void {
    const fields = JSON.stringify(entry.fields);
    this.enqueue(() => this.insert.run(entry.key, entry.owner, entry.dueAt, fields));
  }

  acknowledged(key: string): void {
    this.enqueue(() => this.remove.run(key));
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private enqueue(op: () => void): void {
    this.ops.push(op);
    if (this.ops.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.ops.length === 0 || !this.db.open) return;
    const ops = this.ops;
    this.ops = [];
    this.db.transaction(() => {
      for (const op of ops) op();
    })();
  }
}
