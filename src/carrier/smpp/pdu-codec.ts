import smpp, { type PDU } from 'smpp';
import { decodeGsm7, encodeGsm7Lossy } from '../../domain/sms-encoding.js';

/**
 * A direct encoder and decoder for the PDUs every message crosses (submit_sm, deliver_sm, their
 * responses, enquire_link): the same octets as the `smpp` package writes and the same fields as it
 * reads (test/carrier/pdu-codec.test.ts checks both), at a tenth of its cost. Everything else,
 * and any hot PDU in a form this reader does not take (see decodeHot), goes through the package.
 */

export const CMD = {
  generic_nack: 0x80000000,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
} as const;

const HEADER = 16;
const TLV_RECEIPTED_MESSAGE_ID = 0x001e;
const TLV_USER_MESSAGE_REFERENCE = 0x0204;
const TLV_SAR_MSG_REF_NUM = 0x020c;
const TLV_SAR_TOTAL_SEGMENTS = 0x020e;
const TLV_SAR_SEGMENT_SEQNUM = 0x020f;
const TLV_MESSAGE_STATE = 0x0427;
const UDH_INDICATOR = 0x40;

/** The body of submit_sm and deliver_sm (the same layout), plus the TLVs we send. */
export interface SmFields {
  readonly service_type?: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly destination_addr: string;
  readonly esm_class: number;
  readonly protocol_id?: number;
  readonly priority_flag?: number;
  readonly schedule_delivery_time?: string;
  readonly validity_period?: string;
  readonly registered_delivery: number;
  readonly replace_if_present_flag?: number;
  readonly data_coding: number;
  readonly sm_default_msg_id?: number;
  /** Octets as they go out; a string is GSM text (as the package writes data_coding 0). */
  readonly short_message: Buffer | string;
  /** TLVs, written in this order when present. */
  readonly message_state?: number;
  readonly receipted_message_id?: string;
}

/** Octets of an SMPP C-Octet String (ASCII / Latin-1, NUL-terminated). */
const cstringSize = (s: string | undefined): number => (s === undefined ? 1 : s.length + 1);

function writeCString(buf: Buffer, at: number, s: string | undefined): number {
  const n = s === undefined ? 0 : buf.write(s, at, 'latin1');
  buf[at + n] = 0;
  return at + n + 1;
}

function header(length: number, commandId: number, status: number, sequence: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  buf.writeUInt32BE(length, 0);
  buf.writeUInt32BE(commandId, 4);
  buf.writeUInt32BE(status, 8);
  buf.writeUInt32BE(sequence, 12);
  return buf;
}

/** submit_sm or deliver_sm. */
export function encodeSm(commandId: typeof CMD.submit_sm | typeof CMD.deliver_sm, sequence: number, f: SmFields): Buffer {
  const message = typeof f.short_message === 'string' ? encodeGsm7Lossy(f.short_message) : f.short_message;
  let length =
    HEADER +
    cstringSize(f.service_type) +
    2 +
    cstringSize(f.source_addr) +
    2 +
    cstringSize(f.destination_addr) +
    3 +
    cstringSize(f.schedule_delivery_time) +
    cstringSize(f.validity_period) +
    4 +
    1 +
    message.length;
  if (f.message_state !== undefined) length += 5;
  if (f.receipted_message_id !== undefined) length += 4 + cstringSize(f.receipted_message_id);
  const buf = header(length, commandId, 0, sequence);
  let at = writeCString(buf, HEADER, f.service_type);
  buf[at++] = f.source_addr_ton;
  buf[at++] = f.source_addr_npi;
  at = writeCString(buf, at, f.source_addr);
  buf[at++] = f.dest_addr_ton;
  buf[at++] = f.dest_addr_npi;
  at = writeCString(buf, at, f.destination_addr);
  buf[at++] = f.esm_class;
  buf[at++] = f.protocol_id ?? 0;
  buf[at++] = f.priority_flag ?? 0;
  at = writeCString(buf, at, f.schedule_delivery_time);
  at = writeCString(buf, at, f.validity_period);
  buf[at++] = f.registered_delivery;
  buf[at++] = f.replace_if_present_flag ?? 0;
  buf[at++] = f.data_coding;
  buf[at++] = f.sm_default_msg_id ?? 0;
  buf[at++] = message.length;
  at += message.copy(buf, at);
  if (f.message_state !== undefined) {
    buf.writeUInt16BE(TLV_MESSAGE_STATE, at);
    buf.writeUInt16BE(1, at + 2);
    buf[at + 4] = f.message_state;
    at += 5;
  }
  if (f.receipted_message_id !== undefined) {
    buf.writeUInt16BE(TLV_RECEIPTED_MESSAGE_ID, at);
    buf.writeUInt16BE(cstringSize(f.receipted_message_id), at + 2);
    writeCString(buf, at + 4, f.receipted_message_id);
  }
  return buf;
}

/**
 * A response carrying a message_id (submit_sm_resp, deliver_sm_resp). As the package does, a
 * response with a non-zero status is the header alone.
 */
export function encodeResp(commandId: typeof CMD.submit_sm_resp | typeof CMD.deliver_sm_resp, sequence: number, status: number, messageId = ''): Buffer {
  if (status !== 0) return header(HEADER, commandId, status, sequence);
  const buf = header(HEADER + messageId.length + 1, commandId, 0, sequence);
  writeCString(buf, HEADER, messageId);
  return buf;
}

/** A PDU without a body: enquire_link, enquire_link_resp, generic_nack. */
export function encodeEmpty(commandId: number, sequence: number, status = 0): Buffer {
  return header(HEADER, commandId, status, sequence);
}

