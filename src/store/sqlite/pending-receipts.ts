import { carrierIdCandidates } from '../../domain/carrier-id.js';
import type { MessageStatus } from '../../domain/message-status.js';
import type { PartReceipt } from '../../domain/receipt-effect.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

/**
 * Receipts that came before their submit was recorded (pending_receipts), and how many there
 * are. Nearly always none: knowing that, recording a submit looks for none of them, instead of
 * one DELETE per spelling of each of its ids. The count follows this store's own writes, and
 * is read again from the table at open, after any rollback (which may have undone a change it
 * counted), and when another connection to the file wrote (another process's dispatcher).
 */
export class PendingReceipts {
  /** undefined: not known since the last stale notice; read at the next use (inside a write). */
  private known: number | undefined;

  constructor(
    private readonly sql: Statements,
    writes: WriteCombiner,
  ) {
    // Read lazily: a notice may come when the database is already closed (a failed commit).
    writes.onStale(() => (this.known = undefined));
  }

  private get count(): number {
    return (this.known ??= this.stored());
  }

  private set count(value: number) {
    this.known = value;
  }

  /** Inside a write: keeps a receipt under its id (normal form). */
  keep(carrierId: string, status: MessageStatus, errorCode: string, at: number): void {
    this.sql.insertPendingReceipt.run(carrierId, status, errorCode, at);
    this.count += 1;
  }

  /** Inside a write: takes the receipts kept for these parts' ids (normal form), in any spelling. */
  take(parts: readonly { partNo: number; carrierId: string }[]): PartReceipt[] {
    if (this.count === 0) return [];
    const receipts: PartReceipt[] = [];
    for (const part of parts) {
      for (const candidate of carrierIdCandidates(part.carrierId)) {
        const rows = this.sql.takePendingReceipts.all(candidate) as { status: MessageStatus; error_code: string }[];
        this.count -= rows.length;
        for (const row of rows) receipts.push({ partNo: part.partNo, status: row.status, errorCode: row.error_code });
      }
    }
    return receipts;
  }

  /** Inside a write (retention): deletes those that arrived before `cutoffMs`. */
  deleteBefore(cutoffMs: number): void {
    this.count -= this.sql.deleteOldPendingReceipts.run(cutoffMs).changes;
  }

  private stored(): number {
    return (this.sql.countPendingReceipts.get() as { n: number }).n;
  }
}
