import type { IdempotencyRecord } from './message-store.js';

/** An Idempotency-Key as both SQL adapters select it. */
export interface IdempotencyRow {
  client_id: string;
  idempotency_key: string;
  fingerprint: string;
  sms_uid: string;
  expires_at: number;
}

export const IDEMPOTENCY_COLUMNS = 'client_id, idempotency_key, fingerprint, sms_uid, expires_at';

export function toIdempotencyRecord(row: IdempotencyRow): IdempotencyRecord {
  return { clientId: row.client_id, key: row.idempotency_key, fingerprint: row.fingerprint, smsUid: row.sms_uid, expiresAt: row.expires_at };
}

/** What an insert answers when no message of the batch found its key held: shared, never changed. */
export const NO_HELD_KEYS: readonly IdempotencyRecord[] = Object.freeze([]);
