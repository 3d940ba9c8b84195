import { describe, expect, it } from 'vitest';
import { newMessage, statusOf, type StoreHandle } from './support.js';

/** What the dispatcher reads to decide a receipt, and the parts it asks the SMSC about. */
export function receiptLookupsContract(handle: StoreHandle): void {
  describe('receipt lookups and query_sm', () => {
    it('answers, per candidate id, the messages holding it with their status and connection', async () => {
      const { store } = handle;
      const [a, b, c] = [newMessage(), newMessage(), newMessage()];
      await store.insertMessages([a, b, c]);
      await store.markSent(a.smsUid, [{ partNo: 1, carrierMessageId: '10', connection: 'east' }], 2_000);
      await store.markSent(b.smsUid, [{ partNo: 1, carrierMessageId: '016', connection: 'west' }], 2_000);
      await store.markSent(c.smsUid, [{ partNo: 1, carrierMessageId: '10' }], 2_000);
      await store.applyReceipt({ carrierMessageIds: ['16'], status: 'delivered', errorCode: '0', at: 3_000 });
      const matches = await store.receiptMatches(['10', '16', 'a']);
      const shown = matches.map((m) => [m.carrierMessageId, m.status, m.connection ?? '-']).sort();
      expect(shown).toEqual([
        ['10', 'sent', '-'],
        ['10', 'sent', 'east'],
        ['16', 'delivered', 'west'],
      ]);
      // The part as query_sm would ask about it: the id as the SMSC answered it.
      expect(matches.find((m) => m.carrierMessageId === '16')?.part).toEqual({
        smsUid: b.smsUid,
        clientId: b.clientId,
        phoneNumber: b.phoneNumber,
        partNo: 1,
        carrierMessageId: '016',
        connection: 'west',
      });
      expect(await store.receiptMatches(['zz'])).toEqual([]);
    });

    it('applies a receipt pinned to one message only to that message, and keeps none pending for it', async () => {
      const { store } = handle;
      const [older, newer] = [newMessage(), newMessage()];
      await store.insertMessages([older, newer]);
      await store.markSent(older.smsUid, [{ partNo: 1, carrierMessageId: 'R1' }], 2_000);
      await store.markSent(newer.smsUid, [{ partNo: 1, carrierMessageId: 'R1' }], 2_500);
      const result = await store.applyReceipt({ carrierMessageIds: ['r1'], status: 'delivered', errorCode: '0', at: 3_000, smsUid: older.smsUid });
      expect(result.outcome).toBe('applied');
      expect(await statusOf(store, older.smsUid)).toBe('delivered');
      expect(await statusOf(store, newer.smsUid)).toBe('sent');

      const gone = newMessage();
      const missing = await store.applyReceipt({ carrierMessageIds: ['q9'], status: 'delivered', errorCode: '0', at: 3_000, smsUid: gone.smsUid });
      expect(missing.outcome).toBe('pending');
      await store.insertMessages([gone]);
      await store.markSent(gone.smsUid, [{ partNo: 1, carrierMessageId: 'Q9' }], 4_000);
      expect(await statusOf(store, gone.smsUid)).toBe('sent');
    });

    it('hands out messages long in `sent` once per asking interval, with their open parts as answered', async () => {
      const { store } = handle;
      const [old, multi, recent, done] = [newMessage(), newMessage({ clientId: 'client-b' }), newMessage(), newMessage()];
      await store.insertMessages([old, multi, recent, done]);
      await store.markSent(old.smsUid, [{ partNo: 1, carrierMessageId: '00AB', connection: 'east' }], 2_000);
      await store.markSent(multi.smsUid, [{ partNo: 1, carrierMessageId: 'M1' }, { partNo: 2, carrierMessageId: 'M2' }], 2_000);
      await store.markSent(recent.smsUid, [{ partNo: 1, carrierMessageId: 'N1' }], 9_000);
      await store.markSent(done.smsUid, [{ partNo: 1, carrierMessageId: 'D1' }], 2_000);
      await store.applyReceipt({ carrierMessageIds: ['m1'], status: 'delivered', errorCode: '0', at: 3_000 });
      await store.applyReceipt({ carrierMessageIds: ['d1'], status: 'delivered', errorCode: '0', at: 3_000 });

      const first = await store.claimReceiptQueries({ sentBefore: 5_000, askedBefore: 5_000, limit: 10, now: 6_000 });
      expect(first.map((p) => [p.smsUid, p.partNo, p.carrierMessageId, p.connection ?? '-']).sort()).toEqual(
        [
          [old.smsUid, 1, '00AB', 'east'],
          [multi.smsUid, 2, 'M2', '-'],
        ].sort(),
      );
      expect(first.find((p) => p.smsUid === old.smsUid)).toMatchObject({ phoneNumber: old.phoneNumber, clientId: old.clientId });
      expect(first.find((p) => p.smsUid === multi.smsUid)?.clientId).toBe(multi.clientId);
      // Asked at 6_000: not again until the asking interval has passed.
      expect(await store.claimReceiptQueries({ sentBefore: 5_000, askedBefore: 5_000, limit: 10, now: 7_000 })).toEqual([]);
      const again = await store.claimReceiptQueries({ sentBefore: 5_000, askedBefore: 6_500, limit: 1, now: 8_000 });
      expect(new Set(again.map((p) => p.smsUid)).size).toBe(1);
    });
  });
}
