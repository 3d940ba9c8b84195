import type Database from 'better-sqlite3';
import type { MessagePart, MessageFilter, QueueDepth, WindowCounts } from '../message-lookup-store.js';
import { findMessagesSql, toWindowCounts, windowCountSql, type WindowCountRow } from '../message-lookup-sql.js';
import type { MessageRecord } from '../message-store.js';
import { toMessageRecord, type MessageRow } from '../message-row.js';

const PARTS_SQL = `
  SELECT 1 AS part_no, COALESCE(answered_id, carrier_message_id) AS carrier_message_id, status, error_code, connection
    FROM messages WHERE sms_uid = ? AND carrier_message_id IS NOT NULL
  UNION ALL
  SELECT part_no, COALESCE(answered_id, carrier_message_id), status, error_code, connection
    FROM message_parts WHERE sms_uid = ?
  ORDER BY part_no`;

/**
 * The operators' reads (admin API, CLI): plain reads on the connection, never through the
 * writer. A search has one of a few shapes (which filters are given): each is prepared once.
 */
export class SqliteLookups {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  async find(filter: MessageFilter): Promise<MessageRecord[]> {
    const { sql, values } = findMessagesSql(filter, () => '?');
    return (this.statement(sql).all(...values) as MessageRow[]).map(toMessageRecord);
  }

  async parts(smsUid: string): Promise<MessagePart[]> {
    const rows = this.statement(PARTS_SQL).all(smsUid, smsUid) as {
      part_no: number;
      carrier_message_id: string;
      status: MessagePart['status'];
      error_code: string;
      connection: string | null;
    }[];
    return rows.map((row) => ({
      partNo: row.part_no,
      carrierMessageId: row.carrier_message_id,
      status: row.status,
      errorCode: row.error_code,
      connection: row.connection,
    }));
  }

  async countAcceptedSince(sinceMs: number): Promise<WindowCounts> {
    const { sql, values } = windowCountSql(sinceMs, () => '?');
    return toWindowCounts(this.statement(sql).all(...values) as WindowCountRow[]);
  }

  async queueDepth(): Promise<QueueDepth> {
    // One count per status, so that each reads its own partial index.
    const count = (status: string) => (this.statement(`SELECT COUNT(*) AS n FROM messages WHERE status = '${status}'`).get() as { n: number }).n;
    return { queuing: count('queuing'), sent: count('sent') };
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}
