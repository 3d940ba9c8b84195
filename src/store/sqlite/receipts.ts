import { normaliseCarrierId } from '../../domain/carrier-id.js';
import { isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import { receiptsEffect, type PartReceipt, type PartState, type ReceiptTarget } from '../../domain/receipt-effect.js';
import { chooseReceiptPart } from '../../domain/reused-carrier-id.js';
import { doneAtOf, type StatusTransition } from '../../domain/status-transition.js';
import type { ReceiptCandidateMatch, ReceiptResult, ReceiptUpdate } from '../message-store.js';
import { toReceiptCandidateMatch, type PartMatchRow } from '../message-row.js';
import type { SqliteCallbackEvents } from './callback-events.js';
import type { PartRows } from './part-rows.js';
import type { PendingReceipts } from './pending-receipts.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

interface PartRow extends PartMatchRow {
  sent_at: number | null;
  part_count: number;
  error_code: string;
  single: number;
}

/** A message a receipt is for, and whether its one part is the message row itself (no part rows). */
export interface ReceiptMessage extends ReceiptTarget {
  readonly errorCode: string;
  readonly single: boolean;
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
    private readonly pending: PendingReceipts,
    private readonly partRows: PartRows,
    private readonly callbackEvents: SqliteCallbackEvents,
  ) {}

  apply(receipt: ReceiptUpdate): Promise<ReceiptResult> {
    return this.writes.run((): ReceiptResult => {
      const candidates = receipt.carrierMessageIds.map(normaliseCarrierId);
      const found = this.findParts(candidates)
        .filter((row) => receipt.smsUid === undefined || row.sms_uid === receipt.smsUid)
        .map((row) => ({ carrierMessageId: row.carrier_message_id, smsUid: row.sms_uid, partNo: row.part_no, final: isFinalStatus(row.status), sentAt: row.sent_at, row }));
      const part = chooseReceiptPart(candidates, found);
      if (!part) {
        // A query's answer for a message that is gone has no submit to wait for.
        if (receipt.smsUid === undefined) this.pending.keep(candidates[0] ?? '', receipt.status, receipt.errorCode, receipt.at);
        return { outcome: 'pending', transitions: [] };
      }
      const transitions = applyToMessage(this.sql, messageOf(part.row), [{ partNo: part.partNo, status: receipt.status, errorCode: receipt.errorCode }], receipt.at);
      return { outcome: 'applied', transitions: this.callbackEvents.record(transitions) };
    });
  }

  /** Read only, on the writer's connection: sees every write committed so far. */
  async matches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]> {
    return this.findParts(carrierIds.map(normaliseCarrierId)).map(toReceiptCandidateMatch);
  }

  /** The parts holding any of these ids (normal form), each once. */
  private findParts(carrierIds: readonly string[]): PartRow[] {
    const rows: PartRow[] = [];
    const parts = this.partRows.mayExist();
    for (const id of new Set(carrierIds)) {
      rows.push(...(this.sql.findSingleParts.all(id) as PartRow[]));
      if (parts) rows.push(...(this.sql.findMultiParts.all(id) as PartRow[]));
    }
    return rows;
  }
}

function messageOf(row: PartRow): ReceiptMessage {
  return { smsUid: row.sms_uid, clientId: row.client_id, status: row.status, partCount: row.part_count, errorCode: row.error_code, single: row.single === 1 };
}

/**
 * Inside a write, after the message became `sent` and all its parts were stored: applies the
 * receipts that came for these part ids before the submit was recorded.
 */
export function applyPendingReceipts(
  sql: Statements,
  pending: PendingReceipts,
  message: ReceiptMessage,
  parts: readonly { partNo: number; carrierId: string }[],
  now: number,
): StatusTransition[] {
  const receipts = pending.take(parts);
  return receipts.length === 0 ? [] : applyToMessage(sql, message, receipts, now);
}

/**
 * Applies receipts to parts of one message by the domain's rule, and writes what changed. A
 * single-part message's part is the message itself: its status is the part's.
 */
function applyToMessage(sql: Statements, message: ReceiptMessage, receipts: readonly PartReceipt[], at: number): StatusTransition[] {
  const { smsUid } = message;
  const before: readonly PartState[] = message.single
    ? [{ partNo: 1, status: message.status, errorCode: message.errorCode }]
    : (sql.partStatuses.all(smsUid) as { part_no: number; status: MessageStatus; error_code: string }[]).map(
        (part): PartState => ({ partNo: part.part_no, status: part.status, errorCode: part.error_code }),
      );
  const { parts, transitions } = receiptsEffect(message, before, receipts, at);
  if (!message.single) {
    parts.forEach((part, i) => {
      if (part !== before[i]) sql.setPartStatus.run(part.status, part.errorCode, smsUid, part.partNo);
    });
  }
  const last = transitions.at(-1);
  if (last) sql.settle.run(last.to, last.errorCode, doneAtOf(last), smsUid);
  return transitions;
}
