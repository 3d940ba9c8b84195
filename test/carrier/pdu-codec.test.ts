import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import smpp, { type PDU, type Session } from 'smpp';
import { describe, expect, it } from 'vitest';
import { readFramesDirectly } from '../../src/carrier/smpp/frame-reader.js';
import { CMD, decodeHot, encodeEmpty, encodeResp, encodeSm, type SmFields } from '../../src/carrier/smpp/pdu-codec.js';
import { encodeSms } from '../../src/domain/sms-encoding.js';

/** What the smpp package writes for this PDU. */
const packageBytes = (command: string, sequence: number, fields: Record<string, unknown>): string =>
  new smpp.PDU(command, { ...fields, sequence_number: sequence }).toBuffer().toString('hex');

const cstring = (max: number): fc.Arbitrary<string> => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const octet = fc.integer({ min: 0, max: 255 });
const sequence = fc.integer({ min: 1, max: 0x7fffffff });
const validity = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString().replace(/\D/g, '').slice(2, 15) + '00+'));
/** A text as the gateway sends it (GSM, UCS-2, long ones in parts), or one from anywhere. */
const texts = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('Your code is 123456', '5€ {ok} [x] ~ ^ | \\', '验证码 123456'),
);

const smFields = (shortMessage: fc.Arbitrary<Buffer | string>): fc.Arbitrary<SmFields> =>
  fc.record({
    service_type: cstring(5),
    source_addr_ton: octet,
    source_addr_npi: octet,
    source_addr: cstring(20),
    dest_addr_ton: octet,
    dest_addr_npi: octet,
    destination_addr: cstring(20),
    esm_class: fc.constantFrom(0, 0x04, 0x40),
    registered_delivery: fc.constantFrom(0, 1),
    validity_period: validity,
    data_coding: fc.constantFrom(0, 8),
    short_message: shortMessage,
  });

const submitFields = fc.tuple(texts, fc.integer({ min: 0, max: 255 })).chain(([text, ref]) => {
  let parts: Buffer[];
  try {
    parts = encodeSms(text, ref).parts.map((p) => p.shortMessage);
  } catch {
    parts = [Buffer.alloc(0)];
  }
  return smFields(fc.constantFrom(...parts));
});

/** A receipt as the simulator sends it: text, message_state, receipted_message_id. */
const receiptFields = fc
  .tuple(smFields(fc.string({ maxLength: 150 })), fc.integer({ min: 0, max: 8 }), fc.option(cstring(30), { nil: undefined }))
  .map(([f, state, id]): SmFields => ({ ...f, esm_class: 0x04, data_coding: 0, message_state: state, ...(id === undefined ? {} : { receipted_message_id: id }) }));

describe('pdu-codec writes what the smpp package writes', () => {
  it('submit_sm, for every part of every kind of text', () => {
    fc.assert(
      fc.property(submitFields, sequence, (f, seq) => {
        expect(encodeSm(CMD.submit_sm, seq, f).toString('hex')).toBe(packageBytes('submit_sm', seq, { ...f }));
      }),
      { numRuns: 400 },
    );
  });

  it('deliver_sm receipts with a text, message_state and receipted_message_id', () => {
    fc.assert(
      fc.property(receiptFields, sequence, (f, seq) => {
        expect(encodeSm(CMD.deliver_sm, seq, f).toString('hex')).toBe(packageBytes('deliver_sm', seq, { ...f }));
      }),
      { numRuns: 400 },
    );
  });

  it('responses (a non-zero status is the header alone) and enquire_link', () => {
    fc.assert(
      fc.property(sequence, fc.constantFrom(0, 0x58, 0x64), cstring(40), (seq, status, id) => {
        expect(encodeResp(CMD.submit_sm_resp, seq, status, id).toString('hex')).toBe(packageBytes('submit_sm_resp', seq, { command_status: status, message_id: id }));
        expect(encodeResp(CMD.deliver_sm_resp, seq, status).toString('hex')).toBe(packageBytes('deliver_sm_resp', seq, { command_status: status }));
      }),
    );
    expect(encodeEmpty(CMD.enquire_link, 9).toString('hex')).toBe(packageBytes('enquire_link', 9, {}));
    expect(encodeEmpty(CMD.enquire_link_resp, 9).toString('hex')).toBe(packageBytes('enquire_link_resp', 9, {}));
  });
});

/** The fields of a decoded PDU, times as epoch ms (the package reads them as Dates, we as text). */
function comparable(pdu: PDU): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pdu)) {
    if (typeof value === 'function') continue;
    if (key === 'validity_period' || key === 'schedule_delivery_time') out[key] = value instanceof Date ? value.getTime() : value === '' ? '' : value;
    else out[key] = value;
  }
  return out;
}

