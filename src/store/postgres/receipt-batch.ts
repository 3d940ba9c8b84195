import { isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import { receiptEffect, type PartState, type ReceiptTarget } from '../../domain/receipt-effect.js';
import { chooseReceiptPart } from '../../domain/reused-carrier-id.js';
import { doneAtOf } from '../../domain/status-transition.js';
import type { ReceiptResult, ReceiptUpdate } from '../message-store.js';
import type { Queryable } from './pool.js';

interface PartHit {
  readonly carrier_message_id: string;
  readonly sms_uid: string;
  readonly part_no: number;
  readonly status: MessageStatus;
  readonly sent_at: number | null;
}

interface MessageState {
  target: ReceiptTarget;
  errorCode: string;
  doneAt: number | null;
  changed: boolean;
}

/**
 * applyReceiptInTransaction (receipts.ts) for a whole batch in four prepared statements (six
 * when some receipt has no part yet): the parts of every receipt found at once, the receipts
 * without one kept as pending, the messages concerned locked in one statement in `sms_uid` order
 * (so two batches cannot deadlock on them) and their parts read, the receipts applied in arrival
 * order in memory by the domain's rule (receipt-effect.ts), and the changed parts and messages
 * written back from arrays in one statement. Carrier ids must be locked by
 * the caller. Answers, per receipt, its outcome and the transitions it made.
 */
export async function applyReceiptsBatchInTransaction(client: Queryable, receipts: readonly ReceiptUpdate[]): Promise<ReceiptResult[]> {
  const candidateLists = receipts.map((r) => [...new Set(r.carrierMessageIds)]);
  const found = await client.query<PartHit>({
    name: 'smsgate_receipt_find_parts',
    text: `SELECT p.carrier_message_id, p.sms_uid, p.part_no, m.status, m.sent_at
       FROM message_parts p JOIN messages m USING (sms_uid)
      WHERE p.carrier_message_id = ANY($1::text[])`,
    values: [[...new Set(candidateLists.flat())]],
  });
  const matches = found.rows.map((row) => ({
    ...row,
    carrierMessageId: row.carrier_message_id,
    smsUid: row.sms_uid,
    partNo: row.part_no,
    final: isFinalStatus(row.status),
    sentAt: row.sent_at,
  }));
  const hits = candidateLists.map((candidates, i) => {
    const only = receipts[i]!.smsUid;
    return chooseReceiptPart(candidates, only === undefined ? matches : matches.filter((m) => m.smsUid === only));
  });

  // A query's answer (smsUid given) for a message that is gone has no submit to wait for.
  const waiting = (i: number): boolean => !hits[i] && receipts[i]!.smsUid === undefined;
  await keepPending(
    client,
    receipts.filter((_, i) => waiting(i)),
    candidateLists.filter((_, i) => waiting(i)),
  );

  const results: ReceiptResult[] = hits.map((hit) => ({ outcome: hit ? 'applied' : 'pending', transitions: [] }));
  const uids = [...new Set(hits.flatMap((hit) => (hit ? [hit.sms_uid] : [])))].sort();
  if (uids.length === 0) return results;
  const { messages, parts } = await lockAndRead(client, uids);
  receipts.forEach((receipt, i) => {
    const hit = hits[i];
    if (!hit) return;
    const message = messages.get(hit.sms_uid);
    const own = parts.get(hit.sms_uid);
    if (!message || !own) return;
    const effect = receiptEffect(message.target, own, { partNo: hit.part_no, status: receipt.status, errorCode: receipt.errorCode }, receipt.at);
    parts.set(hit.sms_uid, effect.parts);
    const transition = effect.transition;
    if (!transition) return;
    message.target = { ...message.target, status: transition.to };
    message.errorCode = transition.errorCode;
    message.doneAt = doneAtOf(transition) ?? message.doneAt;
    message.changed = true;
    results[i] = { outcome: 'applied', transitions: [transition] };
  });
  await writeBack(client, messages, parts);
  return results;
}

/** One pending row per spelling of each receipt's id, all of one receipt under one receipt_id. */
async function keepPending(client: Queryable, receipts: readonly ReceiptUpdate[], candidateLists: readonly string[][]): Promise<void> {
  if (receipts.length === 0) return;
  const ids = await client.query<{ id: number }>(`SELECT nextval('pending_receipt_ids') AS id FROM generate_series(1, $1::int)`, [receipts.length]);
  const rows = receipts.flatMap((receipt, i) =>
    candidateLists[i]!.map((carrierId) => ({ id: ids.rows[i]!.id, carrierId, status: receipt.status, errorCode: receipt.errorCode, at: receipt.at })),
  );
  await client.query(
    `INSERT INTO pending_receipts (receipt_id, carrier_message_id, status, error_code, at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])`,
    [rows.map((r) => r.id), rows.map((r) => r.carrierId), rows.map((r) => r.status), rows.map((r) => r.errorCode), rows.map((r) => r.at)],
  );
}

async function lockAndRead(client: Queryable, uids: readonly string[]) {
  const locked = await client.query<{ sms_uid: string; client_id: string; status: MessageStatus; error_code: string; part_count: number; done_at: number | null }>({
    name: 'smsgate_receipt_lock_messages',
    text: 'SELECT sms_uid, client_id, status, error_code, part_count, done_at FROM messages WHERE sms_uid = ANY($1::uuid[]) ORDER BY sms_uid FOR UPDATE',
    values: [uids],
  });
  // A statement of its own: its snapshot is taken once the rows above are locked.
  const rows = await client.query<{ sms_uid: string; part_no: number; status: MessageStatus; error_code: string }>({
    name: 'smsgate_receipt_read_parts',
    text: 'SELECT sms_uid, part_no, status, error_code FROM message_parts WHERE sms_uid = ANY($1::uuid[]) ORDER BY sms_uid, part_no',
    values: [uids],
  });
  const messages = new Map<string, MessageState>(
    locked.rows.map((m) => [
      m.sms_uid,
      { target: { smsUid: m.sms_uid, clientId: m.client_id, status: m.status, partCount: m.part_count }, errorCode: m.error_code, doneAt: m.done_at, changed: false },
    ]),
  );
  const grouped = new Map<string, PartState[]>();
  for (const row of rows.rows) {
    const list = grouped.get(row.sms_uid) ?? [];
    list.push({ partNo: row.part_no, status: row.status, errorCode: row.error_code });
    grouped.set(row.sms_uid, list);
  }
  return { messages, parts: new Map<string, readonly PartState[]>(grouped) };
}

/** The changed parts and messages, in one statement. */
async function writeBack(client: Queryable, messages: Map<string, MessageState>, parts: Map<string, readonly PartState[]>): Promise<void> {
  const allParts = [...parts].flatMap(([uid, list]) => list.map((p) => ({ uid, ...p })));
  const changed = [...messages].filter(([, m]) => m.changed);
  await client.query({
    name: 'smsgate_receipt_write_back',
    text: `WITH changed_parts AS (
         UPDATE message_parts p SET status = u.status, error_code = u.error_code
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS u(sms_uid, part_no, status, error_code)
          WHERE p.sms_uid = u.sms_uid AND p.part_no = u.part_no AND (p.status, p.error_code) IS DISTINCT FROM (u.status, u.error_code)
       )
       UPDATE messages m SET status = u.status, error_code = u.error_code, done_at = u.done_at
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::bigint[]) AS u(sms_uid, status, error_code, done_at)
        WHERE m.sms_uid = u.sms_uid`,
    values: [
      allParts.map((p) => p.uid),
      allParts.map((p) => p.partNo),
      allParts.map((p) => p.status),
      allParts.map((p) => p.errorCode),
      changed.map(([uid]) => uid),
      changed.map(([, m]) => m.target.status),
      changed.map(([, m]) => m.errorCode),
      changed.map(([, m]) => m.doneAt),
    ],
  });
}
