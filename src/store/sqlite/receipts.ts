import { carrierIdCandidates, normaliseCarrierId } from '../../domain/carrier-id.js';
import { isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import { receiptsEffect, type PartReceipt, type PartState } from '../../domain/receipt-effect.js';
import { chooseReceiptPart } from '../../domain/reused-carrier-id.js';
import { doneAtOf, type StatusTransition } from '../../domain/status-transition.js';
import type { ReceiptCandidateMatch, ReceiptResult, ReceiptUpdate } from '../message-store.js';
import { toReceiptCandidateMatch, type PartMatchRow } from '../message-row.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

interface PartRow extends PartMatchRow {
  sent_at: number | null;
}

/**
 * Delivery receipts, including one that arrives before its submit is recorded: it is kept in
 * pending_receipts and applied by markSent (applyPendingReceipts). Both run in the one writer,
 * so neither can miss the other.
 */
export class SqliteReceipts {
  constructor(
    private readonly sql: Statements,
    private readonly writes: WriteCombiner,
  ) {}

  apply(receipt: ReceiptUpdate): Promise<ReceiptResult> {
    return this.writes.run((): ReceiptResult => {
      const candidates = receipt.carrierMessageIds.map(normaliseCarrierId);
      const found = this.findParts(candidates).filter((p) => receipt.smsUid === undefined || p.smsUid === receipt.smsUid);
      const part = chooseReceiptPart(candidates, found);
      if (!part) {
        // A query's answer for a message that is gone has no submit to wait for.
        if (receipt.smsUid !== undefined) return { outcome: 'pending', transitions: [] };
        this.sql.insertPendingReceipt.run(candidates[0] ?? '', receipt.status, receipt.errorCode, receipt.at);
        return { outcome: 'pending', transitions: [] };
      }
      const transitions = applyToMessage(this.sql, part.smsUid, [{ partNo: part.partNo, status: receipt.status, errorCode: receipt.errorCode }], receipt.at);
      return { outcome: 'applied', transitions };
    });
  }

  /** Read only, on the writer's connection: sees every write committed so far. */
  async matches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]> {
    return [...new Set(carrierIds.map(normaliseCarrierId))].flatMap((id) =>
      (this.sql.findParts.all(id) as PartRow[]).map(toReceiptCandidateMatch),
    );
  }

  private findParts(candidates: readonly string[]) {
    return [...new Set(candidates)].flatMap((id) =>
      (this.sql.findParts.all(id) as PartRow[]).map((row) => ({
        carrierMessageId: row.carrier_message_id,
        smsUid: row.sms_uid,
        partNo: row.part_no,
        final: isFinalStatus(row.status),
        sentAt: row.sent_at,
      })),
    );
  }
}

/**
 * Inside a write, after the message became `sent` and all its parts were stored: applies the
 * receipts that came for these part ids before the submit was recorded.
 */
export function applyPendingReceipts(sql: Statements, smsUid: string, parts: readonly { partNo: number; carrierId: string }[], now: number): StatusTransition[] {
  const receipts: PartReceipt[] = [];
  for (const part of parts) {
    for (const candidate of carrierIdCandidates(part.carrierId)) {
      const pending = sql.takePendingReceipts.all(candidate) as { status: MessageStatus; error_code: string }[];
      for (const row of pending) receipts.push({ partNo: part.partNo, status: row.status, errorCode: row.error_code });
    }
  }
  return receipts.length === 0 ? [] : applyToMessage(sql, smsUid, receipts, now);
}

/** Applies receipts to parts of one message by the domain's rule, and writes what changed. */
function applyToMessage(sql: Statements, smsUid: string, receipts: readonly PartReceipt[], at: number): StatusTransition[] {
  const row = sql.getStatus.get(smsUid) as { client_id: string; status: MessageStatus; part_count: number } | undefined;
  if (!row) return [];
  const message = { smsUid, clientId: row.client_id, status: row.status, partCount: row.part_count };
  const before = (sql.partStatuses.all(smsUid) as { part_no: number; status: MessageStatus; error_code: string }[]).map(
    (part): PartState => ({ partNo: part.part_no, status: part.status, errorCode: part.error_code }),
  );
  const { parts, transitions } = receiptsEffect(message, before, receipts, at);
  parts.forEach((part, i) => {
    if (part !== before[i]) sql.setPartStatus.run(part.status, part.errorCode, smsUid, part.partNo);
  });
  const last = transitions.at(-1);
  if (last) sql.settle.run(last.to, last.errorCode, doneAtOf(last), smsUid);
  return transitions;
}
