import type { NewMessage } from '../message-store.js';

/**
 * A batch's columns as the arrays `unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
 * $5::text[], $6::bigint[])` takes: sms_uid, client_id, templet_id, phone_number, text,
 * created_at. One parameter per column whatever the batch size.
 */
export function messageArrays(batch: readonly NewMessage[]): unknown[][] {
  return [
    batch.map((m) => m.smsUid),
    batch.map((m) => m.clientId),
    batch.map((m) => m.templetId),
    batch.map((m) => m.phoneNumber),
    batch.map((m) => m.text),
    batch.map((m) => m.createdAt),
  ];
}
