import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, cnMobile, SEND, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { moved, scrape, scrapeUntilMoved, valueOf } from '../support/metrics.js';
import { within } from '../support/cli.js';

describe('metrics over real HTTP (dispatcher in-process)', () => {
  let gw: TestGateway;
  let admin: string;
  let alice: Caller;

  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    admin = `http://127.0.0.1:${gw.gateway.adminPort}`;
    [alice] = await callersWithT1(gw, 'alice');
  });
  afterAll(() => gw.close());

  it('/healthz says alive and /readyz ready, with the store and the binds, without a token', async () => {
    expect(await (await fetch(`${admin}/healthz`)).json()).toEqual({ status: 'alive' });
    await within(10_000, async () => (await fetch(`${admin}/readyz`)).status === 200, 'the embedded simulator bound');
    const ready = await (await fetch(`${admin}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', store: { ok: true }, binds: { ok: true, up: 1 } });
    expect(ready.binds.binds[0]).toMatchObject({ connection: 'simulator', status: 'bound' });
  });

  it('counts exactly the sends accepted and rejected, the statuses they reach and the submits', async () => {
    const before = (await scrape(admin)).samples;
    const accepted: string[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = await alice.send(cnMobile(i));
      expect(answer.status).toBe(200);
      accepted.push(answer.json.sms_uid);
    }
    expect((await gw.post(SEND, { client_id: 'alice', passcode: 'wrong', phone_number: cnMobile(1), templet_id: 't1', contents: [] })).status).toBe(401);
    expect((await gw.post(SEND, { client_id: 'alice', passcode: 'wrong', phone_number: cnMobile(2), templet_id: 't1', contents: [] })).status).toBe(401);
    expect((await alice.send('12')).status).toBe(400);
    // Rejected by the body's schema, before the send service sees it.
    expect((await gw.post(SEND, { client_id: 'alice' })).status).toBe(400);
    for (const uid of accepted) await alice.waitFor(uid, 'delivered', 10_000);

    // The receipts' counts follow the status a query already shows: the store answers first.
    const after = await scrapeUntilMoved(admin, before, 'smsgate_message_statuses_total', { status: 'delivered' }, 7, 5_000);
    expect(moved(before, after, 'smsgate_sends_accepted_total')).toBe(7);
    expect(moved(before, after, 'smsgate_send_accept_seconds_count')).toBe(7);
    expect(moved(before, after, 'smsgate_sends_rejected_total', { reason: 'AUTH_FAILED' })).toBe(2);
    expect(moved(before, after, 'smsgate_sends_rejected_total', { reason: 'INVALID_PHONE_NUMBER' })).toBe(1);
    expect(moved(before, after, 'smsgate_sends_rejected_total', { reason: 'INVALID_REQUEST' })).toBe(1);
    expect(moved(before, after, 'smsgate_sends_rejected_total')).toBe(4);
    expect(moved(before, after, 'smsgate_message_statuses_total', { status: 'sent' })).toBe(7);
    expect(moved(before, after, 'smsgate_message_sent_seconds_count')).toBe(7);
    expect(moved(before, after, 'smsgate_message_final_seconds_count', { status: 'delivered' })).toBe(7);
    expect(moved(before, after, 'smsgate_smpp_submits_total', { connection: 'simulator', outcome: 'ok' })).toBe(7);
    expect(moved(before, after, 'smsgate_smpp_receipts_total', { connection: 'simulator' })).toBe(7);
    expect(valueOf(after, 'smsgate_smpp_binds_up', { connection: 'simulator' })).toBe(1);
    expect(valueOf(after, 'smsgate_queue_depth', { status: 'queuing' })).toBe(0);
    expect(valueOf(after, 'smsgate_queue_depth', { status: 'sent' })).toBe(0);
  });

  it('the exposition carries no message id and no phone number', async () => {
    const { text } = await scrape(admin);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(text).not.toMatch(/\+86138/);
  });
});

describe('SMSGATE_METRICS=off', () => {
  it('serves no /metrics, and health still answers', async () => {
    const gw = await startTestGateway({ SMSGATE_METRICS: 'off' });
    try {
      const admin = `http://127.0.0.1:${gw.gateway.adminPort}`;
      expect((await fetch(`${admin}/metrics`)).status).toBe(404);
      expect((await fetch(`${admin}/healthz`)).status).toBe(200);
      expect(gw.gateway.metricsJson).toBeUndefined();
    } finally {
      await gw.close();
    }
  });
});
