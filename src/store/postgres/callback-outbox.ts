import type pg from 'pg';
import type { CallbackClaimRequest, CallbackOutbox, DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from '../callback-outbox.js';
import {
  byOccurrence,
  CALLBACK_OUTBOX_COLUMNS,
  toDeadCallbackEvent,
  toMessageCallbackEvent,
  toOwedCallbackEvent,
  type CallbackOutboxRow,
  type MessageCallbackRow,
} from '../callback-rows.js';

const OUTBOX_COLUMNS_OF_O = CALLBACK_OUTBOX_COLUMNS.split(', ').map((column) => `o.${column}`).join(', ');

/**
 * The callback outbox over PostgreSQL, shared by every dispatcher: claims take due rows FOR
 * UPDATE SKIP LOCKED under a lease, like messages, so concurrent senders pass over each other's
 * rows and never hand one event out twice; a killed sender's events are due again when its lease
 * runs out.
 */
export class PostgresCallbackOutbox implements CallbackOutbox {
  constructor(private readonly pool: pg.Pool) {}

  async clientsWithDueCallbacks(now: number): Promise<string[]> {
    const result = await this.pool.query<{ client_id: string }>(
      `SELECT DISTINCT client_id FROM callback_outbox
        WHERE dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)`,
      [now],
    );
    return result.rows.map((row) => row.client_id);
  }

  async claimCallbackEvents(request: CallbackClaimRequest): Promise<OwedCallbackEvent[]> {
    if (request.limit <= 0) return [];
    const result = await this.pool.query<CallbackOutboxRow>({
      name: 'smsgate_claim_callbacks',
      text: `WITH due AS (
         SELECT event_id FROM callback_outbox
          WHERE client_id = $1 AND dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
          ORDER BY occurred_at, sequence
          LIMIT $3
          FOR UPDATE SKIP LOCKED
       )
       UPDATE callback_outbox o SET lease_owner = $4, lease_until = $5
         FROM due WHERE o.event_id = due.event_id
       RETURNING ${OUTBOX_COLUMNS_OF_O}`,
      values: [request.clientId, request.now, request.limit, request.owner, request.now + request.leaseMs],
    });
    return result.rows.map(toOwedCallbackEvent).sort(byOccurrence);
  }

  /** Kept for the message view until retention deletes it with its message; a dead event the receiver did take after all is delivered. */
  async acknowledgeCallbackEvents(eventIds: readonly string[], now: number): Promise<void> {
    if (eventIds.length === 0) return;
    await this.pool.query({
      name: 'smsgate_acknowledge_callbacks',
      text: `UPDATE callback_outbox SET acknowledged_at = $2, attempts = attempts + 1, dead_at = NULL, lease_owner = NULL, lease_until = NULL
              WHERE event_id = ANY($1::text[]) AND acknowledged_at IS NULL`,
      values: [eventIds, now],
    });
  }

  rescheduleCallbackEvents(eventIds: readonly string[], nextAttemptAt: number, lastError: string): Promise<void> {
    return this.failedTry(eventIds, lastError, 'next_attempt_at', nextAttemptAt);
  }

  async hastenCallbackEvents(clientId: string, now: number): Promise<number> {
    const result = await this.pool.query(
      `UPDATE callback_outbox SET next_attempt_at = $2
        WHERE client_id = $1 AND dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at > $2 AND (lease_until IS NULL OR lease_until <= $2)`,
      [clientId, now],
    );
    return result.rowCount ?? 0;
  }

  buryCallbackEvents(eventIds: readonly string[], lastError: string, now: number): Promise<void> {
    return this.failedTry(eventIds, lastError, 'dead_at', now);
  }

  /** A failed try: counted, its error kept, the lease ended; then due again at `at`, or dead since `at`. */
  private async failedTry(eventIds: readonly string[], lastError: string, column: 'next_attempt_at' | 'dead_at', at: number): Promise<void> {
    if (eventIds.length === 0) return;
    await this.pool.query(
      `UPDATE callback_outbox SET attempts = attempts + 1, ${column} = $2, last_error = $3, lease_owner = NULL, lease_until = NULL
        WHERE event_id = ANY($1::text[]) AND dead_at IS NULL AND acknowledged_at IS NULL`,
      [eventIds, at, lastError],
    );
  }

  async callbackEventsOfMessage(smsUid: string): Promise<MessageCallbackEvent[]> {
    const result = await this.pool.query<MessageCallbackRow>(
      `SELECT ${CALLBACK_OUTBOX_COLUMNS}, next_attempt_at, acknowledged_at FROM callback_outbox WHERE sms_uid = $1::uuid ORDER BY sequence`,
      [smsUid],
    );
    return result.rows.map(toMessageCallbackEvent);
  }

  async deadCallbackEvents(filter: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]> {
    const result = await this.pool.query<CallbackOutboxRow>(
      `SELECT ${CALLBACK_OUTBOX_COLUMNS} FROM callback_outbox
        WHERE dead_at IS NOT NULL AND ($1::text IS NULL OR client_id = $1)
        ORDER BY occurred_at, sequence, event_id LIMIT $2`,
      [filter.clientId ?? null, filter.limit],
    );
    return result.rows.map(toDeadCallbackEvent);
  }

  async reviveDeadCallbackEvents(filter: { clientId?: string; now: number }): Promise<number> {
    const result = await this.pool.query(
      `UPDATE callback_outbox SET dead_at = NULL, attempts = 0, owed_since = $2, next_attempt_at = $2
        WHERE dead_at IS NOT NULL AND ($1::text IS NULL OR client_id = $1)`,
      [filter.clientId ?? null, filter.now],
    );
    return result.rowCount ?? 0;
  }

  async callbackBacklog(): Promise<{ owed: number; dead: number }> {
    const result = await this.pool.query<{ owed: number; dead: number }>(
      // Two counts over the partial indexes, not one pass over the table and its delivered history.
      `SELECT (SELECT count(*) FROM callback_outbox WHERE dead_at IS NULL AND acknowledged_at IS NULL)::int AS owed,
              (SELECT count(*) FROM callback_outbox WHERE dead_at IS NOT NULL)::int AS dead`,
    );
    return { owed: result.rows[0]!.owed, dead: result.rows[0]!.dead };
  }
}
