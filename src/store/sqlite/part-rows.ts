import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

/**
 * Whether message_parts may hold any row: only multipart messages have part rows, and many
 * databases never see one, so a receipt's lookup skips that table while it is known empty.
 * Never wrong the unsafe way: set on every part row this store writes, and read again from the
 * table at open, after retention deleted some, after a rollback, and when another connection
 * to the file wrote (WriteCombiner.onStale).
 */
export class PartRows {
  /** undefined: not known since the last stale notice; read at the next use. */
  private any: boolean | undefined;

  constructor(
    private readonly sql: Statements,
    writes: WriteCombiner,
  ) {
    // Read lazily: a notice may come when the database is already closed (a failed commit).
    writes.onStale(() => this.recheck());
  }

  mayExist(): boolean {
    return (this.any ??= this.stored());
  }

  /** Inside a write that stored part rows. */
  added(): void {
    this.any = true;
  }

  /** After part rows were deleted, or the table changed behind this store's back. */
  recheck(): void {
    this.any = undefined;
  }

  private stored(): boolean {
    return (this.sql.anyPartRow.get() as { any: number }).any === 1;
  }
}
