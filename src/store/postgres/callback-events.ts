import type pg from 'pg';
import type { StatusTransition } from '../../domain/status-transition.js';
import { callbackEventParams } from '../callback-rows.js';
import { inTransaction, type Queryable } from './pool.js';

/** How stale this process's "does any client have a callback URL" may get. */
export const CALLBACK_FLAG_REFRESH_MS = 1_000;

/**
 * Writes the callback events of status changes inside the transaction that makes them, one
 * statement per batch (unnest), whatever the batch size. The filter is SQL against the clients
 * row at that moment (a URL, and an `events` choice that hears the new status); the row
 * snapshots the message's number, template and parts.
 *
 * Hot path: while no client has a callback URL no statement is sent. Whether one has is re-read
 * (one small query) when this process saw the catalog version change (catalogVersion(), which
 * every API process polls), when it set a callback itself, and otherwise at most
 * CALLBACK_FLAG_REFRESH_MS after the last read. So a URL set by another process produces events
 * from at most CALLBACK_FLAG_REFRESH_MS later on every process; changes before that owe none.
 */
export class PostgresCallbackEvents {
  private anyClientHasCallback = false;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private seenCatalogVersion = -1;

  constructor(
    private readonly pool: pg.Pool,
    private readonly refreshMs: number = CALLBACK_FLAG_REFRESH_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The catalog version as a read of it found it: a change makes the next write re-read the flag. */
  sawCatalogVersion(version: number): void {
    if (version !== this.seenCatalogVersion) this.checkedAt = Number.NEGATIVE_INFINITY;
    this.seenCatalogVersion = version;
  }

  /** This process changed a client's callback. */
  callbackChanged(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** Inside the caller's transaction: the events of these transitions, in one statement. */
  async record(client: Queryable, transitions: readonly StatusTransition[]): Promise<void> {
    if (transitions.length === 0 || !(await this.someClientHasCallback(client))) return;
    const events = callbackEventParams(transitions);
    if (events.length === 0) return;
    await client.query({
      name: 'smsgate_callback_events',
      text: `INSERT INTO callback_outbox (event_id, client_id, sms_uid, status, error_code, phone_number, templet_id, parts,
                                         sequence, occurred_at, owed_since, next_attempt_at)
             SELECT e.event_id, m.client_id, m.sms_uid, e.status, e.error_code, m.phone_number, m.templet_id, m.part_count,
                    e.sequence, e.at, e.at, e.at
               FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[])
                      AS e(event_id, sms_uid, status, error_code, sequence, at, wanted)
               JOIN messages m ON m.sms_uid = e.sms_uid
               JOIN clients c ON c.client_id = m.client_id
              WHERE c.callback_url IS NOT NULL AND c.callback_events = ANY(string_to_array(e.wanted, ','))
             ON CONFLICT (event_id) DO NOTHING`,
      values: [
        events.map((e) => e.eventId),
        events.map((e) => e.smsUid),
        events.map((e) => e.status),
        events.map((e) => e.errorCode),
        events.map((e) => e.sequence),
        events.map((e) => e.at),
        events.map((e) => e.wanted.join(',')),
      ],
    });
  }

  /**
   * A status change made by one statement outside a transaction (a failure, expiry): run alone
   * while no client has a callback, in a transaction with its events otherwise.
   */
  async changeWithEvents(change: (client: Queryable) => Promise<StatusTransition[]>): Promise<StatusTransition[]> {
    if (!(await this.someClientHasCallback(this.pool))) return change(this.pool);
    return inTransaction(this.pool, async (client) => {
      const transitions = await change(client);
      await this.record(client, transitions);
      return transitions;
    });
  }

  private async someClientHasCallback(client: Queryable): Promise<boolean> {
    const now = this.clock();
    if (now - this.checkedAt < this.refreshMs) return this.anyClientHasCallback;
    const result = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM clients WHERE callback_url IS NOT NULL) AS any');
    this.anyClientHasCallback = result.rows[0]!.any;
    this.checkedAt = now;
    return this.anyClientHasCallback;
  }
}
