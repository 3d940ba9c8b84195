import type pg from 'pg';
import { normaliseCarrierId } from '../../domain/carrier-id.js';
import { isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import type { StatusTransition } from '../../domain/status-transition.js';
import type {
  AwaitingReceiptPart,
  ClaimRequest,
  ClaimedMessage,
  IdempotencyRecord,
  MessageRecord,
  NewMessage,
  ReceiptCandidateMatch,
  ReceiptQueryRequest,
  SubmittedPart,
} from '../message-store.js';
import { IDEMPOTENCY_COLUMNS, NO_HELD_KEYS, toIdempotencyRecord, type IdempotencyRow } from '../idempotency-row.js';
import { insertWithKeys } from './idempotent-insert.js';
import { messageArrays } from './message-arrays.js';
import { MESSAGE_COLUMNS, toMessageRecord, toReceiptCandidateMatch, type MessageRow, type PartMatchRow } from '../message-row.js';
import type { PostgresCallbackEvents } from './callback-events.js';
import type { Queryable } from './pool.js';
import { consumePendingReceipts, lockCarrierIds } from './receipts.js';

/** sms_uid is a uuid column: anything else cannot be a message, and must not reach the server. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


/** The message lifecycle and the dispatch queue. */
export class PostgresMessages {
  constructor(
    private readonly pool: pg.Pool,
    private readonly callbackEvents: PostgresCallbackEvents,
  ) {}

  /** One statement whatever the batch size: arrays, not one parameter per value. */
  async insert(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> {
    if (batch.length === 0) return NO_HELD_KEYS;
    // Sends without the header (nearly all) keep the one plain statement.
    if (batch.some((m) => m.idempotency !== undefined)) return insertWithKeys(this.pool, batch);
    await this.pool.query(
      `INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
      messageArrays(batch),
    );
    return NO_HELD_KEYS;
  }

  async findKey(clientId: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    const result = await this.pool.query<IdempotencyRow>(
      `SELECT ${IDEMPOTENCY_COLUMNS} FROM idempotency_keys WHERE client_id = $1 AND idempotency_key = $2 AND expires_at > $3`,
      [clientId, key, now],
    );
    const row = result.rows[0];
    return row && toIdempotencyRecord(row);
  }

  async get(smsUid: string): Promise<MessageRecord | undefined> {
    if (!UUID.test(smsUid)) return undefined;
    const result = await this.pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sms_uid = $1`,
      [smsUid],
    );
    const row = result.rows[0];
    return row && toMessageRecord(row);
  }

  async recentSends(sinceMs: number): Promise<{ clientId: string; phoneNumber: string; createdAt: number }[]> {
    const result = await this.pool.query<{ client_id: string; phone_number: string; created_at: number }>(
      'SELECT client_id, phone_number, created_at FROM messages WHERE created_at >= $1 ORDER BY created_at',
      [sinceMs],
    );
    return result.rows.map((row) => ({ clientId: row.client_id, phoneNumber: row.phone_number, createdAt: Number(row.created_at) }));
  }

  async leaseOwners(): Promise<string[]> {
    const result = await this.pool.query<{ lease_owner: string }>(
      `SELECT DISTINCT lease_owner FROM messages WHERE status = 'queuing' AND lease_owner IS NOT NULL`,
    );
    return result.rows.map((row) => row.lease_owner);
  }

  async releaseLeases(owner: string): Promise<number> {
    const result = await this.pool.query(
      `UPDATE messages SET lease_owner = NULL, lease_until = NULL WHERE status = 'queuing' AND lease_owner = $1`,
      [owner],
    );
    return result.rowCount ?? 0;
  }

  /**
   * SKIP LOCKED: concurrent dispatchers pass over each other's rows instead of queueing on them.
   * A row another claimer committed meanwhile is re-checked against the lease condition, so it
   * is never handed out twice.
   */
  async claim(request: ClaimRequest): Promise<ClaimedMessage[]> {
    if (request.limit <= 0) return [];
    const result = await this.pool.query<{ sms_uid: string; client_id: string; phone_number: string; text: string; created_at: number; attempts: number }>({
      name: 'smsgate_claim',
      text: `WITH due AS (
         SELECT sms_uid FROM messages
          WHERE status = 'queuing' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
          ORDER BY created_at, sms_uid
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE messages m SET lease_owner = $3, lease_until = $4
         FROM due WHERE m.sms_uid = due.sms_uid
       RETURNING m.sms_uid, m.client_id, m.phone_number, m.text, m.created_at, m.attempts`,
      values: [request.now, request.limit, request.owner, request.now + request.leaseMs],
    });
    return result.rows
      .sort((a, b) => a.created_at - b.created_at || (a.sms_uid < b.sms_uid ? -1 : 1))
      .map((row) => ({
        smsUid: row.sms_uid,
        clientId: row.client_id,
        phoneNumber: row.phone_number,
        text: row.text,
        createdAt: row.created_at,
        attempts: row.attempts,
      }));
  }

  async markRetry(smsUid: string, dueAt: number): Promise<void> {
    if (!UUID.test(smsUid)) return;
    await this.pool.query(
      `UPDATE messages SET attempts = attempts + 1, next_attempt_at = $2, lease_owner = NULL, lease_until = NULL
        WHERE sms_uid = $1 AND status = 'queuing'`,
      [smsUid, dueAt],
    );
  }

  /** Ends a message not final yet; `attempted` when it ends on the carrier's answer to a submit. */
  async markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number, attempted: boolean): Promise<StatusTransition[]> {
    if (!isFinalStatus(status)) throw new Error(`markFailed needs a final status, not "${status}"`);
    if (!UUID.test(smsUid)) return [];
    // The CTE locks the row and reads the status it leaves (RETURNING gives only the new one).
    return this.callbackEvents.changeWithEvents(async (client) => {
      const result = await client.query<{ client_id: string; from_status: MessageStatus }>(
        `WITH old AS (
           SELECT sms_uid, status FROM messages WHERE sms_uid = $1 AND status IN ('queuing', 'sent') FOR UPDATE
         )
         UPDATE messages m SET status = $2, error_code = $3, done_at = $4, attempts = m.attempts + $5,
                lease_owner = NULL, lease_until = NULL
           FROM old WHERE m.sms_uid = old.sms_uid
         RETURNING m.client_id, old.status AS from_status`,
        [smsUid, status, errorCode, now, attempted ? 1 : 0],
      );
      return result.rows.map((row): StatusTransition => ({ smsUid, clientId: row.client_id, from: row.from_status, to: status, errorCode, at: now }));
    });
  }

  /** One statement: the messages due marked asked (SKIP LOCKED: another dispatcher's are skipped), with their open parts. */
  async claimReceiptQueries(request: ReceiptQueryRequest): Promise<AwaitingReceiptPart[]> {
    if (request.limit <= 0) return [];
    const result = await this.pool.query<{ sms_uid: string; client_id: string; phone_number: string; part_no: number; carrier_message_id: string; connection: string | null }>(
      `WITH due AS (
         SELECT sms_uid FROM messages
          WHERE status = 'sent' AND sent_at < $1 AND (receipt_queried_at IS NULL OR receipt_queried_at < $2)
          ORDER BY created_at
          LIMIT $3
          FOR UPDATE SKIP LOCKED
       ), marked AS (
         UPDATE messages m SET receipt_queried_at = $4 FROM due WHERE m.sms_uid = due.sms_uid
         RETURNING m.sms_uid, m.client_id, m.phone_number, m.created_at
       )
       SELECT marked.sms_uid, marked.client_id, marked.phone_number, p.part_no, COALESCE(p.answered_id, p.carrier_message_id) AS carrier_message_id, p.connection
         FROM marked JOIN message_parts p ON p.sms_uid = marked.sms_uid
        WHERE p.status = 'sent'
        ORDER BY marked.created_at, marked.sms_uid, p.part_no`,
      [request.sentBefore, request.askedBefore, request.limit, request.now],
    );
    return result.rows.map((row) => ({
      smsUid: row.sms_uid,
      clientId: row.client_id,
      phoneNumber: row.phone_number,
      partNo: row.part_no,
      carrierMessageId: row.carrier_message_id,
      connection: row.connection ?? undefined,
    }));
  }

  /** One indexed lookup for all the candidate ids of a receipt. */
  async receiptMatches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]> {
    const ids = [...new Set(carrierIds.map(normaliseCarrierId))];
    if (ids.length === 0) return [];
    const result = await this.pool.query<PartMatchRow>(
      `SELECT p.carrier_message_id, m.status, p.connection, p.sms_uid, m.client_id, p.part_no, p.answered_id, m.phone_number
         FROM message_parts p JOIN messages m USING (sms_uid)
        WHERE p.carrier_message_id = ANY($1::text[])`,
      [ids],
    );
    return result.rows.map(toReceiptCandidateMatch);
  }

  /**
   * SKIP LOCKED: a row a dispatcher or a receipt holds right now is left to the next run rather
   * than waited for, so this bulk update never deadlocks with them.
   */
  async expire(createdBefore: number, now: number): Promise<StatusTransition[]> {
    return this.callbackEvents.changeWithEvents(async (client) => {
      const result = await client.query<{ sms_uid: string; client_id: string; from_status: MessageStatus }>(
        `WITH due AS (
           SELECT sms_uid, status FROM messages
            WHERE status IN ('queuing', 'sent') AND created_at < $1
            FOR UPDATE SKIP LOCKED
         )
         UPDATE messages m SET status = 'error_expired', done_at = $2, lease_owner = NULL, lease_until = NULL
           FROM due WHERE m.sms_uid = due.sms_uid
         RETURNING m.sms_uid, m.client_id, due.status AS from_status`,
        [createdBefore, now],
      );
      return result.rows.map(
        (row): StatusTransition => ({ smsUid: row.sms_uid, clientId: row.client_id, from: row.from_status, to: 'error_expired', errorCode: '0', at: now }),
      );
    });
  }
}