describe('pdu-codec reads what the smpp package reads', () => {
  const tlvs = fc.record(
    {
      receipted_message_id: cstring(30),
      message_state: fc.integer({ min: 0, max: 8 }),
      user_message_reference: fc.integer({ min: 0, max: 0xffff }),
      sar_msg_ref_num: fc.integer({ min: 0, max: 0xffff }),
      sar_total_segments: octet,
      sar_segment_seqnum: octet,
    },
    { requiredKeys: [] },
  );
  /** GSM text without a UDH, as receipts come: any octets, so stray ESCs and high octets too. */
  const gsmOctets = fc.uint8Array({ maxLength: 160 }).map((a) => Buffer.from(a));

  it('deliver_sm and submit_sm with GSM text and the TLVs we use, to the same fields', () => {
    fc.assert(
      fc.property(fc.constantFrom('deliver_sm', 'submit_sm'), smFields(gsmOctets), tlvs, sequence, (command, f, t, seq) => {
        const fields = { ...f, esm_class: f.esm_class & ~0x40, data_coding: 0, validity_period: '', ...t };
        const frame = new smpp.PDU(command, { ...fields, sequence_number: seq }).toBuffer();
        const ours = decodeHot(frame);
        expect(ours).toBeDefined();
        const theirs = new smpp.PDU(Buffer.from(frame));
        expect(comparable(ours!)).toEqual(comparable(theirs));
      }),
      { numRuns: 400 },
    );
  });

  it('responses, with and without a message_id', () => {
    fc.assert(
      fc.property(fc.constantFrom('submit_sm_resp', 'deliver_sm_resp'), sequence, fc.constantFrom(0, 0x58), cstring(40), (command, seq, status, id) => {
        const frame = new smpp.PDU(command, { sequence_number: seq, command_status: status, message_id: id }).toBuffer();
        expect(comparable(decodeHot(frame)!)).toEqual(comparable(new smpp.PDU(Buffer.from(frame))));
      }),
    );
  });

  it('leaves to the package what it does not read: UCS-2, a UDH, message_payload, other commands', () => {
    const base = { source_addr: 'a', destination_addr: 'b', short_message: Buffer.from([0, 0x41]) };
    expect(decodeHot(new smpp.PDU('deliver_sm', { ...base, data_coding: 8 }).toBuffer())).toBeUndefined();
    expect(decodeHot(new smpp.PDU('deliver_sm', { ...base, data_coding: 0, esm_class: 0x40 }).toBuffer())).toBeUndefined();
    expect(decodeHot(new smpp.PDU('deliver_sm', { ...base, data_coding: 0, message_payload: Buffer.from('x') }).toBuffer())).toBeUndefined();
    expect(decodeHot(new smpp.PDU('query_sm', { message_id: '1' }).toBuffer())).toBeUndefined();
  });
});

describe('frame reader', () => {
  function fakeSession(): { session: Session; socket: EventEmitter & { destroyed: boolean }; seen: PDU[] } {
    const socket = Object.assign(new EventEmitter(), { destroyed: false, destroy: () => (socket.destroyed = true) });
    const session = Object.assign(new EventEmitter(), { socket, _callbacks: {}, sequence: 0 }) as unknown as Session;
    const seen: PDU[] = [];
    session.on('pdu', (pdu: PDU) => seen.push(pdu));
    return { session, socket, seen };
  }

  it('cuts PDUs out of a stream split anywhere, hot and rare ones alike', () => {
    const frames = [
      encodeSm(CMD.submit_sm, 1, { source_addr_ton: 5, source_addr_npi: 0, source_addr: 'x', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4477', esm_class: 0, registered_delivery: 1, data_coding: 0, short_message: Buffer.from('hello') }),
      new smpp.PDU('query_sm', { message_id: 'ab', sequence_number: 2 }).toBuffer(),
      encodeResp(CMD.submit_sm_resp, 3, 0, 'id-3'),
      encodeEmpty(CMD.enquire_link, 4),
    ];
    const stream = Buffer.concat(frames);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 8 }), (cuts) => {
        const { session, socket, seen } = fakeSession();
        readFramesDirectly(session);
        const at = [0, ...cuts.sort((a, b) => a - b), stream.length];
        for (let i = 0; i + 1 < at.length; i += 1) socket.emit('data', stream.subarray(at[i], at[i + 1]));
        expect(seen.map((p) => [p.command, p.sequence_number])).toEqual([
          ['submit_sm', 1],
          ['query_sm', 2],
          ['submit_sm_resp', 3],
          ['enquire_link', 4],
        ]);
      }),
    );
  });

  it('drops the connection on a length no PDU can have', () => {
    const { session, socket } = fakeSession();
    const errors: Error[] = [];
    session.on('error', (e: Error) => errors.push(e));
    readFramesDirectly(session);
    socket.emit('data', Buffer.from([0, 1, 0, 0, 0, 0, 0, 4]));
    expect(socket.destroyed).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
