import { describe, expect, it } from 'vitest';
import { carrierIdCandidates } from '../../../src/domain/carrier-id.js';
import { newMessage, sendMessage, type StoreHandle } from './support.js';

export function queueDepthContract(handle: StoreHandle): void {
  describe('queue depth', () => {
    it('counts the messages queuing and those sent without a final receipt, not the finished ones', async () => {
      const { store } = handle;
      expect(await store.queueDepth()).toEqual({ queuing: 0, sent: 0 });
      await store.insertMessages([newMessage(), newMessage(), newMessage()]);
      await sendMessage(store, ['A1']);
      await sendMessage(store, ['B1']);
      const rejected = newMessage();
      await store.insertMessages([rejected]);
      await store.markRejected(rejected.smsUid, '88', 3_000);
      await store.applyReceipt({ carrierMessageIds: carrierIdCandidates('A1'), status: 'delivered', errorCode: '0', at: 4_000 });
      expect(await store.queueDepth()).toEqual({ queuing: 3, sent: 1 });
    });
  });
}
