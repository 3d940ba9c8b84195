import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, cnMobile, statusRank, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let c: Caller;

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '200' });
  [c] = await callersWithT1(gw, 'c');
});
afterAll(() => gw.close());

describe('status lifecycle seen from querysms', () => {
  it('queuing -> sent -> delivered, never backward', async () => {
    const sent = await c.send('13800138000');
    expect(sent.json.status).toBe('queuing');
    const seen = await c.waitFor(sent.json.sms_uid, 'delivered', 5000);
    // With a 200 ms receipt delay, polling every 10 ms sees `sent` on the way.
    expect(seen).toContain('sent');
    expect(seen.at(-1)).toBe('delivered');
    const ranks = seen.map(statusRank);
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('many messages at once: each moves only forward and all are delivered', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => c.send(cnMobile(i, '1300013'))));
    const histories = await Promise.all(answers.map((a) => c.waitFor(a.json.sms_uid, 'delivered', 8000)));
    for (const seen of histories) {
      const ranks = seen.map(statusRank);
      expect([...ranks].sort()).toEqual(ranks);
      expect(seen.at(-1)).toBe('delivered');
    }
  });

  it('a final status never changes: later failures, expiry and receipts leave it delivered', async () => {
    const sent = await c.send('13800138001');
    await c.waitFor(sent.json.sms_uid, 'delivered');
    const before = await gw.store.getMessage(sent.json.sms_uid);
    await gw.store.markFailed(sent.json.sms_uid, 'error_rejected', '11', Date.now());
    await gw.store.expireMessages(Date.now() + 86_400_000, Date.now());
    await gw.store.markRetry(sent.json.sms_uid, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await c.query(sent.json.sms_uid)).json).toEqual({ sms_uid: sent.json.sms_uid, status: 'delivered', error_code: '0' });
    const after = await gw.store.getMessage(sent.json.sms_uid);
    expect(after).toEqual(before);
  });

  it('records the time of each status change (for `message show`)', async () => {
    const sent = await c.send('13800138002');
    await c.waitFor(sent.json.sms_uid, 'delivered');
    const m = (await gw.store.getMessage(sent.json.sms_uid))!;
    expect(m.sentAt).not.toBeNull();
    expect(m.doneAt).not.toBeNull();
    expect(m.createdAt).toBeLessThanOrEqual(m.sentAt!);
    expect(m.sentAt!).toBeLessThanOrEqual(m.doneAt!);
    expect(m.doneAt! - m.sentAt!).toBeGreaterThanOrEqual(150);
  });
});
