import { pino } from 'pino';
import { expect, it } from 'vitest';
import { Housekeeper } from '../../src/dispatch/housekeeper.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

it('expires what outlived its validity, then deletes finished messages past retention', async () => {
  const store = SqliteStore.open(':memory:');
  let now = 10 * DAY;
  const message = (smsUid: string, createdAt: number) => ({
    smsUid,
    clientId: 'c',
    templetId: 't',
    phoneNumber: '+8613800138000',
    text: 'code 1',
    createdAt,
  });
  await store.insertMessages([
    message('01a21000-0000-7000-8000-000000000001', now - 49 * HOUR), // past a 48 h validity
    message('01a21000-0000-7000-8000-000000000002', now - HOUR), // still valid
  ]);
  const keeper = new Housekeeper({ store, logger: pino({ level: 'silent' }), validityMs: 48 * HOUR, retentionMs: 7 * DAY, now: () => now });

  expect(await keeper.expire()).toBe(1);
  expect((await store.getMessage('01a21000-0000-7000-8000-000000000001'))?.status).toBe('error_expired');
  expect((await store.getMessage('01a21000-0000-7000-8000-000000000002'))?.status).toBe('queuing');

  expect(await keeper.retain()).toBe(0); // finished just now: kept for the retention period
  now += 8 * DAY;
  expect(await keeper.retain()).toBe(1);
  expect(await store.getMessage('01a21000-0000-7000-8000-000000000001')).toBeUndefined();
  expect(await store.getMessage('01a21000-0000-7000-8000-000000000002')).toBeDefined(); // never finished
  await store.close();
});

it('the retention pass deletes expired Idempotency-Keys and keeps live ones', async () => {
  const store = SqliteStore.open(':memory:');
  let now = DAY;
  const keyed = (smsUid: string, key: string, expiresAt: number) => ({
    smsUid,
    clientId: 'c',
    templetId: 't',
    phoneNumber: '+8613800138000',
    text: 'code 1',
    createdAt: now,
    idempotency: { key, fingerprint: 'f', expiresAt },
  });
  await store.insertMessages([keyed('01a21000-0000-7000-8000-000000000001', 'short', now + HOUR), keyed('01a21000-0000-7000-8000-000000000002', 'long', now + DAY)]);
  const keeper = new Housekeeper({ store, logger: pino({ level: 'silent' }), validityMs: 48 * HOUR, retentionMs: 7 * DAY, now: () => now });
  now += 2 * HOUR;
  await keeper.retain();
  expect(await store.findIdempotencyKey('c', 'short', DAY)).toBeUndefined(); // gone, even asked about as of before it expired
  expect(await store.findIdempotencyKey('c', 'long', now)).toBeDefined();
  await store.close();
});
