import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { newMessage } from './contract/support.js';

// The one writer runs a turn's writes without savepoints and, when one fails, rolls the turn
// back and runs it again write by write. What the store keeps in memory about the database
// (how many receipts wait for their submit) must follow that rollback.
let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(async () => {
  await store.close();
});

it('applies a receipt that waited for its submit though another write of the same turn failed', async () => {
  await store.addClient('c1', 'hash', 1_000);
  const message = newMessage();
  await store.insertMessages([message]);
  expect((await store.applyReceipt({ carrierMessageIds: ['ab12'], status: 'delivered', errorCode: '0', at: 1_500 })).outcome).toBe('pending');

  // One turn: the submit is recorded (taking the waiting receipt), and a write that fails.
  const sent = store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'AB12' }], 2_000);
  const failed = store.addClient('c1', 'hash', 2_000);
  await expect(failed).rejects.toMatchObject({ code: 'CLIENT_EXISTS' });
  expect((await sent).map((t) => t.to)).toEqual(['sent', 'delivered']);
  expect((await store.getMessage(message.smsUid))?.status).toBe('delivered');
});

it('undoes only the write that failed, and answers the others', async () => {
  const [a, b] = [newMessage(), newMessage()];
  await store.insertMessages([a]);
  const again = store.insertMessages([b, a]); // repeats a: refused whole
  const alone = store.insertMessages([newMessage()]);
  await expect(again).rejects.toThrow();
  await alone;
  expect(await store.getMessage(b.smsUid)).toBeUndefined();
  expect((await store.getMessage(a.smsUid))?.status).toBe('queuing');
});
