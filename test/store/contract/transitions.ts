import { describe, expect, it } from 'vitest';
import { carrierIdCandidates } from '../../../src/domain/carrier-id.js';
import type { MessageStatus } from '../../../src/domain/message-status.js';
import type { ReceiptUpdate } from '../../../src/store/message-store.js';
import { newMessage, sendMessage, statusOf, type StoreHandle } from './support.js';

function receipt(id: string, status: MessageStatus, at: number, errorCode = '0'): ReceiptUpdate {
  return { carrierMessageIds: carrierIdCandidates(id), status, errorCode, at };
}

/** Every store method that changes a status answers the transitions it made, and only those. */
export function transitionsContract(handle: StoreHandle): void {
  describe('status transitions', () => {
    it('markSent answers queuing -> sent, and nothing for a message already final', async () => {
      const { store } = handle;
      const message = newMessage({ clientId: 'client-t' });
      await store.insertMessages([message]);
      expect(await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'T1' }], 2_000)).toEqual([
        { smsUid: message.smsUid, clientId: 'client-t', from: 'queuing', to: 'sent', errorCode: '0', at: 2_000 },
      ]);
      expect(await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'T1' }], 2_100)).toEqual([]);
    });

    it('markSent also answers the move a receipt that waited for the submit made', async () => {
      const { store } = handle;
      const message = newMessage({ clientId: 'client-t' });
      await store.insertMessages([message]);
      expect(await store.applyReceipt(receipt('W1', 'error_undeliverable', 2_500, '7'))).toEqual({ outcome: 'pending', transitions: [] });
      const transitions = await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'w1' }], 3_000);
      expect(transitions).toEqual([
        { smsUid: message.smsUid, clientId: 'client-t', from: 'queuing', to: 'sent', errorCode: '0', at: 3_000 },
        { smsUid: message.smsUid, clientId: 'client-t', from: 'sent', to: 'error_undeliverable', errorCode: '7', at: 3_000 },
      ]);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ status: 'error_undeliverable', doneAt: 3_000 });
    });

    it('applyReceipt answers the message\'s move, none for a part that leaves it where it is', async () => {
      const { store } = handle;
      const smsUid = await sendMessage(store, ['U1', 'U2'], 2_000, { clientId: 'client-t' });
      expect(await store.applyReceipt(receipt('U1', 'delivered', 5_000))).toEqual({ outcome: 'applied', transitions: [] });
      expect(await store.applyReceipt(receipt('U2', 'delivered', 5_001))).toEqual({
        outcome: 'applied',
        transitions: [{ smsUid, clientId: 'client-t', from: 'sent', to: 'delivered', errorCode: '0', at: 5_001 }],
      });
      expect(await store.applyReceipt(receipt('U2', 'error_undeliverable', 5_002, '1'))).toEqual({ outcome: 'applied', transitions: [] });
    });

    it('markFailed and markRejected answer the move from where the message was; a final one moves no more', async () => {
      const { store } = handle;
      const queued = newMessage({ clientId: 'client-t' });
      const rejected = newMessage({ clientId: 'client-t' });
      await store.insertMessages([queued, rejected]);
      const sent = await sendMessage(store, ['V1'], 2_000, { clientId: 'client-t' });
      expect(await store.markFailed(queued.smsUid, 'error_expired', '0', 3_000)).toEqual([
        { smsUid: queued.smsUid, clientId: 'client-t', from: 'queuing', to: 'error_expired', errorCode: '0', at: 3_000 },
      ]);
      expect(await store.markFailed(sent, 'error_unknown', '3', 3_001)).toEqual([
        { smsUid: sent, clientId: 'client-t', from: 'sent', to: 'error_unknown', errorCode: '3', at: 3_001 },
      ]);
      expect(await store.markRejected(rejected.smsUid, '11', 3_002)).toEqual([
        { smsUid: rejected.smsUid, clientId: 'client-t', from: 'queuing', to: 'error_rejected', errorCode: '11', at: 3_002 },
      ]);
      expect(await store.markFailed(queued.smsUid, 'error_rejected', '1', 4_000)).toEqual([]);
      expect(await store.markRejected(rejected.smsUid, '12', 4_001)).toEqual([]);
    });

    it('expireMessages answers one move per message expired, from where each was', async () => {
      const { store } = handle;
      const queued = newMessage({ clientId: 'client-t', createdAt: 1_000 });
      await store.insertMessages([queued]);
      const sent = await sendMessage(store, ['Y1'], 2_000, { clientId: 'client-t', createdAt: 1_000 });
      const transitions = await store.expireMessages(5_000, 9_000);
      expect([...transitions].sort((a, b) => a.from.localeCompare(b.from))).toEqual([
        { smsUid: queued.smsUid, clientId: 'client-t', from: 'queuing', to: 'error_expired', errorCode: '0', at: 9_000 },
        { smsUid: sent, clientId: 'client-t', from: 'sent', to: 'error_expired', errorCode: '0', at: 9_000 },
      ]);
    });

    it('answers each write its own transitions when several are given in one turn', async () => {
      const { store } = handle;
      const messages = [newMessage({ clientId: 'c0' }), newMessage({ clientId: 'c1' }), newMessage({ clientId: 'c2' })];
      await store.insertMessages(messages);
      await store.applyReceipt(receipt('Z2', 'delivered', 1_900));
      const [first, second, third] = await Promise.all(
        messages.map((m, i) => store.markSent(m.smsUid, [{ partNo: 1, carrierMessageId: `Z${i}` }], 2_000 + i)),
      );
      expect(first).toEqual([{ smsUid: messages[0]!.smsUid, clientId: 'c0', from: 'queuing', to: 'sent', errorCode: '0', at: 2_000 }]);
      expect(second).toEqual([{ smsUid: messages[1]!.smsUid, clientId: 'c1', from: 'queuing', to: 'sent', errorCode: '0', at: 2_001 }]);
      expect(third).toEqual([
        { smsUid: messages[2]!.smsUid, clientId: 'c2', from: 'queuing', to: 'sent', errorCode: '0', at: 2_002 },
        { smsUid: messages[2]!.smsUid, clientId: 'c2', from: 'sent', to: 'delivered', errorCode: '0', at: 2_002 },
      ]);

      const results = await Promise.all([
        store.applyReceipt(receipt('Z0', 'delivered', 3_000)),
        store.applyReceipt(receipt('Z1', 'sent', 3_001)),
        store.applyReceipt(receipt('Z1', 'error_expired', 3_002, '9')),
        store.applyReceipt(receipt('Z0', 'error_undeliverable', 3_003, '1')),
        store.applyReceipt(receipt('NONE', 'delivered', 3_004)),
      ]);
      expect(results).toEqual([
        { outcome: 'applied', transitions: [{ smsUid: messages[0]!.smsUid, clientId: 'c0', from: 'sent', to: 'delivered', errorCode: '0', at: 3_000 }] },
        { outcome: 'applied', transitions: [] },
        { outcome: 'applied', transitions: [{ smsUid: messages[1]!.smsUid, clientId: 'c1', from: 'sent', to: 'error_expired', errorCode: '9', at: 3_002 }] },
        { outcome: 'applied', transitions: [] },
        { outcome: 'pending', transitions: [] },
      ]);
    });
  });

  describe('a carrier id several messages reused', () => {
    it('names the message that is not final, though a newer one that is final has it too', async () => {
      const { store } = handle;
      // Time-ordered ids as the API gives them (UUIDv7): the final one is also the newer key.
      const open = await sendMessage(store, ['RE1'], 2_000, { smsUid: '01a21000-0000-7000-8000-0000000000a1' });
      const finished = await sendMessage(store, ['RE1'], 3_000, { smsUid: '01a21000-0000-7000-8000-0000000000a2' });
      await store.markFailed(finished, 'error_expired', '0', 3_500);
      const result = await store.applyReceipt(receipt('RE1', 'delivered', 4_000));
      expect(result.outcome).toBe('applied');
      expect(await statusOf(store, open)).toBe('delivered');
      expect(await store.getMessage(finished)).toMatchObject({ status: 'error_expired', doneAt: 3_500 });
    });

    it('names the newest submit among the messages not final', async () => {
      const { store } = handle;
      const older = await sendMessage(store, ['RE2'], 2_000);
      const newer = await sendMessage(store, ['RE2'], 3_000);
      await store.applyReceipt(receipt('RE2', 'delivered', 4_000));
      expect(await statusOf(store, newer)).toBe('delivered');
      expect(await statusOf(store, older)).toBe('sent');
    });
  });

  describe('a submit the carrier rejected', () => {
    it('counts the attempt, ends the message and its lease', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      await store.claimQueued({ owner: 'd1', leaseMs: 60_000, limit: 1, now: 2_000 });
      await store.markRejected(message.smsUid, '11', 2_500);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ status: 'error_rejected', errorCode: '11', attempts: 1, doneAt: 2_500 });
      expect(await store.leaseOwners()).toEqual([]);
    });

    it('after retries, counts every attempt', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      await store.markRetry(message.smsUid, 2_000);
      await store.markRejected(message.smsUid, '11', 3_000);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ status: 'error_rejected', attempts: 2 });
    });
  });
}