/** One submit recorded, inside the caller's transaction: the batch path with a batch of one. */
export async function markSentInTransaction(client: Queryable, smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<StatusTransition[]> {
  // Ids first, then the row: the same order as applyReceipt, so the two cannot deadlock.
  await lockCarrierIds(client, parts.map((part) => normaliseCarrierId(part.carrierMessageId)));
  const [transitions] = await markSentBatchInTransaction(client, [{ smsUid, parts, now }]);
  return transitions!;
}

export interface SentRecord {
  readonly smsUid: string;
  readonly parts: readonly SubmittedPart[];
  readonly now: number;
}

/**
 * markSentInTransaction for many messages in one statement, whatever their number: the rows that
 * are still `queuing` move to `sent`, their parts are inserted, and the ids among them that a
 * waiting receipt names come back; only messages with such a receipt take the one-by-one path
 * for it. The statement runs after the carrier ids were locked (by the caller: the
 * TransactionCombiner does), so its snapshot sees every pending receipt committed before. A
 * message given twice fails the insert of its parts, and so the batch: the combiner then runs
 * every write alone. Answers, per record, the transitions it made: queuing -> sent, and any a
 * waiting receipt then made.
 */
export async function markSentBatchInTransaction(client: Queryable, all: readonly SentRecord[]): Promise<StatusTransition[][]> {
  const answers = all.map((): StatusTransition[] => []);
  const records = all.flatMap((record, index) => (UUID.test(record.smsUid) ? [{ ...record, index }] : []));
  if (records.length === 0) return answers;
  const submitted = records.map((record) => record.parts.map((p) => ({ partNo: p.partNo, carrierId: normaliseCarrierId(p.carrierMessageId) })));
  const rows = records.flatMap((record, r) =>
    submitted[r]!.map((part, i) => ({ smsUid: record.smsUid, ...part, answered: record.parts[i]!.carrierMessageId, connection: record.parts[i]!.connection ?? null })),
  );
  const result = await client.query<{ sms_uid: string | null; client_id: string | null; waiting: string | null }>({
    name: 'smsgate_mark_sent_batch',
    text: `WITH moved AS (
         UPDATE messages m SET status = 'sent', part_count = u.part_count, attempts = m.attempts + 1, sent_at = u.sent_at,
                lease_owner = NULL, lease_until = NULL
           FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS u(sms_uid, part_count, sent_at)
          WHERE m.sms_uid = u.sms_uid AND m.status = 'queuing'
         RETURNING m.sms_uid, m.client_id
       ), inserted AS (
         INSERT INTO message_parts (sms_uid, part_no, carrier_message_id, answered_id, connection, status)
         SELECT p.sms_uid, p.part_no, p.carrier_id, p.answered_id, p.connection, 'sent'
           FROM unnest($4::uuid[], $5::int[], $6::text[], $7::text[], $8::text[]) AS p(sms_uid, part_no, carrier_id, answered_id, connection)
           JOIN moved ON moved.sms_uid = p.sms_uid
         RETURNING carrier_message_id
       )
       SELECT sms_uid::text, client_id, NULL::text AS waiting FROM moved
       UNION ALL
       SELECT DISTINCT NULL::text, NULL::text, carrier_message_id FROM pending_receipts
        WHERE carrier_message_id IN (SELECT carrier_message_id FROM inserted)`,
    values: [
      records.map((r) => r.smsUid),
      records.map((r) => r.parts.length),
      records.map((r) => r.now),
      rows.map((r) => r.smsUid),
      rows.map((r) => r.partNo),
      rows.map((r) => r.carrierId),
      rows.map((r) => r.answered),
      rows.map((r) => r.connection),
    ],
  });
  const clientByUid = new Map<string, string>();
  const waiting: string[] = [];
  for (const row of result.rows) {
    if (row.sms_uid !== null) clientByUid.set(row.sms_uid.toLowerCase(), row.client_id!);
    else waiting.push(row.waiting!);
  }
  const sent = records.flatMap((record, r) => {
    const clientId = clientByUid.get(record.smsUid.toLowerCase());
    if (clientId === undefined) return [];
    answers[record.index]!.push({ smsUid: record.smsUid, clientId, from: 'queuing', to: 'sent', errorCode: '0', at: record.now });
    return [{ ...record, clientId, submitted: submitted[r]! }];
  });
  if (waiting.length === 0) return answers;
  const waitingIds = new Set(waiting);
  for (const record of sent) {
    if (record.submitted.some((part) => waitingIds.has(part.carrierId))) {
      answers[record.index]!.push(...(await consumePendingReceipts(client, record, record.submitted, record.now)));
    }
  }
  return answers;
}
