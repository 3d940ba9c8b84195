import { canTransition, type MessageStatus } from './message-status.js';
import { partsOutcome } from './receipt-state.js';
import type { StatusTransition } from './status-transition.js';

export interface PartState {
  /** 1-based */
  readonly partNo: number;
  readonly status: MessageStatus;
  readonly errorCode: string;
}

/** What the receipt rule needs of the message a receipt is for. */
export interface ReceiptTarget {
  readonly smsUid: string;
  readonly clientId: string;
  readonly status: MessageStatus;
  /** Parts the submit recorded; until all are stored, the parts cannot speak for the message. */
  readonly partCount: number;
}

export interface PartReceipt {
  readonly partNo: number;
  /** What the receipt means for its part (receipt-state.ts). */
  readonly status: MessageStatus;
  readonly errorCode: string;
}

export interface ReceiptEffect {
  /** Every part of the message, the receipt's own moved on when that is a step forward. */
  readonly parts: readonly PartState[];
  /** The message's move to what its parts now say together, when that is a step forward. */
  readonly transition: StatusTransition | undefined;
}

/**
 * What a delivery receipt means for its message, the one rule both adapters apply: a part, like
 * a message, only moves forward; the message takes what its parts say together (partsOutcome)
 * once every part is recorded, and only if that is a step forward from where it is.
 */
export function receiptEffect(message: ReceiptTarget, parts: readonly PartState[], receipt: PartReceipt, at: number): ReceiptEffect {
  const next = parts.map((part) =>
    part.partNo === receipt.partNo && canTransition(part.status, receipt.status)
      ? { partNo: part.partNo, status: receipt.status, errorCode: receipt.errorCode }
      : part,
  );
  if (next.length < message.partCount) return { parts: next, transition: undefined };
  const combined = partsOutcome(next);
  if (!canTransition(message.status, combined.status)) return { parts: next, transition: undefined };
  return {
    parts: next,
    transition: { smsUid: message.smsUid, clientId: message.clientId, from: message.status, to: combined.status, errorCode: combined.errorCode, at },
  };
}

/** Several receipts for one message, applied in order by receiptEffect. */
export function receiptsEffect(
  message: ReceiptTarget,
  parts: readonly PartState[],
  receipts: readonly PartReceipt[],
  at: number,
): { readonly parts: readonly PartState[]; readonly transitions: StatusTransition[] } {
  let current = message;
  let state = parts;
  const transitions: StatusTransition[] = [];
  for (const receipt of receipts) {
    const effect = receiptEffect(current, state, receipt, at);
    state = effect.parts;
    if (effect.transition) {
      transitions.push(effect.transition);
      current = { ...current, status: effect.transition.to };
    }
  }
  return { parts: state, transitions };
}
