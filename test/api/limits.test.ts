import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfter(answer: { headers: Headers }): number {
  const value = answer.headers.get('retry-after');
  expect(value).toMatch(/^[0-9]+$/);
  return Number(value);
}

describe('one accepted send per number per SMSGATE_PER_NUMBER_INTERVAL_S', () => {
  let gw: TestGateway;
  let a: Caller;
  let b: Caller;
  let n = 0;
  const next = () => cnMobile(n++, '1350013');
  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60' });
    [a, b] = await callersWithT1(gw, 'client-a', 'client-b');
  });
  afterAll(() => gw.close());

  it('a second send to the number is 429 with Retry-After in seconds up to the interval', async () => {
    const phone = next();
    expect((await a.send(phone)).status).toBe(200);
    const second = await a.send(phone);
    expectError(second, 429);
    const seconds = retryAfter(second);
    expect(seconds).toBeGreaterThanOrEqual(59);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('other numbers are not affected', async () => {
    expect((await a.send(next())).status).toBe(200);
    expect((await a.send(next())).status).toBe(200);
  });

  it('all clients share the limit', async () => {
    const phone = next();
    expect((await a.send(phone)).status).toBe(200);
    expectError(await b.send(phone), 429);
  });

  it('rejected requests do not count', async () => {
    const phone = next();
    expectError(await a.send(phone, 'no-such-template'), 404);
    expectError(await a.send(phone, 't1', [{ p1: true }]), 400);
    expectError(await b.send(phone, 't1', [{ bad: '1' }]), 400);
    expect((await a.send(phone)).status).toBe(200);
  });

  it('of ~20 concurrent sends to one number exactly one is accepted', async () => {
    const phone = next();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).send(phone)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of answers.filter((x) => x.status !== 200)) expectError(r, 429);
  });

  it('concurrent sends to one number written differently: still exactly one', async () => {
    const forms = ['13500135000', '+8613500135000', '+86 135 0013 5000', '0086 13500135000'];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => a.send(forms[i % forms.length]!)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe('the interval runs out', () => {
  it('SMSGATE_PER_NUMBER_INTERVAL_S=1: accepted again after a second', async () => {
    const gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '1' });
    try {
      const [c] = await callersWithT1(gw, 'c');
      expect((await c.send('13400134000')).status).toBe(200);
      const limited = await c.send('13400134000');
      expectError(limited, 429);
      expect(retryAfter(limited)).toBe(1);
      await sleep(1050);
      expect((await c.send('13400134000')).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('SMSGATE_PER_NUMBER_INTERVAL_S=0: no per-number limit', async () => {
    const gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    try {
      const [c] = await callersWithT1(gw, 'c');
      for (let i = 0; i < 3; i += 1) expect((await c.send('13400134000')).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('global rates', () => {
  it('SMSGATE_SEND_RATE=5: beyond it 429 with Retry-After; rate-limited sends do not hold their number', async () => {
    const gw = await startTestGateway({ SMSGATE_SEND_RATE: '5', SMSGATE_PER_NUMBER_INTERVAL_S: '60' });
    try {
      const [c] = await callersWithT1(gw, 'c');
      const phones = Array.from({ length: 20 }, (_, i) => cnMobile(i, '1330013'));
      const answers = await Promise.all(phones.map((p) => c.send(p)));
      const accepted = answers.filter((r) => r.status === 200).length;
      expect(accepted).toBeGreaterThanOrEqual(1);
      expect(accepted).toBeLessThanOrEqual(6);
      const limited = answers.map((r, i) => ({ r, phone: phones[i]! })).filter(({ r }) => r.status === 429);
      expect(limited.length).toBe(20 - accepted);
      for (const { r } of limited) {
        expectError(r, 429);
        expect(retryAfter(r)).toBeGreaterThanOrEqual(1);
      }
      // over a longer run, about 5 a second
      await sleep(1100);
      const retried = await c.send(limited[0]!.phone);
      expect(retried.status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('SMSGATE_QUERY_RATE=5: beyond it 429 with Retry-After; sends are not affected', async () => {
    const gw = await startTestGateway({ SMSGATE_QUERY_RATE: '5', SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    try {
      const [c] = await callersWithT1(gw, 'c');
      const sent = await c.send('13200132000');
      const answers = await Promise.all(Array.from({ length: 20 }, () => c.query(sent.json.sms_uid)));
      const ok = answers.filter((r) => r.status === 200).length;
      expect(ok).toBeGreaterThanOrEqual(1);
      expect(ok).toBeLessThanOrEqual(6);
      for (const r of answers.filter((x) => x.status !== 200)) {
        expectError(r, 429);
        expect(retryAfter(r)).toBeGreaterThanOrEqual(1);
      }
      expect((await c.send('13200132001')).status).toBe(200);
      await sleep(1100);
      expect((await c.query(sent.json.sms_uid)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
