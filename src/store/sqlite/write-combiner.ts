import type Database from 'better-sqlite3';
import type { WalSync } from './wal-sync.js';
import type { CommitObserver } from '../commit-observer.js';

interface PendingWrite {
  readonly op: () => unknown;
  // A method, so that the resolver of any Promise<T> fits (method parameters are bivariant).
  resolve(value: unknown): void;
  readonly reject: (error: unknown) => void;
}

/**
 * Every write asked for during one turn of the event loop runs in one transaction: one WAL
 * fsync for the API's sends, the dispatcher's claims and outcomes, and the receipts together.
 * The writes run back to back without savepoints (two statements each, the cost of the write
 * itself again); when one fails, the whole transaction is rolled back and the turn run again
 * write by write, each in its own savepoint, so the failed one is undone alone and only its
 * caller sees the error. A write must therefore be safe to run twice: its effects are in the
 * database, never in memory (see onStale). A caller's promise settles only after the commit.
 */
export class WriteCombiner {
  private pending: PendingWrite[] = [];
  /** Batches committed whose callers wait for the WAL sync. */
  private unsettled = 0;
  private onSettled: (() => void)[] = [];
  /** Told when the database may hold what this class's writes did not put there. */
  private readonly staleListeners: (() => void)[] = [];
  private readonly dataVersion: Database.Statement;
  private lastDataVersion: number | undefined;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;

  /** `walSync` absent: the connection syncs by itself (or is in memory). */
  constructor(
    private readonly db: Database.Database,
    private readonly walSync?: WalSync,
    private readonly onCommit?: CommitObserver,
  ) {
    // Prepared once: after a failure, a turn may run thousands of writes, each in its own savepoint.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT write');
    this.release = db.prepare('RELEASE write');
    this.rollbackTo = db.prepare('ROLLBACK TO write');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  run<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (this.pending.length === 1) setImmediate(this.flush);
    });
  }

  /** Commits whatever is waiting now (used before closing). */
  readonly flush = (): void => {
    const writes = this.pending;
    if (writes.length === 0) return;
    this.pending = [];
    // Metrics off: no clock read.
    const started = this.onCommit ? performance.now() : 0;
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = this.runTogether(writes) ?? this.runOneByOne(writes);
    } catch (commitError) {
      if (this.db.inTransaction) this.rollback.run();
      this.tellStale();
      for (const write of writes) write.reject(commitError);
      return;
    }
    const settle = (syncError: Error | null): void => {
      if (!syncError) this.onCommit?.('combined', writes.length, (performance.now() - started) / 1000);
      writes.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (syncError) write.reject(syncError);
        else if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.value);
      });
      if (--this.unsettled === 0) for (const wake of this.onSettled.splice(0)) wake();
    };
    this.unsettled++;
    if (this.walSync) this.walSync.afterSync(settle);
    else settle(null);
  };

  /** Resolves when every committed write has been told its outcome. */
  settled(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.onSettled.push(resolve));
  }

  /**
   * Called after any rollback, and at the start of a turn after another connection (a second
   * process on the same file) committed: whoever mirrors database state in memory reads it again.
   */
  onStale(listener: () => void): void {
    this.staleListeners.push(listener);
  }

  /** The common case: every write in one transaction, committed; undefined when one failed (all undone). */
  private runTogether(writes: readonly PendingWrite[]): { ok: boolean; value: unknown }[] | undefined {
    this.begin.run();
    this.noticeOtherWriters();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      for (const write of writes) outcomes.push({ ok: true, value: write.op() });
    } catch {
      if (this.db.inTransaction) this.rollback.run();
      this.tellStale();
      return undefined;
    }
    this.commit.run();
    return outcomes;
  }

  /** After a failure: the same writes again, each in a savepoint of its own. */
  private runOneByOne(writes: readonly PendingWrite[]): { ok: boolean; value: unknown }[] {
    this.begin.run();
    this.noticeOtherWriters();
    const outcomes = writes.map((write) => this.runInSavepoint(write.op));
    this.commit.run();
    return outcomes;
  }

  /** Inside the write lock, so nobody else commits until this turn's end. */
  private noticeOtherWriters(): void {
    const version = this.dataVersion.get() as number;
    if (this.lastDataVersion !== undefined && version !== this.lastDataVersion) this.tellStale();
    this.lastDataVersion = version;
  }

  private tellStale(): void {
    for (const listener of this.staleListeners) listener();
  }

  private runInSavepoint(op: () => unknown): { ok: boolean; value: unknown } {
    this.savepoint.run();
    try {
      const value = op();
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      this.rollbackTo.run();
      this.release.run();
      this.tellStale();
      return { ok: false, value: error };
    }
  }
}
