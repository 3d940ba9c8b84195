import type pg from 'pg';
import type { MessagePart, MessageFilter, QueueDepth, WindowCounts } from '../message-lookup-store.js';
import { findMessagesSql, toWindowCounts, windowCountSql, type WindowCountRow } from '../message-lookup-sql.js';
import type { MessageRecord } from '../message-store.js';
import { toMessageRecord, type MessageRow } from '../message-row.js';

/** sms_uid is a uuid column: anything else names no message and must not reach the server. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The operators' reads (admin API, CLI), on the pool. */
export class PostgresLookups {
  constructor(private readonly pool: pg.Pool) {}

  async find(filter: MessageFilter): Promise<MessageRecord[]> {
    if (filter.afterUid !== undefined && !UUID.test(filter.afterUid)) return [];
    const { sql, values } = findMessagesSql(filter, (n) => `$${n}`, (p) => `${p}::uuid`);
    return (await this.pool.query<MessageRow>(sql, values)).rows.map(toMessageRecord);
  }

  async parts(smsUid: string): Promise<MessagePart[]> {
    if (!UUID.test(smsUid)) return [];
    const result = await this.pool.query<{
      part_no: number;
      carrier_message_id: string;
      status: MessagePart['status'];
      error_code: string;
      connection: string | null;
    }>(
      `SELECT part_no, COALESCE(answered_id, carrier_message_id) AS carrier_message_id, status, error_code, connection
         FROM message_parts WHERE sms_uid = $1 ORDER BY part_no`,
      [smsUid],
    );
    return result.rows.map((row) => ({
      partNo: row.part_no,
      carrierMessageId: row.carrier_message_id,
      status: row.status,
      errorCode: row.error_code,
      connection: row.connection,
    }));
  }

  async countAcceptedSince(sinceMs: number): Promise<WindowCounts> {
    const { sql, values } = windowCountSql(sinceMs, (n) => `$${n}`, (p) => `${p}::uuid`);
    return toWindowCounts((await this.pool.query<WindowCountRow>(sql, values)).rows);
  }

  async queueDepth(): Promise<QueueDepth> {
    // One count per status, so that each reads its own partial index.
    const result = await this.pool.query<{ queuing: string; sent: string }>(
      `SELECT (SELECT COUNT(*) FROM messages WHERE status = 'queuing') AS queuing,
              (SELECT COUNT(*) FROM messages WHERE status = 'sent') AS sent`,
    );
    const row = result.rows[0]!;
    return { queuing: Number(row.queuing), sent: Number(row.sent) };
  }
}
