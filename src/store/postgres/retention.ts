import type pg from 'pg';

/**
 * Deletes finished messages (parts and acknowledged callback events go with them) whose done_at
 * is before the cutoff, and pending receipts older than it that never found their submit, and
 * dead callback events that died before it (events still owed are never dropped here). In bounded batches, each its own
 * transaction: a retention run over millions of rows must not hold one huge transaction or lock
 * set against the live traffic. Returns how many messages were deleted.
 */
export async function deleteFinishedBefore(pool: pg.Pool, cutoffMs: number, batchSize = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    // A deleted message's acknowledged callback events go with it, in the same statement.
    const result = await pool.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM messages WHERE sms_uid IN (
           SELECT sms_uid FROM messages WHERE done_at < $1 ORDER BY done_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING sms_uid),
       delivered AS (
         DELETE FROM callback_outbox o USING gone WHERE o.sms_uid = gone.sms_uid AND o.acknowledged_at IS NOT NULL)
       SELECT count(*)::int AS deleted FROM gone`,
      [cutoffMs, batchSize],
    );
    const count = result.rows[0]!.deleted;
    deleted += count;
    if (count < batchSize) break;
  }
  await pool.query('DELETE FROM pending_receipts WHERE at < $1', [cutoffMs]);
  await pool.query('DELETE FROM callback_outbox WHERE dead_at < $1', [cutoffMs]);
  return deleted;
}

/** Idempotency-Keys expired at `now`, in bounded batches like the messages above. Returns how many. */
export async function deleteExpiredIdempotencyKeys(pool: pg.Pool, now: number, batchSize = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM idempotency_keys WHERE (client_id, idempotency_key) IN (
         SELECT client_id, idempotency_key FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, batchSize],
    );
    const count = result.rowCount ?? 0;
    deleted += count;
    if (count < batchSize) return deleted;
  }
}
