import type { PDU } from 'smpp';
import type { DeliveryReceipt } from '../carrier.js';

/**
 * Reads a delivery receipt out of a deliver_sm. The id comes from the receipted_message_id TLV
 * when present (SMPP 3.4 5.3.2.12), else from the `id:` of the text (appendix B); the state from
 * the text's `stat:`, else the message_state TLV. Field names are matched loosely because
 * SMSCs vary in case and spacing.
 */

/** esm_class bits 2-5: SMSC delivery receipt, or intermediate delivery notification. */
const RECEIPT_TYPES = new Set([0x04, 0x20]);

export function isReceipt(pdu: PDU): boolean {
  return RECEIPT_TYPES.has((Number(pdu.esm_class) || 0) & 0x3c);
}

/** A receipt as the deliver_sm says it; the carrier adds the connection it arrived on. */
export type ParsedReceipt = Omit<DeliveryReceipt, 'connection'>;

/** message_state values (SMPP 3.4 5.3.2.35, also query_sm_resp) as the text states they stand for. */
const STATE_NAMES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/** DELIVRD for 2 (DELIVERED), ...; undefined for a value SMPP 3.4 does not define. */
export function messageStateName(messageState: number): string | undefined {
  return STATE_NAMES[messageState];
}

function field(text: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}:\\s*(\\S+)`, 'i').exec(text);
  return match?.[1];
}

/** The message text as a string, whichever shape the smpp package decoded it to. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (typeof value === 'object' && 'message' in value) return textOf(value.message);
  return '';
}

/** "000" and "0" are the same error; a non-numeric code is kept as given. */
function normaliseErr(err: string | undefined): string {
  if (err === undefined || err === '') return '0';
  return /^[0-9]+$/.test(err) ? String(Number.parseInt(err, 10)) : err;
}

/** Undefined when the deliver_sm is not a receipt or names no message id. */
export function parseReceipt(pdu: PDU): ParsedReceipt | undefined {
  if (!isReceipt(pdu)) return undefined;
  const text = textOf(pdu.short_message) || textOf(pdu.message_payload);
  const tlvId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.trim() : '';
  const carrierMessageId = tlvId || field(text, 'id');
  if (!carrierMessageId) return undefined;
  const tlvState = typeof pdu.message_state === 'number' ? STATE_NAMES[pdu.message_state] : undefined;
  const state = (field(text, 'stat') ?? tlvState ?? 'UNKNOWN').toUpperCase();
  return { carrierMessageId, state, errorCode: normaliseErr(field(text, 'err')) };
}
