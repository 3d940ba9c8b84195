import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ClientLimitsService } from '../../src/services/client-limits-service.js';
import { startTestGateway } from '../support/gateway-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'smsgate-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps the per-number limit across a restart: the interval counts from the send before it', async () => {
  const env = { SMSGATE_DB: join(dir, 'smsgate.db'), SMSGATE_PER_NUMBER_INTERVAL_S: '60' };
  const send = (gw: Awaited<ReturnType<typeof startTestGateway>>, passcode: string, phone: string) =>
    gw.post('/api/sms/v1/sendsms', { client_id: 'c1', passcode, phone_number: phone, templet_id: 't1', contents: [{ p1: '1' }] });

  const first = await startTestGateway(env);
  const passcode = await first.addClient('c1');
  await first.addTemplate('t1', 'code ${code}');
  const cn = await send(first, passcode, '13800138000');
  expect(cn.status, JSON.stringify(cn.json)).toBe(200);
  await first.close();

  const second = await startTestGateway(env);
  try {
    const again = await send(second, passcode, '+8613800138000');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(50);
    expect((await send(second, passcode, '13800138001')).status).toBe(200);
  } finally {
    await second.close();
  }
});

it('keeps a daily quota and a country cap across a restart (SQLite alone)', async () => {
  const env = { SMSGATE_DB: join(dir, 'quota.db'), SMSGATE_PER_NUMBER_LIMITS: 'none' };
  const send = (gw: Awaited<ReturnType<typeof startTestGateway>>, passcode: string, phone: string) =>
    gw.post('/api/sms/v1/sendsms', { client_id: 'c2', passcode, phone_number: phone, templet_id: 't2', contents: [{ p1: '1' }] });

  const first = await startTestGateway(env);
  const passcode = await first.addClient('c2');
  await first.addTemplate('t2', 'code ${code}');
  await new ClientLimitsService(first.store).change('c2', { dailyQuota: 3, countryCap: '1/1h' });
  await first.gateway.refreshCatalog();
  expect((await send(first, passcode, '+6581234567')).status).toBe(200);
  const cn = await send(first, passcode, '13800138000');
  expect(cn.status, JSON.stringify(cn.json)).toBe(200);
  await first.close();

  const second = await startTestGateway(env);
  try {
    const capped = await send(second, passcode, '+6581234568');
    expect(capped.status).toBe(429);
    expect(capped.json.error_message).toMatch(/cap of 1\/1h for country SG/);
    expect((await send(second, passcode, '+85251234567')).status).toBe(200);
    const overQuota = await send(second, passcode, '+447400123456');
    expect(overQuota.status).toBe(429);
    expect(overQuota.json.error_message).toMatch(/daily quota of 3/);
  } finally {
    await second.close();
  }
});
