import { afterEach, describe, expect, it } from 'vitest';
import { SEND, callersWithT1, cnMobile, expectError, newCaller, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const gateways: TestGateway[] = [];
afterEach(async () => {
  for (const gw of gateways.splice(0)) await gw.close();
});

async function gatewayWith(env: Record<string, string> = {}): Promise<{ gw: TestGateway; client: Caller }> {
  const gw = await startTestGateway(env);
  gateways.push(gw);
  const [client] = await callersWithT1(gw, 'c1');
  return { gw, client };
}

/** A send with an Idempotency-Key, through the harness so the answer's headers come back too. */
function sendWithKey(gw: TestGateway, client: Caller, key: string, phone = cnMobile(1), code = '1234', passcode = client.passcode) {
  return gw.post(
    SEND,
    { client_id: client.clientId, passcode, phone_number: phone, templet_id: 't1', contents: [{ code }] },
    { headers: { 'content-type': 'application/json', 'idempotency-key': key } },
  );
}

/** Messages accepted for `phone` (E.164) since the epoch: what the store holds, not what the API says. */
async function messagesTo(gw: TestGateway, phone: string): Promise<number> {
  return (await gw.store.recentSends(0)).filter((send) => send.phoneNumber === phone).length;
}

describe('Idempotency-Key on sendsms', () => {
  it('the same key twice: one message, the first sms_uid with its current status, no per-number 429', async () => {
    const { gw, client } = await gatewayWith();
    const first = await sendWithKey(gw, client, 'order-1');
    expect(first.status).toBe(200);
    await client.waitFor(first.json.sms_uid, 'delivered');
    // Written differently (local number, contents as a string): the same send.
    const again = await gw.post(
      SEND,
      { client_id: 'c1', passcode: client.passcode, phone_number: '+86 138 0013 0001', templet_id: 't1', contents: '{"code":"1234"}' },
      { headers: { 'idempotency-key': 'order-1' } },
    );
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ sms_uid: first.json.sms_uid, status: 'delivered', error_code: '0' });
    expect(await messagesTo(gw, '+8613800130001')).toBe(1);
    // Without the key, the per-number limit stands.
    expect((await client.send(cnMobile(1), 't1', [{ code: '1234' }])).status).toBe(429);
  });

  it('20 at once: one message, every 200 has its sms_uid, the rest get 409 with Retry-After: 1 and then the same answer', async () => {
    const { gw, client } = await gatewayWith();
    const answers = await Promise.all(Array.from({ length: 20 }, () => sendWithKey(gw, client, 'burst')));
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((a) => a.json.sms_uid)).size).toBe(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expectError(answer, 409, /burst/);
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    const retried = await sendWithKey(gw, client, 'burst');
    expect(retried.status).toBe(200);
    expect(retried.json.sms_uid).toBe(accepted[0]!.json.sms_uid);
    expect(await messagesTo(gw, '+8613800130001')).toBe(1);
  });

  it('the same key for a different send is 422 naming the key; other clients and other keys are apart', async () => {
    const { gw, client } = await gatewayWith({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    expect((await sendWithKey(gw, client, 'k-1')).status).toBe(200);
    expectError(await sendWithKey(gw, client, 'k-1', cnMobile(1), '9999'), 422, /"k-1"/);
    expectError(await sendWithKey(gw, client, 'k-1', cnMobile(2)), 422, /"k-1"/);
    const other = await newCaller(gw, 'c2');
    const otherFirst = await sendWithKey(gw, other, 'k-1');
    expect(otherFirst.status).toBe(200);
    const mine = await sendWithKey(gw, client, 'k-2');
    expect(mine.status).toBe(200);
    expect(mine.json.sms_uid).not.toBe(otherFirst.json.sms_uid);
  });

  it('a key that is not 1 to 255 printable ASCII characters is 400', async () => {
    const { gw, client } = await gatewayWith();
    expectError(await sendWithKey(gw, client, 'k'.repeat(256)), 400, /Idempotency-Key/);
    expectError(await sendWithKey(gw, client, 'cl\u00e9'), 400, /Idempotency-Key/);
    expectError(await sendWithKey(gw, client, ''), 400, /Idempotency-Key/);
    expect((await sendWithKey(gw, client, 'k'.repeat(255))).status).toBe(200);
  });

  it('checks the passcode first: a wrong one is 401 even with a known key, and a key whose first request got 401 can be used', async () => {
    const { gw, client } = await gatewayWith();
    expectError(await sendWithKey(gw, client, 'a', cnMobile(1), '1234', 'wrong'), 401);
    const first = await sendWithKey(gw, client, 'a');
    expect(first.status).toBe(200);
    expectError(await sendWithKey(gw, client, 'a', cnMobile(1), '1234', 'wrong'), 401);
  });

  it('a key whose first request got 429 can be used again once the limit allows', async () => {
    const { gw, client } = await gatewayWith({ SMSGATE_PER_NUMBER_INTERVAL_S: '1' });
    expect((await client.send(cnMobile(1), 't1', [{ code: '1' }])).status).toBe(200);
    expectError(await sendWithKey(gw, client, 'late'), 429);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const retried = await sendWithKey(gw, client, 'late');
    expect(retried.status).toBe(200);
    expect(await messagesTo(gw, '+8613800130001')).toBe(2);
  });

  it('a repeat takes no token of the global send rate', async () => {
    const { gw, client } = await gatewayWith({ SMSGATE_SEND_RATE: '1', SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    const first = await sendWithKey(gw, client, 'rate');
    expect(first.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await sendWithKey(gw, client, 'rate')).json.sms_uid).toBe(first.json.sms_uid);
    // The bucket is empty; a repeat did not make it so.
    expectError(await client.send(cnMobile(2)), 429);
  });

  it('after SMSGATE_IDEMPOTENCY_TTL_S the key is free: the next send with it is a new message', async () => {
    const { gw, client } = await gatewayWith({ SMSGATE_IDEMPOTENCY_TTL_S: '1', SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    const first = await sendWithKey(gw, client, 'short');
    expect(first.status).toBe(200);
    expect((await sendWithKey(gw, client, 'short')).json.sms_uid).toBe(first.json.sms_uid);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await sendWithKey(gw, client, 'short', cnMobile(1), '5678');
    expect(later.status).toBe(200);
    expect(later.json.sms_uid).not.toBe(first.json.sms_uid);
    expect((await sendWithKey(gw, client, 'short', cnMobile(1), '5678')).json.sms_uid).toBe(later.json.sms_uid);
    // Retention removes expired keys and keeps live ones.
    expect(await gw.store.deleteExpiredIdempotencyKeys(Date.now())).toBe(0);
    expect(await gw.store.deleteExpiredIdempotencyKeys(Date.now() + 2_000)).toBe(1);
  });

  it('a repeat of a send that failed validation is not remembered either', async () => {
    const { gw, client } = await gatewayWith();
    const bad = await gw.post(
      SEND,
      { client_id: 'c1', passcode: client.passcode, phone_number: '12', templet_id: 't1', contents: [{ code: '1' }] },
      { headers: { 'idempotency-key': 'v' } },
    );
    expectError(bad, 400);
    expect((await sendWithKey(gw, client, 'v')).status).toBe(200);
  });
});
