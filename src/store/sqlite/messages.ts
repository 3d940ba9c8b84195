import { normaliseCarrierId } from '../../domain/carrier-id.js';
import { isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import type { StatusTransition } from '../../domain/status-transition.js';
import type {
  AwaitingReceiptPart,
  ClaimRequest,
  ClaimedMessage,
  IdempotencyClaim,
  IdempotencyRecord,
  MessageRecord,
  NewMessage,
  ReceiptQueryRequest,
  SubmittedPart,
} from '../message-store.js';
import { NO_HELD_KEYS, toIdempotencyRecord, type IdempotencyRow } from '../idempotency-row.js';
import { toMessageRecord, type MessageRow } from '../message-row.js';
import type { PartRows } from './part-rows.js';
import type { PendingReceipts } from './pending-receipts.js';
import type { SqliteCallbackEvents } from './callback-events.js';
import { applyPendingReceipts } from './receipts.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

const RETENTION_BATCH = 2000;

/** The message lifecycle, the dispatch queue and retention. Writes go through the one writer. */
export class SqliteMessages {
  constructor(
    private readonly sql: Statements,
    private readonly writes: WriteCombiner,
    private readonly pending: PendingReceipts,
    private readonly partRows: PartRows,
    private readonly callbackEvents: SqliteCallbackEvents,
  ) {}

  insert(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> {
    return this.writes.run(() => {
      let held: IdempotencyRecord[] | undefined;
      for (const m of batch) {
        if (m.idempotency && !this.claimKey(m, m.idempotency)) {
          (held ??= []).push(this.heldKey(m));
          continue;
        }
        this.sql.insertMessage.run(m.smsUid, m.clientId, m.templetId, m.phoneNumber, m.text, m.createdAt, m.createdAt);
      }
      return held ?? NO_HELD_KEYS;
    });
  }

  /** False when a key live at the send's time holds it (the write lock keeps it so until commit). */
  private claimKey(m: NewMessage, claim: IdempotencyClaim): boolean {
    return this.sql.claimIdempotencyKey.run(m.clientId, claim.key, claim.fingerprint, m.smsUid, m.createdAt, claim.expiresAt).changes > 0;
  }

  private heldKey(m: NewMessage): IdempotencyRecord {
    const row = this.sql.getIdempotencyKey.get(m.clientId, m.idempotency!.key, m.createdAt) as IdempotencyRow;
    return toIdempotencyRecord(row);
  }

  async findKey(clientId: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    const row = this.sql.getIdempotencyKey.get(clientId, key, now) as IdempotencyRow | undefined;
    return row && toIdempotencyRecord(row);
  }

  async deleteExpiredKeys(now: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.writes.run(() => this.sql.deleteExpiredIdempotencyKeys.run(now, RETENTION_BATCH).changes);
      deleted += count;
      if (count < RETENTION_BATCH) return deleted;
    }
  }

  async get(smsUid: string): Promise<MessageRecord | undefined> {
    const row = this.sql.getMessage.get(smsUid) as MessageRow | undefined;
    return row && toMessageRecord(row);
  }

  async recentSends(sinceMs: number): Promise<{ clientId: string; phoneNumber: string; createdAt: number }[]> {
    const sends: { clientId: string; phoneNumber: string; createdAt: number }[] = [];
    for (const row of this.sql.newestSends.iterate() as IterableIterator<{ client_id: string; phone_number: string; created_at: number }>) {
      if (row.created_at < sinceMs) break;
      sends.push({ clientId: row.client_id, phoneNumber: row.phone_number, createdAt: row.created_at });
    }
    return sends.reverse();
  }

  async claim(request: ClaimRequest): Promise<ClaimedMessage[]> {
    const rows = await this.writes.run(() => this.sql.claim.all({
      owner: request.owner,
      until: request.now + request.leaseMs,
      now: request.now,
      limit: request.limit,
    }) as { sms_uid: string; client_id: string; phone_number: string; text: string; created_at: number; attempts: number; next_attempt_at: number }[]);
    rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.created_at - b.created_at);
    return rows.map((row) => ({
      smsUid: row.sms_uid,
      clientId: row.client_id,
      phoneNumber: row.phone_number,
      text: row.text,
      createdAt: row.created_at,
      attempts: row.attempts,
    }));
  }

  async leaseOwners(): Promise<string[]> {
    return (this.sql.leaseOwners.all() as { lease_owner: string }[]).map((row) => row.lease_owner);
  }

  releaseLeases(owner: string): Promise<number> {
    return this.writes.run(() => this.sql.releaseLeases.run(owner).changes);
  }

  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<StatusTransition[]> {
    return this.writes.run(() => {
      const stored = parts.map((part) => ({ partNo: part.partNo, carrierId: normaliseCarrierId(part.carrierMessageId) }));
      // One part (nearly every message): its id lives in the message row, no part row.
      const single = parts.length === 1 && parts[0]!.partNo === 1 ? parts[0]! : undefined;
      const moved = this.sql.markSent.get(
        parts.length,
        now,
        single ? stored[0]!.carrierId : null,
        single ? answeredId(single.carrierMessageId, stored[0]!.carrierId) : null,
        single?.connection ?? null,
        smsUid,
      ) as { client_id: string } | undefined;
      if (!moved) return []; // already final (expired meanwhile): the outcome stands
      if (!single) {
        this.partRows.added();
        parts.forEach((part, i) =>
          this.sql.insertPart.run(smsUid, part.partNo, stored[i]!.carrierId, answeredId(part.carrierMessageId, stored[i]!.carrierId), part.connection ?? null),
        );
      }
      const sent: StatusTransition = { smsUid, clientId: moved.client_id, from: 'queuing', to: 'sent', errorCode: '0', at: now };
      const message = { smsUid, clientId: moved.client_id, status: 'sent' as const, partCount: parts.length, errorCode: '0', single: single !== undefined };
      return this.callbackEvents.record([sent, ...applyPendingReceipts(this.sql, this.pending, message, stored, now)]);
    });
  }

  claimReceiptQueries(request: ReceiptQueryRequest): Promise<AwaitingReceiptPart[]> {
    return this.writes.run(() => {
      const messages = this.sql.claimReceiptQueries.all(request) as {
        sms_uid: string;
        client_id: string;
        phone_number: string;
        carrier_message_id: string | null;
        answered_id: string | null;
        connection: string | null;
      }[];
      return messages.flatMap((message): AwaitingReceiptPart[] => {
        const part = (partNo: number, carrierMessageId: string, connection: string | null): AwaitingReceiptPart => ({
          smsUid: message.sms_uid,
          clientId: message.client_id,
          phoneNumber: message.phone_number,
          partNo,
          carrierMessageId,
          connection: connection ?? undefined,
        });
        // A single-part message in `sent` is its part, still without a final receipt.
        if (message.carrier_message_id !== null) return [part(1, message.answered_id ?? message.carrier_message_id, message.connection)];
        return (this.sql.partsAwaitingReceipt.all(message.sms_uid) as { part_no: number; carrier_message_id: string; connection: string | null }[]).map((row) =>
          part(row.part_no, row.carrier_message_id, row.connection),
        );
      });
    });
  }

  async markRetry(smsUid: string, dueAt: number): Promise<void> {
    await this.writes.run(() => this.sql.markRetry.run(dueAt, smsUid));
  }

  /** Ends a message not final yet; `attempted` when it ends on the carrier's answer to a submit. */
  markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number, attempted: boolean): Promise<StatusTransition[]> {
    return this.writes.run((): StatusTransition[] => {
      const current = this.sql.getStatus.get(smsUid) as { client_id: string; status: MessageStatus } | undefined;
      if (!current || isFinalStatus(current.status)) return [];
      this.sql.markFailed.run({ status, errorCode, now, attempted: attempted ? 1 : 0, smsUid });
      return this.callbackEvents.record([{ smsUid, clientId: current.client_id, from: current.status, to: status, errorCode, at: now }]);
    });
  }

  expire(createdBefore: number, now: number): Promise<StatusTransition[]> {
    return this.writes.run(() => {
      const expired = (from: MessageStatus, rows: { sms_uid: string; client_id: string }[]): StatusTransition[] =>
        rows.map((row) => ({ smsUid: row.sms_uid, clientId: row.client_id, from, to: 'error_expired', errorCode: '0', at: now }));
      return this.callbackEvents.record([
        ...expired('queuing', this.sql.expireQueued.all(now, createdBefore) as { sms_uid: string; client_id: string }[]),
        ...expired('sent', this.sql.expireSent.all(now, createdBefore) as { sms_uid: string; client_id: string }[]),
      ]);
    });
  }

  async deleteFinishedBefore(cutoffMs: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      // Small batches: each is one write turn, so sends are never held up for long.
      const count = await this.writes.run(() => {
        const gone = this.sql.deleteFinishedBatch.all(cutoffMs, RETENTION_BATCH) as { sms_uid: string; multipart: number }[];
        for (const { sms_uid, multipart } of gone) {
          if (multipart) this.sql.deleteParts.run(sms_uid);
          this.sql.deleteAcknowledgedCallbacks.run(sms_uid);
        }
        return gone.length;
      });
      this.partRows.recheck();
      deleted += count;
      if (count < RETENTION_BATCH) break;
    }
    await this.writes.run(() => this.pending.deleteBefore(cutoffMs));
    return deleted;
  }
}

/** The id as the SMSC answered it, kept only where it differs from its normal form (query_sm names it so). */
function answeredId(answered: string, normal: string): string | null {
  return answered === normal ? null : answered;
}
