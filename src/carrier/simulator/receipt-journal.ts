import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { createPrivateFile } from '../../store/sqlite/private-file.js';

/** `F`: the receipt's fields, kept as JSON. */
export interface JournalEntry<F extends object = object> {
  readonly key: string;
  readonly owner: string;
  readonly dueAt: number;
  readonly fields: F;
}

/** While writes fail (a full disk), they are tried again this often, and at each new write. */
const RETRY_MS = 1_000;

/**
 * The receipts an SMSC owes, kept on disk until the ESME acknowledges them, as a real SMSC
 * keeps them: a simulator killed with the gateway (the embedded default under `kill -9`) still
 * delivers every receipt after the restart. Writes are gathered per event-loop turn; no fsync,
 * since the file only has to outlive the process, not the machine.
 *
 * A write that fails (the disk full) must not take the process down: the receipts are owed from
 * memory anyway, and only a crash during the outage would forget them. Failed writes are kept
 * and tried again; the failure and the recovery are logged once each.
 */
export class ReceiptJournal<F extends object = object> {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private ops: (() => void)[] = [];
  private failing = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    path: string,
    private readonly logger?: Pick<Logger, 'error' | 'info'>,
  ) {
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
  owed(): JournalEntry<F>[] {
    const rows = this.db.prepare('SELECT key, owner, due_at, fields FROM owed_receipts ORDER BY due_at').all() as {
      key: string;
      owner: string;
      due_at: number;
      fields: string;
    }[];
    return rows.map((r) => ({ key: r.key, owner: r.owner, dueAt: r.due_at, fields: JSON.parse(r.fields) as F }));
  }

  add(entry: JournalEntry<F>): void {
    const fields = JSON.stringify(entry.fields);
    this.enqueue(() => this.insert.run(entry.key, entry.owner, entry.dueAt, fields));
  }

  acknowledged(key: string): void {
    this.enqueue(() => this.remove.run(key));
  }

  close(): void {
    clearTimeout(this.retry);
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
    try {
      this.db.transaction(() => {
        for (const op of ops) op();
      })();
    } catch (error) {
      this.ops = [...ops, ...this.ops];
      if (!this.failing) this.logger?.error({ err: error }, 'simulator: writing the receipt journal failed; retrying (receipts are still sent)');
      this.failing = true;
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.flush(), RETRY_MS).unref();
      return;
    }
    if (this.failing) this.logger?.info('simulator: the receipt journal is written again');
    this.failing = false;
  }
}
