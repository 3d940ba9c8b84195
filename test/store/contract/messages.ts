import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newMessage, sendMessage, statusOf, withRetention, type StoreHandle } from './support.js';

const LEASE = { owner: 'd1', leaseMs: 5_000 };

export function messagesContract(handle: StoreHandle): void {
  describe('messages', () => {
    it('inserts a batch as queuing and reads each message back', async () => {
      const { store } = handle;
      const batch = [newMessage({ createdAt: 1_000 }), newMessage({ createdAt: 1_001, phoneNumber: '+14155550123', text: 'Ünïcødé 验证码 ✓' })];
      await store.insertMessages(batch);
      for (const message of batch) {
        expect(await store.getMessage(message.smsUid)).toEqual({
          ...message,
          status: 'queuing',
          errorCode: '0',
          partCount: 0,
          attempts: 0,
          sentAt: null,
          doneAt: null,
        });
      }
    });

    it('answers undefined for a message it does not have, whatever the id looks like', async () => {
      expect(await handle.store.getMessage(randomUUID())).toBeUndefined();
      expect(await handle.store.getMessage('not-a-uuid')).toBeUndefined();
    });

    it('lists the sends accepted since a time, oldest first, for restoring per-number limits', async () => {
      const { store } = handle;
      const old = newMessage({ createdAt: 1_000, phoneNumber: '+8613800000001' });
      const recent = [newMessage({ createdAt: 5_000, phoneNumber: '+8613800000002' }), newMessage({ createdAt: 6_000, phoneNumber: '+8613800000003' })];
      // Inserted in time order, as the API does (its sms_uid are time-ordered UUIDv7s).
      const ordered = [old, ...recent].map((m, i) => ({ ...m, smsUid: `01a21000-0000-7000-8000-00000000000${i}` }));
      await store.insertMessages(ordered);
      expect(await store.recentSends(5_000)).toEqual([
        { phoneNumber: '+8613800000002', createdAt: 5_000 },
        { phoneNumber: '+8613800000003', createdAt: 6_000 },
      ]);
    });

    it('accepts an empty batch', async () => {
      await handle.store.insertMessages([]);
    });

    it('inserts nothing of a batch that repeats an sms_uid', async () => {
      const { store } = handle;
      const first = newMessage();
      const second = newMessage();
      await expect(store.insertMessages([first, second, { ...newMessage(), smsUid: first.smsUid }])).rejects.toThrow();
      expect(await store.getMessage(first.smsUid)).toBeUndefined();
      expect(await store.getMessage(second.smsUid)).toBeUndefined();
    });

    it('inserts nothing of a batch that repeats an existing message, and keeps that one', async () => {
      const { store } = handle;
      const existing = newMessage({ text: 'original' });
      await store.insertMessages([existing]);
      const fresh = newMessage();
      await expect(store.insertMessages([fresh, { ...existing, text: 'replaced' }])).rejects.toThrow();
      expect(await store.getMessage(fresh.smsUid)).toBeUndefined();
      expect((await store.getMessage(existing.smsUid))?.text).toBe('original');
    });
  });

  describe('dispatch queue', () => {
    it('claims the oldest first, up to the limit, with what a dispatcher needs', async () => {
      const { store } = handle;
      const [late, early, middle] = [3_000, 1_000, 2_000].map((createdAt) => newMessage({ createdAt }));
      await store.insertMessages([late!, early!, middle!]);
      const claimed = await store.claimQueued({ ...LEASE, limit: 2, now: 10_000 });
      expect(claimed).toEqual([early, middle].map((m) => ({ smsUid: m!.smsUid, clientId: m!.clientId, phoneNumber: m!.phoneNumber, text: m!.text, createdAt: m!.createdAt, attempts: 0 })));
      expect((await store.claimQueued({ ...LEASE, limit: 10, now: 10_000 })).map((m) => m.smsUid)).toEqual([late!.smsUid]);
      expect(await store.claimQueued({ ...LEASE, limit: 10, now: 10_000 })).toEqual([]);
    });

    it('does not hand out a message under a live lease, and does once the lease ran out', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      expect(await store.claimQueued({ owner: 'd1', leaseMs: 5_000, limit: 10, now: 10_000 })).toHaveLength(1);
      expect(await store.claimQueued({ owner: 'd2', leaseMs: 5_000, limit: 10, now: 14_999 })).toEqual([]);
      const reclaimed = await store.claimQueued({ owner: 'd2', leaseMs: 5_000, limit: 10, now: 15_001 });
      expect(reclaimed.map((m) => m.smsUid)).toEqual([message.smsUid]);
      // The new lease runs from the new claim.
      expect(await store.claimQueued({ owner: 'd3', leaseMs: 5_000, limit: 10, now: 20_000 })).toEqual([]);
      expect(await store.claimQueued({ owner: 'd3', leaseMs: 5_000, limit: 10, now: 20_002 })).toHaveLength(1);
    });

    it('names the holders of live leases and gives up all of one holder\'s leases at once', async () => {
      const { store } = handle;
      await store.insertMessages([newMessage({ createdAt: 1_000 }), newMessage({ createdAt: 1_001 }), newMessage({ createdAt: 1_002 })]);
      await store.claimQueued({ owner: 'dead', leaseMs: 60_000, limit: 2, now: 2_000 });
      await store.claimQueued({ owner: 'alive', leaseMs: 60_000, limit: 1, now: 2_000 });
      expect((await store.leaseOwners()).sort()).toEqual(['alive', 'dead']);
      expect(await store.releaseLeases('dead')).toBe(2);
      expect(await store.leaseOwners()).toEqual(['alive']);
      // Long before the lease would have run out, another dispatcher may take them.
      expect(await store.claimQueued({ owner: 'next', leaseMs: 60_000, limit: 5, now: 2_001 })).toHaveLength(2);
    });

    it('never gives one message to two concurrent claimers', async () => {
      const { store } = handle;
      const batch = Array.from({ length: 60 }, (_, i) => newMessage({ createdAt: 1_000 + i }));
      await store.insertMessages(batch);
      const rounds = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.claimQueued({ owner: `d${i}`, leaseMs: 60_000, limit: 15, now: 10_000 })),
      );
      const leftovers = await store.claimQueued({ owner: 'late', leaseMs: 60_000, limit: 100, now: 10_000 });
      const all = [...rounds.flat(), ...leftovers].map((m) => m.smsUid);
      expect(all).toHaveLength(60);
      expect(new Set(all).size).toBe(60);
    });

    it('retries: counts the attempt, ends the lease, holds the message until it is due', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      await store.claimQueued({ ...LEASE, limit: 1, now: 10_000 });
      await store.markRetry(message.smsUid, 12_000);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ status: 'queuing', attempts: 1 });
      expect(await store.claimQueued({ owner: 'd2', leaseMs: 5_000, limit: 1, now: 11_999 })).toEqual([]);
      const again = await store.claimQueued({ owner: 'd2', leaseMs: 5_000, limit: 1, now: 12_000 });
      expect(again).toEqual([expect.objectContaining({ smsUid: message.smsUid, attempts: 1 })]);
    });

    it('marks a message sent: parts, attempt, time; it leaves the queue', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      await store.claimQueued({ ...LEASE, limit: 1, now: 10_000 });
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'A1' }, { partNo: 2, carrierMessageId: 'A2' }], 10_500);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ status: 'sent', partCount: 2, attempts: 1, sentAt: 10_500, doneAt: null, errorCode: '0' });
      expect(await store.claimQueued({ ...LEASE, limit: 10, now: 100_000 })).toEqual([]);
    });

    it('records many submits given at once, applies a receipt that waited for one, and leaves a final one alone', async () => {
      const { store } = handle;
      const messages = [newMessage(), newMessage(), newMessage(), newMessage()];
      await store.insertMessages(messages);
      await store.markFailed(messages[3]!.smsUid, 'error_expired', '0', 1_500);
      expect((await store.applyReceipt({ carrierMessageIds: ['b1'], status: 'delivered', errorCode: '0', at: 1_900 })).outcome).toBe('pending');
      // All in one turn: a store may record them together.
      await Promise.all([
        store.markSent(messages[0]!.smsUid, [{ partNo: 1, carrierMessageId: 'A1' }], 2_000),
        store.markSent(messages[1]!.smsUid, [{ partNo: 1, carrierMessageId: 'B1' }], 2_000),
        store.markSent(messages[2]!.smsUid, [{ partNo: 1, carrierMessageId: 'C1' }, { partNo: 2, carrierMessageId: 'C2' }], 2_000),
        store.markSent(messages[3]!.smsUid, [{ partNo: 1, carrierMessageId: 'D1' }], 2_000),
      ]);
      expect(await store.getMessage(messages[0]!.smsUid)).toMatchObject({ status: 'sent', partCount: 1, attempts: 1, sentAt: 2_000 });
      expect(await statusOf(store, messages[1]!.smsUid)).toBe('delivered');
      expect(await store.getMessage(messages[2]!.smsUid)).toMatchObject({ status: 'sent', partCount: 2 });
      expect(await store.getMessage(messages[3]!.smsUid)).toMatchObject({ status: 'error_expired', partCount: 0 });
      expect((await store.applyReceipt({ carrierMessageIds: ['c2'], status: 'delivered', errorCode: '0', at: 3_000 })).outcome).toBe('applied');
      expect((await store.applyReceipt({ carrierMessageIds: ['c1'], status: 'delivered', errorCode: '0', at: 3_001 })).outcome).toBe('applied');
      expect(await statusOf(store, messages[2]!.smsUid)).toBe('delivered');
      expect((await store.applyReceipt({ carrierMessageIds: ['d1'], status: 'delivered', errorCode: '0', at: 3_002 })).outcome).toBe('pending');
    });

    it('marks a message failed for good; a later submit or failure does not change it', async () => {
      const { store } = handle;
      const message = newMessage();
      await store.insertMessages([message]);
      await store.markFailed(message.smsUid, 'error_rejected', '11', 10_000);
      const failed = { status: 'error_rejected', errorCode: '11', doneAt: 10_000 };
      expect(await store.getMessage(message.smsUid)).toMatchObject(failed);
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'B1' }], 11_000);
      await store.markFailed(message.smsUid, 'error_expired', '0', 12_000);
      await store.markRetry(message.smsUid, 13_000);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ ...failed, sentAt: null });
      expect(await store.claimQueued({ ...LEASE, limit: 10, now: 100_000 })).toEqual([]);
    });

    it('expires every unfinished message created before the cutoff, and nothing else', async () => {
      const { store } = handle;
      const oldQueued = newMessage({ createdAt: 1_000 });
      const newQueued = newMessage({ createdAt: 9_000 });
      await store.insertMessages([oldQueued, newQueued]);
      const oldSent = await sendMessage(store, ['C1'], 2_000, { createdAt: 1_500 });
      const oldDelivered = await sendMessage(store, ['C2'], 2_000, { createdAt: 1_500 });
      await store.applyReceipt({ carrierMessageIds: ['c2'], status: 'delivered', errorCode: '0', at: 3_000 });
      expect((await store.expireMessages(5_000, 20_000)).length).toBe(2);
      expect(await store.getMessage(oldQueued.smsUid)).toMatchObject({ status: 'error_expired', doneAt: 20_000 });
      expect(await store.getMessage(oldSent)).toMatchObject({ status: 'error_expired', doneAt: 20_000 });
      expect(await statusOf(store, newQueued.smsUid)).toBe('queuing');
      expect(await store.getMessage(oldDelivered)).toMatchObject({ status: 'delivered', doneAt: 3_000 });
      expect(await store.claimQueued({ ...LEASE, limit: 10, now: 20_000 })).toEqual([expect.objectContaining({ smsUid: newQueued.smsUid })]);
      expect((await store.expireMessages(5_000, 30_000)).length).toBe(0);
    });

    it('deletes finished messages older than the retention cutoff, and keeps the rest', async () => {
      const store = withRetention(handle.store);
      const oldDone = newMessage({ createdAt: 1_000 });
      const recentDone = newMessage({ createdAt: 1_000 });
      const stillQueued = newMessage({ createdAt: 1_000 });
      await store.insertMessages([oldDone, recentDone, stillQueued]);
      await store.markFailed(oldDone.smsUid, 'error_rejected', '1', 2_000);
      await store.markFailed(recentDone.smsUid, 'error_rejected', '1', 8_000);
      const stillSent = await sendMessage(store, ['D1'], 2_000, { createdAt: 1_000 });
      expect(await store.deleteFinishedBefore(5_000)).toBe(1);
      expect(await store.getMessage(oldDone.smsUid)).toBeUndefined();
      expect(await statusOf(store, recentDone.smsUid)).toBe('error_rejected');
      expect(await statusOf(store, stillQueued.smsUid)).toBe('queuing');
      expect(await statusOf(store, stillSent)).toBe('sent');
      // The sent message's parts are intact: its receipt still finds it.
      expect((await store.applyReceipt({ carrierMessageIds: ['d1'], status: 'delivered', errorCode: '0', at: 9_000 })).outcome).toBe('applied');
      expect(await store.deleteFinishedBefore(5_000)).toBe(0);
    });

    it('drops receipts still waiting for their submit once they are older than the cutoff', async () => {
      const store = withRetention(handle.store);
      expect((await store.applyReceipt({ carrierMessageIds: ['e1'], status: 'delivered', errorCode: '0', at: 1_000 })).outcome).toBe('pending');
      await store.deleteFinishedBefore(5_000);
      const smsUid = await sendMessage(store, ['E1'], 6_000);
      expect(await statusOf(store, smsUid)).toBe('sent');
    });
  });
}
