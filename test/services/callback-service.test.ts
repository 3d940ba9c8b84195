import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackService, deadCallbackEventJson } from '../../src/services/callback-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { sendMessage } from '../store/contract/support.js';

let store: SqliteStore;
beforeEach(async () => {
  store = SqliteStore.open(':memory:');
  for (const clientId of ['a', 'b']) {
    await store.addClient(clientId, 'hash', 1_000);
    await store.setClientCallback(clientId, { url: `https://hooks.example.com/${clientId}`, events: 'all', secret: 's' });
  }
});
afterEach(async () => {
  await store.close();
});

async function deadEventOf(clientId: string, carrierId: string, diedAt: number): Promise<string> {
  const smsUid = await sendMessage(store, [carrierId], 2_000, { clientId, phoneNumber: '+14155550123' });
  const [event] = await store.claimCallbackEvents({ clientId, owner: 'o', limit: 10, leaseMs: 1_000, now: 3_000 });
  await store.buryCallbackEvents([event!.eventId], 'HTTP 503', diedAt);
  return smsUid;
}

describe('CallbackService', () => {
  it('lists dead events (all, or one client) in the operator JSON form, and revives them', async () => {
    const a = await deadEventOf('a', 'A1', 5_000);
    await deadEventOf('b', 'B1', 6_000);
    const service = new CallbackService(store, () => 50_000);
    const [first] = await service.failures({ clientId: 'a', limit: 10 });
    expect(deadCallbackEventJson(first!)).toEqual({
      event_id: `${a}.1`,
      sms_uid: a,
      client_id: 'a',
      status: 'sent',
      error_code: '0',
      phone_number: '+14155550123',
      templet_id: 'login',
      parts: 1,
      sequence: 1,
      occurred_at: new Date(2_000).toISOString(),
      attempts: 1,
      last_error: 'HTTP 503',
      owed_since: new Date(2_000).toISOString(),
      died_at: new Date(5_000).toISOString(),
    });
    expect(await service.failures({ limit: 10 })).toHaveLength(2);
    expect(await service.retry({ clientId: 'b' })).toEqual({ revived: 1 });
    expect(await service.backlog()).toEqual({ owed: 1, dead: 1 });
    expect(await service.retry()).toEqual({ revived: 1 });
    expect(await service.failures({ limit: 10 })).toEqual([]);
    expect((await store.claimCallbackEvents({ clientId: 'a', owner: 'o', limit: 10, leaseMs: 1_000, now: 50_000 }))[0]).toMatchObject({ owedSince: 50_000, attempts: 0 });
  });

  it.each([0, -1, 1.5, Number.NaN, 10_001])('refuses the limit %s', async (limit) => {
    await expect(new CallbackService(store).failures({ limit })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
