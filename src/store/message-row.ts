import type { MessageStatus } from '../domain/message-status.js';
import type { MessageRecord, ReceiptCandidateMatch } from './message-store.js';

/** A message as both SQL adapters select it (same column names in SQLite and PostgreSQL). */
export interface MessageRow {
  sms_uid: string;
  client_id: string;
  templet_id: string;
  phone_number: string;
  text: string;
  status: MessageStatus;
  error_code: string;
  part_count: number;
  attempts: number;
  created_at: number;
  sent_at: number | null;
  done_at: number | null;
}

export const MESSAGE_COLUMNS =
  'sms_uid, client_id, templet_id, phone_number, text, status, error_code, part_count, attempts, created_at, sent_at, done_at';

export function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    smsUid: row.sms_uid,
    clientId: row.client_id,
    templetId: row.templet_id,
    phoneNumber: row.phone_number,
    text: row.text,
    createdAt: row.created_at,
    status: row.status,
    errorCode: row.error_code,
    partCount: row.part_count,
    attempts: row.attempts,
    sentAt: row.sent_at,
    doneAt: row.done_at,
  };
}

/** A stored part holding a receipt's candidate id, as both SQL adapters select it. */
export interface PartMatchRow {
  carrier_message_id: string;
  status: MessageStatus;
  connection: string | null;
  sms_uid: string;
  client_id: string;
  part_no: number;
  answered_id: string | null;
  phone_number: string;
}

export function toReceiptCandidateMatch(row: PartMatchRow): ReceiptCandidateMatch {
  return {
    carrierMessageId: row.carrier_message_id,
    status: row.status,
    connection: row.connection ?? undefined,
    part: {
      smsUid: row.sms_uid,
      clientId: row.client_id,
      phoneNumber: row.phone_number,
      partNo: row.part_no,
      // query_sm must name the id exactly as the SMSC answered it.
      carrierMessageId: row.answered_id ?? row.carrier_message_id,
      connection: row.connection ?? undefined,
    },
  };
}
