/**
 * How the simulator writes its message ids, so the gateway can be tested against each habit of
 * real SMSCs: hex everywhere (the default), decimal everywhere, or a decimal id in submit_sm_resp
 * that the receipt writes in hex (`16` answered, `10` in the receipt), the case where an
 * all-digit receipt id is ambiguous.
 */
export type SimulatorIdStyle = 'hex' | 'dec' | 'dec-in-answer-hex-in-receipt';

const ANSWER_BASE: Record<SimulatorIdStyle, 10 | 16> = { hex: 16, dec: 10, 'dec-in-answer-hex-in-receipt': 10 };
const RECEIPT_BASE: Record<SimulatorIdStyle, 10 | 16> = { hex: 16, dec: 10, 'dec-in-answer-hex-in-receipt': 16 };

/** The id as submit_sm_resp gives it (and as query_sm must name it). */
export function answerId(id: bigint, style: SimulatorIdStyle): string {
  return id.toString(ANSWER_BASE[style]);
}

/** The id as the receipt writes it; `decimal` forces decimal (the `decimal_receipt` test number). */
export function receiptId(id: bigint, style: SimulatorIdStyle, decimal = false): string {
  return id.toString(decimal ? 10 : RECEIPT_BASE[style]);
}

/** The id a query_sm names, read the way submit_sm_resp wrote it; undefined when it is not one. */
export function parseAnswerId(text: unknown, style: SimulatorIdStyle): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const id = text.trim().toLowerCase();
  const hex = ANSWER_BASE[style] === 16;
  if (id.length === 0 || id.length > 30 || !(hex ? /^[0-9a-f]+$/ : /^[0-9]+$/).test(id)) return undefined;
  return BigInt(hex ? `0x${id}` : id);
}
