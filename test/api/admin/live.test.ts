import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIfPostgres } from '../../support/services.js';
import { ADMIN_TOKEN, startAdminGateway, type AdminGateway, type StoreKind } from './admin-harness.js';

const SEND = '/api/sms/v1/sendsms';

async function send(gw: AdminGateway, passcode: string, phone: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${gw.url}${SEND}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'live_shop', passcode, phone_number: phone, templet_id: 'code', contents: [{ p1: '1234' }] }),
  });
  return { status: response.status, json: await response.json() };
}

function liveSuite(name: string, storeKind: () => StoreKind): void {
  describe(`GET /admin/v1/live: ${name}`, () => {
    let gw: AdminGateway;
    let passcode: string;
    beforeAll(async () => {
      gw = await startAdminGateway(storeKind());
      passcode = (await gw.admin('POST', '/admin/v1/clients', { client_id: 'live_shop' })).json.passcode;
      await gw.admin('POST', '/admin/v1/templates', { templet_id: 'code', text: 'Your code is ${code}.' });
    });
    afterAll(() => gw?.close());

    it('counts sends accepted, refused, delivered and in error since start, with the accept latency histogram, the queue, binds and the latest errors', async () => {
      const before = (await gw.admin('GET', '/admin/v1/live')).json;
      expect(before).toMatchObject({ metrics_enabled: true, accepted_total: 0, rejected_total: 0, delivered_total: 0, errors_total: 0 });
      const delivered: string[] = [];
      for (let i = 0; i < 5; i++) delivered.push((await send(gw, passcode, `+861390000001${i}`)).json.sms_uid);
      const rejected = (await send(gw, passcode, '+12125550103')).json.sms_uid as string; // the SMSC refuses the submit
      const undeliverable = (await send(gw, passcode, '+12125550104')).json.sms_uid as string; // receipt UNDELIV
      expect((await send(gw, passcode, '12')).status).toBe(400);
      expect((await send(gw, 'wrong-passcode', '+8613900000019')).status).toBe(401);

      await expect
        .poll(async () => {
          const live = (await gw.admin('GET', '/admin/v1/live')).json;
          return [live.delivered_total, live.errors_total];
        }, { timeout: 20_000 })
        .toEqual([5, 2]);
      const live = await gw.admin('GET', '/admin/v1/live');
      expect(live.status).toBe(200);
      expect(live.headers.get('cache-control')).toBe('no-store');
      const now = live.json;
      expect(Date.parse(now.at)).toBeGreaterThan(Date.parse(before.at));
      expect(now.accepted_total).toBe(7);
      expect(now.rejected_total).toBe(2);
      expect(now.statuses_total).toEqual({ queuing: 0, sent: 6, delivered: 5, error_rejected: 1, error_undeliverable: 1, error_expired: 0, error_unknown: 0 });

      const latency = now.accept_latency_seconds;
      expect(latency.count).toBe(7);
      expect(latency.sum).toBeGreaterThan(0);
      expect(latency.buckets.at(-1)).toEqual({ le: '+Inf', count: 7 });
      const counts = latency.buckets.map((b: { count: number }) => b.count);
      expect([...counts].sort((a, b) => a - b)).toEqual(counts);
      expect(latency.buckets.slice(0, -1).every((b: { le: unknown }) => typeof b.le === 'number')).toBe(true);

      expect(now.queue).toEqual({ queuing: 0, awaiting_receipt: 0 });
      expect(now.binds.length).toBeGreaterThan(0);
      expect(now.binds[0]).toEqual({ connection: expect.any(String), bind: expect.any(String), status: 'bound', up: true, since: expect.any(String), reason: null });

      const errors = now.recent_errors;
      expect(errors.map((e: { sms_uid?: string }) => e.sms_uid).sort()).toEqual([rejected, undeliverable].sort());
      expect(errors.find((e: { sms_uid?: string }) => e.sms_uid === undeliverable)).toEqual({
        at: expect.any(String),
        kind: 'message',
        sms_uid: undeliverable,
        client_id: 'live_shop',
        status: 'error_undeliverable',
        detail: expect.stringMatching(/^error_undeliverable/),
      });
      expect(errors.find((e: { sms_uid?: string }) => e.sms_uid === rejected)).toMatchObject({ kind: 'message', status: 'error_rejected' });
      const times = errors.map((e: { at: string }) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('answers the console cookie as the token, and nobody without either', async () => {
      const login = await fetch(`${gw.adminUrl}/console/session`, { method: 'POST', body: JSON.stringify({ token: ADMIN_TOKEN }) });
      const cookie = /^(smsgate_console=[^;]+);/.exec(login.headers.get('set-cookie') ?? '')![1]!;
      const withCookie = await fetch(`${gw.adminUrl}/admin/v1/live`, { headers: { cookie } });
      expect(withCookie.status).toBe(200);
      expect(await withCookie.json()).toMatchObject({ metrics_enabled: true, accepted_total: expect.any(Number) });
      expect((await fetch(`${gw.adminUrl}/admin/v1/live`)).status).toBe(401);
    });
  });
}

liveSuite('SQLite', () => ({ kind: 'sqlite' }));
await describeIfPostgres('live snapshot on PostgreSQL', (url) => liveSuite('PostgreSQL', () => ({ kind: 'postgres', url })));

describe('GET /admin/v1/live with a carrier that does not answer, and with metrics off', () => {
  let dir: string;
  let gw: AdminGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smsgate-live-'));
    const carriers = join(dir, 'carriers.json');
    // Port 9 on loopback: nothing listens, every connect is refused.
    const connection = { name: 'nowhere', host: '127.0.0.1', port: 9, system_id: 'x', password: 'y', binds: 1, window: 1 };
    writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
    gw = await startAdminGateway({ kind: 'sqlite' }, { SMSGATE_CARRIERS: carriers, SMSGATE_METRICS: 'off' });
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the bind down with its reason, and the bind among the latest errors; counters at 0', async () => {
    await expect
      .poll(async () => (await gw.admin('GET', '/admin/v1/live')).json.binds[0]?.reason, { timeout: 10_000 })
      .toMatch(/ECONNREFUSED|refused/i);
    const live = (await gw.admin('GET', '/admin/v1/live')).json;
    expect(live.metrics_enabled).toBe(false);
    expect(live.accepted_total).toBe(0);
    expect(live.accept_latency_seconds).toEqual({ buckets: [], count: 0, sum: 0 });
    expect(live.binds[0]).toMatchObject({ connection: 'nowhere', up: false, since: expect.any(String) });
    expect(live.recent_errors[0]).toEqual({ at: live.binds[0].since, kind: 'bind', connection: 'nowhere', detail: expect.stringMatching(/ECONNREFUSED|refused/i) });
  });
});
