import { describe, expect, it } from 'vitest';
import { receiptEffect, receiptsEffect, type PartState } from './receipt-effect.js';

const message = { smsUid: 'm1', clientId: 'c1', status: 'sent' as const, partCount: 2 };
const sentParts: PartState[] = [
  { partNo: 1, status: 'sent', errorCode: '0' },
  { partNo: 2, status: 'sent', errorCode: '0' },
];

describe('receiptEffect', () => {
  it('moves the part, and the message only once every part says so', () => {
    const first = receiptEffect(message, sentParts, { partNo: 1, status: 'delivered', errorCode: '0' }, 10);
    expect(first.parts[0]).toEqual({ partNo: 1, status: 'delivered', errorCode: '0' });
    expect(first.transition).toBeUndefined();
    const second = receiptEffect(message, first.parts, { partNo: 2, status: 'delivered', errorCode: '0' }, 11);
    expect(second.transition).toEqual({ smsUid: 'm1', clientId: 'c1', from: 'sent', to: 'delivered', errorCode: '0', at: 11 });
  });

  it('fails the message on one failed part, with that part\'s code', () => {
    const effect = receiptEffect(message, sentParts, { partNo: 2, status: 'error_undeliverable', errorCode: '5' }, 12);
    expect(effect.transition).toMatchObject({ from: 'sent', to: 'error_undeliverable', errorCode: '5' });
  });

  it('never moves a part or a message backwards or out of a final status', () => {
    const delivered: PartState[] = [{ partNo: 1, status: 'delivered', errorCode: '0' }];
    const effect = receiptEffect({ ...message, status: 'delivered', partCount: 1 }, delivered, { partNo: 1, status: 'error_unknown', errorCode: '1' }, 13);
    expect(effect.parts).toEqual(delivered);
    expect(effect.transition).toBeUndefined();
    const enroute = receiptEffect(message, sentParts, { partNo: 1, status: 'sent', errorCode: '0' }, 14);
    expect(enroute.transition).toBeUndefined();
  });

  it('does not speak for the message before every part is recorded', () => {
    const effect = receiptEffect({ ...message, partCount: 3 }, sentParts, { partNo: 1, status: 'error_rejected', errorCode: '2' }, 15);
    expect(effect.transition).toBeUndefined();
  });
});

describe('receiptsEffect', () => {
  it('applies receipts in order, each transition from where the last one left the message', () => {
    const { parts, transitions } = receiptsEffect(
      message,
      sentParts,
      [
        { partNo: 1, status: 'delivered', errorCode: '0' },
        { partNo: 2, status: 'delivered', errorCode: '0' },
        { partNo: 2, status: 'error_expired', errorCode: '9' },
      ],
      20,
    );
    expect(parts.map((p) => p.status)).toEqual(['delivered', 'delivered']);
    expect(transitions).toEqual([{ smsUid: 'm1', clientId: 'c1', from: 'sent', to: 'delivered', errorCode: '0', at: 20 }]);
  });
});
