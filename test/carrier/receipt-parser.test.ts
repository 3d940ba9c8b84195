import { describe, expect, it } from 'vitest';
import type { PDU } from 'smpp';
import { parseReceipt } from '../../src/carrier/smpp/receipt-parser.js';

const pdu = (fields: Record<string, unknown>): PDU => fields as unknown as PDU;
const TEXT = 'id:0123456789 sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:Your code';

describe('parseReceipt', () => {
  it('reads id, stat and err from the appendix B text', () => {
    expect(parseReceipt(pdu({ esm_class: 0x04, short_message: { message: TEXT } }))).toEqual({
      carrierMessageId: '0123456789',
      state: 'DELIVRD',
      errorCode: '0',
    });
  });

  it('prefers the receipted_message_id TLV for the id', () => {
    const got = parseReceipt(pdu({ esm_class: 0x04, short_message: { message: TEXT }, receipted_message_id: '75BCD15' }));
    expect(got?.carrierMessageId).toBe('75BCD15');
  });

  it('tolerates case, extra spacing, a missing err and text in message_payload', () => {
    const got = parseReceipt(pdu({ esm_class: 0x04, message_payload: { message: 'ID: abc  Stat:undeliv' } }));
    expect(got).toEqual({ carrierMessageId: 'abc', state: 'UNDELIV', errorCode: '0' });
  });

  it('keeps a non-zero err, without leading zeros', () => {
    const got = parseReceipt(pdu({ esm_class: 0x04, short_message: { message: TEXT.replace('err:000', 'err:012') } }));
    expect(got?.errorCode).toBe('12');
  });

  it('falls back to the message_state TLV when the text has no stat', () => {
    const got = parseReceipt(pdu({ esm_class: 0x04, receipted_message_id: 'x1', message_state: 3 }));
    expect(got?.state).toBe('EXPIRED');
  });

  it('accepts an intermediate notification and a raw Buffer text', () => {
    const got = parseReceipt(pdu({ esm_class: 0x20, short_message: Buffer.from('id:7 stat:ENROUTE') }));
    expect(got).toMatchObject({ carrierMessageId: '7', state: 'ENROUTE' });
  });

  it('ignores mobile-originated messages and receipts with no id', () => {
    expect(parseReceipt(pdu({ esm_class: 0x00, short_message: { message: TEXT } }))).toBeUndefined();
    expect(parseReceipt(pdu({ esm_class: 0x04, short_message: { message: 'stat:DELIVRD' } }))).toBeUndefined();
  });

  it('does not mistake "submit date:" or "done date:" for the id', () => {
    const got = parseReceipt(pdu({ esm_class: 0x04, short_message: { message: 'sub:001 submit date:2501011200 id:42 stat:DELIVRD' } }));
    expect(got?.carrierMessageId).toBe('42');
  });
});
