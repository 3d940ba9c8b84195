import type { Sender } from '../../domain/sender.js';
import type { EncodedSms, SmsPart } from '../../domain/sms-encoding.js';
import type { SmscConnectionConfig } from './smpp-config.js';
import type { SmFields } from './pdu-codec.js';

const UDH_INDICATOR = 0x40;
/** registered_delivery: a receipt on final outcome, success or failure. */
const FINAL_RECEIPT = 0x01;

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * SMPP absolute time "YYMMDDhhmmsstnnp" in UTC (nn = 00 quarter hours, p = "+"). Absolute rather
 * than relative so a submit resent after a reconnect keeps its original deadline.
 */
export function formatAbsoluteTime(epochMs: number): string {
  const d = new Date(epochMs);
  const tenths = Math.floor(d.getUTCMilliseconds() / 100);
  return (
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    `${tenths}00+`
  );
}

/** Reads an absolute SMPP time back (any quarter-hour offset); undefined for other forms. */
export function parseAbsoluteTime(value: string): number | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d)(\d\d)([+-])$/.exec(value);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss, t, nn, p] = m;
  const utc = Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss), Number(t) * 100);
  const offsetMs = Number(nn) * 15 * 60_000;
  return p === '+' ? utc - offsetMs : utc + offsetMs;
}

/** The submit_sm fields for one part of a message. */
export function submitParams(
  config: SmscConnectionConfig,
  phoneNumber: string,
  sms: EncodedSms,
  part: SmsPart,
  expiresAt: number,
  sender?: Sender,
): SmFields {
  return {
    service_type: '',
    // A client's sender wins over the connection's, with the TON and NPI its form calls for.
    source_addr_ton: sender ? sender.ton : config.sourceAddrTon,
    source_addr_npi: sender ? sender.npi : config.sourceAddrNpi,
    source_addr: sender ? sender.addr : config.sourceAddr,
    dest_addr_ton: config.destAddrTon,
    dest_addr_npi: config.destAddrNpi,
    // International TON carries the number without its "+".
    destination_addr: phoneNumber.replace(/^\+/, ''),
    esm_class: part.hasUdh ? UDH_INDICATOR : 0,
    registered_delivery: FINAL_RECEIPT,
    validity_period: formatAbsoluteTime(expiresAt),
    // Set explicitly: GSM text is data_coding 0, never left to a default.
    data_coding: sms.dataCoding,
    short_message: part.shortMessage,
  };
}
