import { GatewayError } from './errors.js';

/** SMPP type of number of a source_addr (SMPP 3.4, 5.2.5). */
export const TON = { international: 1, alphanumeric: 5, shortCode: 3 } as const;
/** SMPP numbering plan indicator: E.164 for numbers, unknown for names. */
const NPI = { e164: 1, unknown: 0 } as const;

/** A client's sender: the SMPP source_addr with the TON and NPI its form calls for. */
export interface Sender {
  readonly addr: string;
  readonly ton: number;
  readonly npi: number;
}

/**
 * Reads a sender as an operator writes it and chooses its TON from its form:
 * `+` and 7 to 15 digits: an international number (TON 1, without the `+` on the wire);
 * 3 to 8 digits: a short code (TON 3); otherwise a name of 1 to 11 letters, digits, spaces
 * and `-._&` that is not all digits: alphanumeric (TON 5). The length bound is GSM's (an
 * alphanumeric sender travels as 11 GSM 7-bit characters at most).
 */
export function parseSender(text: string): Sender {
  const value = text.trim();
  if (/^\+\d{7,15}$/.test(value)) return { addr: value.slice(1), ton: TON.international, npi: NPI.e164 };
  if (/^\d{3,8}$/.test(value)) return { addr: value, ton: TON.shortCode, npi: NPI.unknown };
  if (/^[A-Za-z0-9 ._&-]{1,11}$/.test(value) && /[A-Za-z]/.test(value) && value === text) {
    return { addr: value, ton: TON.alphanumeric, npi: NPI.unknown };
  }
  throw new GatewayError(
    'INVALID_REQUEST',
    `sender ${JSON.stringify(text.slice(0, 32))} is invalid: expected a name of 1 to 11 letters, digits, spaces and -._& with at least one letter (COOKPAD), a short code of 3 to 8 digits (10690), or an international number (+8613800138000)`,
  );
}
