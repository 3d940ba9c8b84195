import { describe, expect, it } from 'vitest';
import { carrierIdCandidates } from '../../../src/domain/carrier-id.js';
import type { MessageStatus } from '../../../src/domain/message-status.js';
import type { ReceiptUpdate } from '../../../src/store/message-store.js';
import { newMessage, sendMessage, statusOf, type StoreHandle } from './support.js';

/** A receipt as the dispatcher hands it over: the id's candidates already computed. */
function receipt(id: string, status: MessageStatus, at = 5_000, errorCode = '0'): ReceiptUpdate {
  return { carrierMessageIds: carrierIdCandidates(id), status, errorCode, at };
}

export function receiptsContract(handle: StoreHandle): void {
  describe('delivery receipts', () => {
    it('delivers a single-part message', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['X1']);
      expect((await store.applyReceipt(receipt('x1', 'delivered', 5_000))).outcome).toBe('applied');
      expect(await store.getMessage(smsUid)).toMatchObject({ status: 'delivered', errorCode: '0', doneAt: 5_000, sentAt: 2_000 });
    });

    it('leaves the message sent on an intermediate receipt (ENROUTE)', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['X2']);
      expect((await store.applyReceipt(receipt('X2', 'sent'))).outcome).toBe('applied');
      expect(await store.getMessage(smsUid)).toMatchObject({ status: 'sent', doneAt: null });
      await store.applyReceipt(receipt('X2', 'delivered'));
      expect(await statusOf(store, smsUid)).toBe('delivered');
    });

    it('delivers a multi-part message only when every part is delivered', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['M1', 'M2', 'M3']);
      await store.applyReceipt(receipt('M3', 'delivered', 5_000));
      await store.applyReceipt(receipt('M1', 'delivered', 5_001));
      expect(await store.getMessage(smsUid)).toMatchObject({ status: 'sent', doneAt: null });
      await store.applyReceipt(receipt('M2', 'delivered', 5_002));
      expect(await store.getMessage(smsUid)).toMatchObject({ status: 'delivered', doneAt: 5_002 });
    });

    it('fails a multi-part message on one failed part, with that part\'s error code', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['N1', 'N2']);
      await store.applyReceipt(receipt('N1', 'delivered'));
      await store.applyReceipt(receipt('N2', 'error_undeliverable', 6_000, '005'));
      expect(await store.getMessage(smsUid)).toMatchObject({ status: 'error_undeliverable', errorCode: '005', doneAt: 6_000 });
    });

    it('never changes a final status', async () => {
      const { store } = handle;
      const delivered = await sendMessage(store, ['F1']);
      await store.applyReceipt(receipt('F1', 'delivered', 5_000));
      await store.applyReceipt(receipt('F1', 'error_undeliverable', 6_000, '1'));
      await store.markFailed(delivered, 'error_expired', '0', 7_000);
      expect((await store.expireMessages(Number.MAX_SAFE_INTEGER, 8_000)).length).toBe(0);
      expect(await store.getMessage(delivered)).toMatchObject({ status: 'delivered', errorCode: '0', doneAt: 5_000 });

      const failed = await sendMessage(store, ['F2', 'F3']);
      await store.applyReceipt(receipt('F2', 'error_rejected', 5_000, '9'));
      await store.applyReceipt(receipt('F3', 'delivered', 6_000));
      await store.applyReceipt(receipt('F2', 'delivered', 7_000));
      expect(await store.getMessage(failed)).toMatchObject({ status: 'error_rejected', errorCode: '9', doneAt: 5_000 });
    });

    it('matches an id given in the other base, and ignores case and leading zeros', async () => {
      const { store } = handle;
      const hexSubmitted = await sendMessage(store, ['0A1B']); // 0xa1b = 2587
      const decimalSubmitted = await sendMessage(store, ['123456']); // = 0x1e240
      expect((await store.applyReceipt(receipt('2587', 'delivered'))).outcome).toBe('applied');
      expect((await store.applyReceipt(receipt('1E240', 'delivered'))).outcome).toBe('applied');
      expect(await statusOf(store, hexSubmitted)).toBe('delivered');
      expect(await statusOf(store, decimalSubmitted)).toBe('delivered');
    });

    it('keeps a receipt that came before its submit, and applies it when the submit is recorded', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      expect((await store.applyReceipt(receipt('P1', 'delivered', 2_500))).outcome).toBe('pending');
      expect(await statusOf(store, message.smsUid)).toBe('queuing');
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'p1' }], 3_000);
      const record = await store.getMessage(message.smsUid);
      expect(record).toMatchObject({ status: 'delivered', sentAt: 3_000, attempts: 1 });
      expect(record?.doneAt).toBeGreaterThanOrEqual(3_000);
    });

    it('applies early receipts in the other base and for some parts only', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      expect((await store.applyReceipt(receipt('255', 'delivered', 2_500))).outcome).toBe('pending'); // 255 = 0xff
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: '00FF' }, { partNo: 2, carrierMessageId: 'Q2' }], 3_000);
      expect(await statusOf(store, message.smsUid)).toBe('sent');
      expect((await store.applyReceipt(receipt('Q2', 'delivered', 4_000))).outcome).toBe('applied');
      expect(await statusOf(store, message.smsUid)).toBe('delivered');
    });

    it('keeps a receipt for an unknown id pending without touching other messages', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['K1']);
      expect((await store.applyReceipt(receipt('K2', 'error_undeliverable', 5_000, '1'))).outcome).toBe('pending');
      expect(await statusOf(store, smsUid)).toBe('sent');
    });

    it('loses no receipt racing its submit', async () => {
      const { store } = handle;
      const messages = Array.from({ length: 30 }, () => newMessage());
      await store.insertMessages(messages);
      await Promise.all(
        messages.flatMap((message, i) => [
          store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: `R${i}A` }, { partNo: 2, carrierMessageId: `R${i}B` }], 3_000),
          store.applyReceipt(receipt(`R${i}A`, 'delivered', 3_001)),
          store.applyReceipt(receipt(`R${i}B`, 'delivered', 3_002)),
        ]),
      );
      const statuses = await Promise.all(messages.map((message) => statusOf(store, message.smsUid)));
      expect(statuses).toEqual(messages.map(() => 'delivered'));
    });

    it('applies receipts given at once in order, with the rules that apply to them one by one', async () => {
      const { store } = handle;
      const multi = await sendMessage(store, ['M1', 'M2'], 2_000);
      const enroute = await sendMessage(store, ['E1'], 2_000);
      const done = await sendMessage(store, ['F1'], 2_000);
      await store.applyReceipt(receipt('F1', 'delivered', 3_000));
      const outcomes = await Promise.all([
        store.applyReceipt(receipt('M1', 'delivered', 4_000)),
        store.applyReceipt(receipt('M2', 'error_undeliverable', 4_001, '5')),
        store.applyReceipt(receipt('E1', 'sent', 4_002)),
        store.applyReceipt(receipt('F1', 'error_expired', 4_003, '9')),
        store.applyReceipt(receipt('NOPE', 'delivered', 4_004)),
      ]);
      expect(outcomes.map((result) => result.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'pending']);
      expect(await store.getMessage(multi)).toMatchObject({ status: 'error_undeliverable', errorCode: '5', doneAt: 4_001 });
      expect(await store.getMessage(enroute)).toMatchObject({ status: 'sent', doneAt: null });
      expect(await store.getMessage(done)).toMatchObject({ status: 'delivered', errorCode: '0', doneAt: 3_000 });
    });

    it('combines concurrent receipts for the parts of one message', async () => {
      const { store } = handle;
      const ids = Array.from({ length: 8 }, (_, i) => `S${i}`);
      const smsUid = await sendMessage(store, ids);
      const outcomes = await Promise.all(ids.map((id, i) => store.applyReceipt(receipt(id, 'delivered', 5_000 + i))));
      expect(outcomes.map((result) => result.outcome)).toEqual(ids.map(() => 'applied'));
      expect(await statusOf(store, smsUid)).toBe('delivered');
    });
  });
}