type HotCommand = 'submit_sm' | 'submit_sm_resp' | 'deliver_sm' | 'deliver_sm_resp' | 'enquire_link' | 'enquire_link_resp';

/** A PDU read by decodeHot: the package's field names and value shapes for what it carries. */
export class HotPdu implements PDU {
  [field: string]: unknown;
  constructor(
    readonly command: HotCommand,
    readonly command_length: number,
    readonly command_id: number,
    readonly command_status: number,
    readonly sequence_number: number,
  ) {}

  isResponse(): boolean {
    return (this.command_id & 0x80000000) !== 0;
  }

  toBuffer(): Buffer {
    throw new Error(`a decoded ${this.command} is not sent again`);
  }

  /** The response as a package PDU (the rare paths; hot ones write encodeResp). */
  response(options: Record<string, unknown> = {}): PDU {
    return new smpp.PDU(`${this.command}_resp`, { ...options, sequence_number: this.sequence_number });
  }
}

/** Reads a NUL-terminated string at `at` within [at, end); undefined when no NUL comes first. */
function readCString(frame: Buffer, at: number, end: number): string | undefined {
  const nul = frame.indexOf(0, at);
  if (nul < 0 || nul >= end) return undefined;
  return frame.toString('ascii', at, nul);
}

/**
 * Decodes a hot PDU from one whole frame, or returns undefined for anything it leaves to the
 * package: other commands, a truncated or malformed body, text in a coding other than the GSM
 * default or with a UDH, and TLVs other than the few we read (message_payload included).
 */
export function decodeHot(frame: Buffer): HotPdu | undefined {
  const length = frame.readUInt32BE(0);
  const id = frame.readUInt32BE(4);
  const pdu = (command: HotCommand): HotPdu => new HotPdu(command, length, id, frame.readUInt32BE(8), frame.readUInt32BE(12));
  switch (id) {
    case CMD.submit_sm:
      return decodeSm(pdu('submit_sm'), frame, length);
    case CMD.deliver_sm:
      return decodeSm(pdu('deliver_sm'), frame, length);
    case CMD.submit_sm_resp:
    case CMD.deliver_sm_resp: {
      const command = id === CMD.submit_sm_resp ? 'submit_sm_resp' : 'deliver_sm_resp';
      if (length === HEADER) return pdu(command);
      const messageId = readCString(frame, HEADER, length);
      // Anything after the message_id (TLVs) is left to the package.
      if (messageId === undefined || HEADER + messageId.length + 1 !== length) return undefined;
      const resp = pdu(command);
      resp.message_id = messageId;
      return resp;
    }
    case CMD.enquire_link:
      return length === HEADER ? pdu('enquire_link') : undefined;
    case CMD.enquire_link_resp:
      return length === HEADER ? pdu('enquire_link_resp') : undefined;
    default:
      return undefined;
  }
}

type StringField = 'service_type' | 'source_addr' | 'destination_addr' | 'schedule_delivery_time' | 'validity_period';

function decodeSm(pdu: HotPdu, frame: Buffer, end: number): HotPdu | undefined {
  let at = HEADER;
  const str = (name: StringField): boolean => {
    const value = readCString(frame, at, end);
    if (value === undefined) return false;
    pdu[name] = value;
    at += value.length + 1;
    return true;
  };
  if (!str('service_type') || at + 3 > end) return undefined;
  pdu.source_addr_ton = frame[at++];
  pdu.source_addr_npi = frame[at++];
  if (!str('source_addr') || at + 2 > end) return undefined;
  pdu.dest_addr_ton = frame[at++];
  pdu.dest_addr_npi = frame[at++];
  if (!str('destination_addr') || at + 3 > end) return undefined;
  const esmClass = frame[at++]!;
  pdu.esm_class = esmClass;
  pdu.protocol_id = frame[at++];
  pdu.priority_flag = frame[at++];
  // Kept as text (the package turns them into Dates): parseAbsoluteTime reads them when needed.
  if (!str('schedule_delivery_time') || !str('validity_period') || at + 5 > end) return undefined;
  pdu.registered_delivery = frame[at++];
  pdu.replace_if_present_flag = frame[at++];
  const dataCoding = frame[at++]!;
  pdu.data_coding = dataCoding;
  pdu.sm_default_msg_id = frame[at++];
  const smLength = frame[at++]!;
  if (at + smLength > end || (dataCoding & 0x0f) !== 0 || (esmClass & UDH_INDICATOR) !== 0) return undefined;
  pdu.short_message = { message: decodeGsm7(frame, at, at + smLength) };
  at += smLength;
  while (at + 4 <= end) {
    const tag = frame.readUInt16BE(at);
    const size = frame.readUInt16BE(at + 2);
    at += 4;
    if (at + size > end) return undefined;
    if (tag === TLV_RECEIPTED_MESSAGE_ID) {
      const value = readCString(frame, at, end);
      if (value === undefined) return undefined;
      pdu.receipted_message_id = value;
    } else if (tag === TLV_MESSAGE_STATE && size === 1) pdu.message_state = frame[at];
    else if (tag === TLV_SAR_TOTAL_SEGMENTS && size === 1) pdu.sar_total_segments = frame[at];
    else if (tag === TLV_SAR_SEGMENT_SEQNUM && size === 1) pdu.sar_segment_seqnum = frame[at];
    else if (tag === TLV_SAR_MSG_REF_NUM && size === 2) pdu.sar_msg_ref_num = frame.readUInt16BE(at);
    else if (tag === TLV_USER_MESSAGE_REFERENCE && size === 2) pdu.user_message_reference = frame.readUInt16BE(at);
    else return undefined;
    at += size;
  }
  return at === end ? pdu : undefined;
}
