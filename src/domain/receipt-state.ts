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
