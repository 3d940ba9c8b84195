import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../../../src/store/message-store.js';
import { newMessage, type StoreHandle } from './support.js';

/** A message carrying Idempotency-Key `key`, live until `expiresAt`. */
function keyed(key: string, overrides: Partial<NewMessage> = {}, fingerprint = 'f1', expiresAt = 100_000): NewMessage {
  return newMessage({ ...overrides, idempotency: { key, fingerprint, expiresAt } });
}

export function idempotencyContract(handle: StoreHandle): void {
  describe('Idempotency-Keys', () => {
    it('stores a key with its message and finds it while it lives', async () => {
      const { store } = handle;
      const message = keyed('k1', { createdAt: 1_000 });
      expect(await store.insertMessages([message])).toEqual([]);
      expect(await store.getMessage(message.smsUid)).toMatchObject({ smsUid: message.smsUid, status: 'queuing' });
      const record = { clientId: 'client-a', key: 'k1', fingerprint: 'f1', smsUid: message.smsUid, expiresAt: 100_000 };
      expect(await store.findIdempotencyKey('client-a', 'k1', 99_999)).toEqual(record);
      expect(await store.findIdempotencyKey('client-a', 'k1', 100_000)).toBeUndefined();
      expect(await store.findIdempotencyKey('client-b', 'k1', 1_000)).toBeUndefined();
      expect(await store.findIdempotencyKey('client-a', 'k2', 1_000)).toBeUndefined();
    });

    it('inserts the rest of a batch and leaves out a message whose key a committed send holds', async () => {
      const { store } = handle;
      const first = keyed('k1', { createdAt: 1_000 });
      await store.insertMessages([first]);
      const repeat = keyed('k1', { createdAt: 2_000 }, 'f2');
      const plain = newMessage({ createdAt: 2_000 });
      const otherKey = keyed('k2', { createdAt: 2_000 });
      const otherClient = keyed('k1', { createdAt: 2_000, clientId: 'client-b' });
      const held = await store.insertMessages([plain, repeat, otherKey, otherClient]);
      expect(held).toEqual([{ clientId: 'client-a', key: 'k1', fingerprint: 'f1', smsUid: first.smsUid, expiresAt: 100_000 }]);
      expect(await store.getMessage(repeat.smsUid)).toBeUndefined();
      for (const inserted of [plain, otherKey, otherClient]) expect(await store.getMessage(inserted.smsUid)).toBeDefined();
    });

    it('gives a key used twice in one batch to the first message', async () => {
      const { store } = handle;
      const first = keyed('k1');
      const second = keyed('k1', {}, 'f2');
      const held = await store.insertMessages([first, second]);
      expect(held).toEqual([expect.objectContaining({ key: 'k1', smsUid: first.smsUid, fingerprint: 'f1' })]);
      expect(await store.getMessage(first.smsUid)).toBeDefined();
      expect(await store.getMessage(second.smsUid)).toBeUndefined();
    });

    it('lets a send take over a key that expired by its time', async () => {
      const { store } = handle;
      const old = keyed('k1', { createdAt: 1_000 }, 'f1', 5_000);
      await store.insertMessages([old]);
      const fresh = keyed('k1', { createdAt: 5_000 }, 'f2', 9_000);
      expect(await store.insertMessages([fresh])).toEqual([]);
      expect(await store.findIdempotencyKey('client-a', 'k1', 5_000)).toMatchObject({ smsUid: fresh.smsUid, fingerprint: 'f2', expiresAt: 9_000 });
      expect(await store.getMessage(old.smsUid)).toBeDefined(); // the old send stays what it was
    });

    it('deletes expired keys only', async () => {
      const { store } = handle;
      await store.insertMessages([keyed('k1', {}, 'f', 5_000), keyed('k2', {}, 'f', 6_000), keyed('k3', {}, 'f', 7_000)]);
      expect(await store.deleteExpiredIdempotencyKeys(6_000)).toBe(2);
      expect(await store.findIdempotencyKey('client-a', 'k3', 6_000)).toBeDefined();
      expect(await store.deleteExpiredIdempotencyKeys(6_000)).toBe(0);
    });

    it('keeps nothing of a batch that fails, key included', async () => {
      const { store } = handle;
      const first = keyed('k1');
      await expect(store.insertMessages([first, { ...newMessage(), smsUid: first.smsUid }])).rejects.toThrow();
      expect(await store.findIdempotencyKey('client-a', 'k1', 1_000)).toBeUndefined();
    });
  });
}
