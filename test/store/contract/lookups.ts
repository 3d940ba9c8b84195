import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { hashAdminToken } from '../../../src/domain/admin-token.js';
import type { NewMessage } from '../../../src/store/message-store.js';
import { newMessage, type StoreHandle } from './support.js';

/** Messages accepted at 1000, 2000, ... in that order, their ids of that time like the API's. */
function series(count: number, overrides: (i: number) => Partial<NewMessage> = () => ({})): NewMessage[] {
  return Array.from({ length: count }, (_, i) => newMessage({ smsUid: uuidv7({ msecs: (i + 1) * 1_000 }), createdAt: (i + 1) * 1_000, ...overrides(i) }));
}

export function lookupsContract(handle: StoreHandle): void {
  describe('message lookups', () => {
    it('finds messages newest first, by number, client, status and time, page by page', async () => {
      const { store } = handle;
      const messages = series(6, (i) => ({ phoneNumber: i % 2 === 0 ? '+8613800000000' : '+8613811111111', clientId: i < 3 ? 'a' : 'b' }));
      await store.insertMessages(messages);
      const uids = (found: { smsUid: string }[]) => found.map((m) => m.smsUid);
      const newestFirst = [...messages].reverse().map((m) => m.smsUid);

      expect(uids(await store.findMessages({ limit: 10 }))).toEqual(newestFirst);
      expect(uids(await store.findMessages({ phoneNumber: '+8613800000000', limit: 10 }))).toEqual([messages[4]!, messages[2]!, messages[0]!].map((m) => m.smsUid));
      expect(uids(await store.findMessages({ clientId: 'b', limit: 10 }))).toEqual(newestFirst.slice(0, 3));
      expect(uids(await store.findMessages({ since: 2_000, until: 4_000, limit: 10 }))).toEqual([messages[2]!, messages[1]!].map((m) => m.smsUid));
      expect(await store.findMessages({ status: 'delivered', limit: 10 })).toEqual([]);
      expect(await store.findMessages({ status: 'queuing', clientId: 'a', limit: 10 })).toHaveLength(3);

      const first = await store.findMessages({ limit: 4 });
      const last = first.at(-1)!;
      const second = await store.findMessages({ limit: 4, afterUid: last.smsUid });
      expect([...uids(first), ...uids(second)]).toEqual(newestFirst);
    });

    it('pages through messages accepted in the same millisecond without losing or repeating one', async () => {
      const { store } = handle;
      const messages = Array.from({ length: 5 }, () => newMessage({ smsUid: uuidv7({ msecs: 7_000 }), createdAt: 7_000 }));
      await store.insertMessages(messages);
      const seen: string[] = [];
      let afterUid: string | undefined;
      for (let page = 0; page < 5; page++) {
        const found = await store.findMessages({ limit: 2, ...(afterUid ? { afterUid } : {}) });
        if (found.length === 0) break;
        seen.push(...found.map((m) => m.smsUid));
        afterUid = found.at(-1)!.smsUid;
      }
      expect(seen).toEqual(messages.map((m) => m.smsUid).sort().reverse());
    });

    it('answers the parts of a sent message with the ids as the SMSC gave them, and none before', async () => {
      const { store } = handle;
      const [single, multi] = series(2);
      await store.insertMessages([single!, multi!]);
      expect(await store.messageParts(single!.smsUid)).toEqual([]);
      await store.markSent(single!.smsUid, [{ partNo: 1, carrierMessageId: '0A1B', connection: 'smsc-a' }], 5_000);
      await store.markSent(
        multi!.smsUid,
        [
          { partNo: 1, carrierMessageId: 'X1' },
          { partNo: 2, carrierMessageId: 'X2', connection: 'smsc-b' },
        ],
        5_000,
      );
      expect(await store.messageParts(single!.smsUid)).toEqual([{ partNo: 1, carrierMessageId: '0A1B', status: 'sent', errorCode: '0', connection: 'smsc-a' }]);
      expect(await store.messageParts(multi!.smsUid)).toEqual([
        { partNo: 1, carrierMessageId: 'X1', status: 'sent', errorCode: '0', connection: null },
        { partNo: 2, carrierMessageId: 'X2', status: 'sent', errorCode: '0', connection: 'smsc-b' },
      ]);
      expect(await store.messageParts(uuidv7())).toEqual([]);
      expect(await store.messageParts('not-a-uid')).toEqual([]);
    });

    it('counts messages accepted since a time by their status now, and the queue depth now', async () => {
      const { store } = handle;
      const [old, a, b, c] = series(4);
      await store.insertMessages([old!, a!, b!, c!]);
      await store.markSent(a!.smsUid, [{ partNo: 1, carrierMessageId: 'A1' }], 5_000);
      await store.markSent(b!.smsUid, [{ partNo: 1, carrierMessageId: 'B1' }], 5_000);
      await store.applyReceipt({ carrierMessageIds: ['b1'], status: 'delivered', errorCode: '0', at: 6_000 });
      await store.markRejected(c!.smsUid, '0x45', 6_000);
      const counts = await store.countAcceptedSince(2_000);
      expect(counts.accepted).toBe(3);
      expect(counts.sent).toBe(2);
      expect(counts.byStatus).toEqual({
        queuing: 0,
        sent: 1,
        delivered: 1,
        error_rejected: 1,
        error_undeliverable: 0,
        error_expired: 0,
        error_unknown: 0,
      });
      expect(await store.queueDepth()).toEqual({ queuing: 1, sent: 1 });
    });
  });

  describe('admin token hash', () => {
    it('is unset at first, kept by the first of two initialisations, and replaced by a rotation', async () => {
      const { store } = handle;
      expect(await store.adminTokenHash()).toBeUndefined();
      expect(await store.initAdminTokenHash(hashAdminToken('first'))).toBe(true);
      expect(await store.initAdminTokenHash(hashAdminToken('second'))).toBe(false);
      expect(await store.adminTokenHash()).toBe(hashAdminToken('first'));
      await store.setAdminTokenHash(hashAdminToken('rotated'));
      expect(await store.adminTokenHash()).toBe(hashAdminToken('rotated'));
    });
  });
}
