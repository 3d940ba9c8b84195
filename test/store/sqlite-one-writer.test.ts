import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

it('applies a receipt another process on the same file kept while its submit was out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-two-'));
  try {
    const path = join(dir, 'smsgate.db');
    const first = SqliteStore.open(path);
    const message = newMessage();
    await first.insertMessages([message]); // a turn before the other's write: it knows the file
    const second = SqliteStore.open(path);
    expect((await second.applyReceipt({ carrierMessageIds: ['cd34'], status: 'delivered', errorCode: '0', at: 1_500 })).outcome).toBe('pending');
    await second.close();
    expect((await first.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'CD34' }], 2_000)).map((t) => t.to)).toEqual(['sent', 'delivered']);
    await first.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('finds the parts of a multipart message another process on the same file recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-two-'));
  try {
    const path = join(dir, 'smsgate.db');
    const first = SqliteStore.open(path); // no part rows yet: its lookups skip that table
    const message = newMessage();
    await first.insertMessages([message]);
    const second = SqliteStore.open(path);
    await second.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'E1' }, { partNo: 2, carrierMessageId: 'E2' }], 2_000);
    await second.close();
    expect((await first.applyReceipt({ carrierMessageIds: ['e1'], status: 'delivered', errorCode: '0', at: 3_000 })).outcome).toBe('applied');
    expect((await first.applyReceipt({ carrierMessageIds: ['e2'], status: 'delivered', errorCode: '0', at: 3_001 })).transitions.map((t) => t.to)).toEqual(['delivered']);
    await first.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
