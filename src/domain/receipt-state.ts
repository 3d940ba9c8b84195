import type { MessageStatus } from './message-status.js';

/**
 * SMPP delivery receipt states (SMPP 3.4 appendix B) and the message status each one means.
 * ENROUTE and ACCEPTD are intermediate: the message stays `sent`.
 */
const STATUS_BY_RECEIPT_STATE: Record<string, MessageStatus> = {
  DELIVRD: 'delivered',
  UNDELIV: 'error_undeliverable',
  EXPIRED: 'error_expired',
  REJECTD: 'error_rejected',
  DELETED: 'error_unknown',
  UNKNOWN: 'error_unknown',
  ENROUTE: 'sent',
  ACCEPTD: 'sent',
};

export function statusForReceiptState(state: string): MessageStatus {
  return STATUS_BY_RECEIPT_STATE[state.trim().toUpperCase()] ?? 'error_unknown';
}

/**
 * The status of a multi-part message from its parts: delivered when every part is,
 * failed as soon as any part failed, otherwise still `sent`.
 */
export function combinePartStatuses(parts: readonly MessageStatus[]): MessageStatus {
  const failed = parts.find((s) => s.startsWith('error_'));
  if (failed) return failed;
  if (parts.length > 0 && parts.every((s) => s === 'delivered')) return 'delivered';
  if (parts.some((s) => s === 'queuing')) return 'queuing';
  return 'sent';
}

/**
 * What a message's parts say together, with the error code that goes with it: the code of the
 * first part in the failed status, "0" otherwise.
 */
export function partsOutcome(parts: readonly { status: MessageStatus; errorCode: string }[]): { status: MessageStatus; errorCode: string } {
  const status = combinePartStatuses(parts.map((p) => p.status));
  const errorCode = status.startsWith('error_') ? (parts.find((p) => p.status === status)?.errorCode ?? '0') : '0';
  return { status, errorCode };
}
