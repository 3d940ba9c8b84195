/** SMPP 3.4 appendix B receipt text, as most SMSCs send it. */
export interface ReceiptFields {
  readonly id: string;
  readonly state: string;
  readonly submittedAt: number;
  readonly doneAt: number;
  /** The first characters of the original text, for humans reading logs. */
  readonly text: string;
}

/** Network error codes the simulator reports (arbitrary, but stable for tests and docs). */
const ERR_BY_STATE: Record<string, string> = { DELIVRD: '000', UNDELIV: '001', EXPIRED: '002', REJECTD: '003', UNKNOWN: '004' };

/** message_state TLV value (SMPP 3.4 5.3.2.35) for a receipt state. */
export const MESSAGE_STATE: Record<string, number> = { DELIVRD: 2, EXPIRED: 3, UNDELIV: 5, UNKNOWN: 7, REJECTD: 8 };

/** The network error code of a receipt state, as query_sm_resp's error_code carries it. */
export function networkErrorCode(state: string): number {
  return Number(ERR_BY_STATE[state] ?? '0');
}

function receiptDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-T:]/g, '').slice(2, 12); // YYMMDDhhmm, UTC
}

export function receiptText(fields: ReceiptFields): string {
  const delivered = fields.state === 'DELIVRD' ? '001' : '000';
  return (
    `id:${fields.id} sub:001 dlvrd:${delivered} submit date:${receiptDate(fields.submittedAt)} ` +
    `done date:${receiptDate(fields.doneAt)} stat:${fields.state} err:${ERR_BY_STATE[fields.state] ?? '000'} ` +
    `text:${fields.text.slice(0, 20)}`
  );
}
