import { MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.js';
import type { MessageFilter, WindowCounts } from './message-lookup-store.js';
import { MESSAGE_COLUMNS } from './message-row.js';

/**
 * How far an sms_uid's own time (UUIDv7: the accept time, from the API's clock) may be from the
 * message's created_at; both are read when it is accepted, a millisecond or so apart.
 */
const UID_TIME_SLACK_MS = 1_000;

/** The smallest UUIDv7 of millisecond `ms`: sms_uids of that millisecond sort at or after it. */
export function uidFloor(ms: number): string {
  const hex = Math.max(0, Math.min(ms, 2 ** 48 - 1)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/**
 * The message search as both SQL adapters run it; `placeholder(n)` writes the n-th parameter
 * (1-based) in the adapter's syntax (`?` or `$n`), `uid` casts a parameter compared to sms_uid.
 * Newest first is sms_uid descending (UUIDv7s are time-ordered), so every index the search uses
 * ends in sms_uid: the primary key, (phone_number, sms_uid), (client_id, sms_uid), and one small
 * partial index per error status. A time window becomes a range of the key (with a little slack
 * for the uid's own clock) and the exact created_at test on the rows in it.
 */
export function findMessagesSql(
  filter: MessageFilter,
  placeholder: (n: number) => string,
  uid: (parameter: string) => string = (p) => p,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return placeholder(values.length);
  };
  const where: string[] = [];
  if (filter.phoneNumber !== undefined) where.push(`phone_number = ${param(filter.phoneNumber)}`);
  if (filter.clientId !== undefined) where.push(`client_id = ${param(filter.clientId)}`);
  if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
  if (filter.since !== undefined) {
    where.push(`sms_uid >= ${uid(param(uidFloor(filter.since - UID_TIME_SLACK_MS)))}`, `created_at >= ${param(filter.since)}`);
  }
  if (filter.until !== undefined) {
    where.push(`sms_uid < ${uid(param(uidFloor(filter.until + UID_TIME_SLACK_MS)))}`, `created_at < ${param(filter.until)}`);
  }
  if (filter.afterUid !== undefined) where.push(`sms_uid < ${uid(param(filter.afterUid))}`);
  const sql =
    `SELECT ${MESSAGE_COLUMNS} FROM messages` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY sms_uid DESC LIMIT ${param(filter.limit)}`;
  return { sql, values };
}

/** Rows of (status, count, sent count) for one window, as both adapters select them. */
export interface WindowCountRow {
  status: MessageStatus;
  count: number | string;
  sent: number | string;
}

/**
 * Counts of the messages accepted since `sinceMs`, by status: a range of the primary key (as
 * findMessagesSql does with a window), so only the window's rows are read.
 */
export function windowCountSql(sinceMs: number, placeholder: (n: number) => string, uid: (parameter: string) => string = (p) => p) {
  return {
    sql: `SELECT status, COUNT(*) AS count, COUNT(sent_at) AS sent FROM messages
           WHERE sms_uid >= ${uid(placeholder(1))} AND created_at >= ${placeholder(2)} GROUP BY status`,
    values: [uidFloor(sinceMs - UID_TIME_SLACK_MS), sinceMs],
  };
}

export function toWindowCounts(rows: readonly WindowCountRow[]): WindowCounts {
  const byStatus = Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, 0])) as Record<MessageStatus, number>;
  let accepted = 0;
  let sent = 0;
  for (const row of rows) {
    byStatus[row.status] = Number(row.count);
    accepted += Number(row.count);
    sent += Number(row.sent);
  }
  return { accepted, sent, byStatus };
}
