import type pg from 'pg';

/**
 * Deletes finished messages (parts go with them) whose done_at is before the cutoff, and pending
 * receipts older than it that never found their submit, and dead callback events that died
 * before it (events still owed are never dropped here). In bounded batches, each its own
 * transaction: a retention run over millions of rows must not hold one huge transaction or lock
 * set against the live traffic. Returns how many messages were deleted.
 */
export async function deleteFinishedBefore(pool: pg.Pool, cutoffMs: number, batchSize = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM messages WHERE sms_uid IN (
         SELECT sms_uid FROM messages WHERE done_at < $1 ORDER BY done_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoffMs, batchSize],
    );
    const count = result.rowCount ?? 0;
    deleted += count;
    if (count < batchSize) break;
  }
  await pool.query('DELETE FROM pending_receipts WHERE at < $1', [cutoffMs]);
  await pool.query('DELETE FROM callback_outbox WHERE dead_at < $1', [cutoffMs]);
  return deleted;
}
