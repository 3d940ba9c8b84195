import { createHash } from 'node:crypto';
import type { MessageStatus } from '../../domain/message-status.js';
import { receiptsEffect, type PartReceipt, type PartState } from '../../domain/receipt-effect.js';
import { doneAtOf, type StatusTransition } from '../../domain/status-transition.js';
import { applyReceiptsBatchInTransaction } from './receipt-batch.js';
import type { ReceiptResult, ReceiptUpdate } from '../message-store.js';
import type { Queryable } from './pool.js';

/**
 * Receipts, including the race between a receipt and the submit it answers: the SMSC may send
 * the receipt before the dispatcher has recorded submit_sm_resp, and the two may be handled by
 * different processes. Both sides take a transaction-scoped advisory lock on every carrier id
 * they touch before they look, so one of them always sees the other's committed rows:
 * applyReceipt either finds the part or leaves a pending receipt that markSent then finds.
 * Locks are taken in one global order (sorted keys), so two transactions cannot deadlock on them.
 */

/** A 64-bit lock key per id; a collision only serialises two unrelated receipts. */
function lockKey(carrierId: string): bigint {
  return createHash('sha256').update(`smsgate:carrier-id:${carrierId}`).digest().readBigInt64BE(0);
}

function sortedLockKeys(ids: readonly string[]): bigint[] {
  return [...new Set(ids.map(lockKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function lockCarrierIds(client: Queryable, ids: readonly string[]): Promise<void> {
  const keys = sortedLockKeys(ids);
  if (keys.length === 0) return;
  // unnest yields rows in array order, so the locks are taken in sorted order.
  await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [keys.map(String)]);
}

/**
 * BEGIN and lockCarrierIds in one round trip: one simple query of two statements. The keys are
 * integers written by BigInt, so they are safe as literals. Each statement takes its own snapshot
 * (READ COMMITTED), so what the transaction reads next is read after the locks are held.
 */
export function beginLockingSql(ids: readonly string[]): string {
  const keys = sortedLockKeys(ids);
  if (keys.length === 0) return 'BEGIN';
  return `BEGIN; SELECT pg_advisory_xact_lock(k) FROM unnest('{${keys.join(',')}}'::bigint[]) AS k`;
}

/** One receipt, inside the caller's transaction: receipt-batch.ts with a batch of one. */
export async function applyReceiptInTransaction(client: Queryable, receipt: ReceiptUpdate): Promise<ReceiptResult> {
  await lockCarrierIds(client, receipt.carrierMessageIds);
  const [result] = await applyReceiptsBatchInTransaction(client, [receipt]);
  return result!;
}

/**
 * Call inside a transaction, after the message row became `sent` and its parts were inserted,
 * with their carrier ids locked: applies receipts that arrived before the submit was recorded.
 */
export async function consumePendingReceipts(
  client: Queryable,
  message: { readonly smsUid: string; readonly clientId: string },
  submitted: readonly { readonly partNo: number; readonly carrierId: string }[],
  now: number,
): Promise<StatusTransition[]> {
  const ids = submitted.map((part) => part.carrierId);
  const pending = await client.query<{ receipt_id: number; carrier_message_id: string; status: MessageStatus; error_code: string; at: number }>(
    `DELETE FROM pending_receipts
      WHERE receipt_id IN (SELECT receipt_id FROM pending_receipts WHERE carrier_message_id = ANY($1::text[]))
      RETURNING receipt_id, carrier_message_id, status, error_code, at`,
    [ids],
  );
  // Rows for the other spellings of a receipt's id were deleted with it; only ours name a part.
  const matching = pending.rows
    .filter((row) => ids.includes(row.carrier_message_id))
    .sort((a, b) => a.at - b.at || a.receipt_id - b.receipt_id);
  if (matching.length === 0) return [];
  const applied = new Set<number>();
  const receipts: PartReceipt[] = [];
  for (const row of matching) {
    if (applied.has(row.receipt_id)) continue; // one receipt, two spellings both ours: apply once
    applied.add(row.receipt_id);
    const partNo = submitted.find((part) => part.carrierId === row.carrier_message_id)!.partNo;
    receipts.push({ partNo, status: row.status, errorCode: row.error_code });
  }
  const parts = await readParts(client, message.smsUid);
  // Never before the submit it answers, though the receipt itself came earlier.
  const lastAt = Math.max(now, ...matching.map((row) => row.at));
  const target = { ...message, status: 'sent' as const, partCount: submitted.length };
  const effect = receiptsEffect(target, parts, receipts, lastAt);
  await writeOutcome(client, message.smsUid, effect.parts, effect.transitions.at(-1));
  return effect.transitions;
}

async function readParts(client: Queryable, smsUid: string): Promise<PartState[]> {
  const result = await client.query<{ part_no: number; status: MessageStatus; error_code: string }>(
    'SELECT part_no, status, error_code FROM message_parts WHERE sms_uid = $1 ORDER BY part_no',
    [smsUid],
  );
  return result.rows.map((row) => ({ partNo: row.part_no, status: row.status, errorCode: row.error_code }));
}

/** Writes the parts, and the message's status if the receipts moved it. */
async function writeOutcome(client: Queryable, smsUid: string, parts: readonly PartState[], last: StatusTransition | undefined): Promise<void> {
  await client.query(
    `WITH parts AS (
       UPDATE message_parts p SET status = u.status, error_code = u.error_code
         FROM unnest($2::int[], $3::text[], $4::text[]) AS u(part_no, status, error_code)
        WHERE p.sms_uid = $1 AND p.part_no = u.part_no AND (p.status, p.error_code) IS DISTINCT FROM (u.status, u.error_code)
     )
     UPDATE messages SET status = $5, error_code = $6, done_at = COALESCE($7::bigint, done_at)
      WHERE sms_uid = $1 AND $8`,
    [
      smsUid,
      parts.map((p) => p.partNo),
      parts.map((p) => p.status),
      parts.map((p) => p.errorCode),
      last?.to ?? 'sent',
      last?.errorCode ?? '0',
      last ? doneAtOf(last) : null,
      last !== undefined,
    ],
  );
}
