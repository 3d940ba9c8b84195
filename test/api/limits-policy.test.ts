import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlocklistService } from '../../src/services/blocklist-service.js';
import { moved, scrape } from '../support/metrics.js';
import { ClientLimitsService, type ClientLimitChanges } from '../../src/services/client-limits-service.js';
import { callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

function retryAfter(answer: { headers: Headers }): number {
  const value = answer.headers.get('retry-after');
  expect(value).toMatch(/^[0-9]+$/);
  return Number(value);
}

describe('the send policy over HTTP (SQLite)', () => {
  let gw: TestGateway;
  let shop: Caller;
  let other: Caller;
  let n = 0;
  const next = () => cnMobile(n++, '1370013');
  const limit = async (clientId: string, changes: ClientLimitChanges) => {
    await new ClientLimitsService(gw.store).change(clientId, changes);
    await gw.gateway.refreshCatalog();
  };
  const block = async (entry: string, clientId: string | null = null) => {
    await new BlocklistService(gw.store, 'CN').add(entry, clientId);
    await gw.gateway.refreshCatalog();
  };

  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_LIMITS: '1/60s,2/1h,3/24h' });
    [shop, other] = await callersWithT1(gw, 'shop', 'other');
  });
  afterAll(() => gw.close());

  it('per-number windows count every spelling of one number as one, and name the window', async () => {
    expect((await shop.send('+86 137-0013-9000')).status).toBe(200);
    const second = await other.send('0086 13700139000');
    expectError(second, 429, /\+8613700139000 is at its limit of 1\/60s/);
    expect(retryAfter(second)).toBeGreaterThanOrEqual(59);
    expect(retryAfter(second)).toBeLessThanOrEqual(60);
    expectError(await shop.send('13700139000'), 429, /1\/60s/);
    expectError(await shop.send('137 0013 9000'), 429);
  });

  it('a blocked number is 403 in every spelling, before any limit counts it', async () => {
    const phone = next();
    await block(phone);
    const refused = await shop.send(`+86 ${phone}`);
    expectError(refused, 403, new RegExp(`\\+86${phone} is on the blocklist`));
    // A prefix, for one client only.
    await block('+86137009', 'shop');
    expectError(await shop.send('13700990001'), 403, /starts with \+86137009, which is on client shop's blocklist/);
    expect((await other.send('13700990001')).status).toBe(200);
    // The refused sends took nothing from the number's windows.
    expect((await shop.send('13700990002').then(() => other.send('13700990003'))).status).toBe(200);
  });

  it('a country outside the client list is 403 naming the country; the list takes effect at once', async () => {
    await limit('shop', { countries: 'CN,HK,SG' });
    expect((await shop.send('+85251234567')).status).toBe(200);
    expectError(await shop.send('+447400123456'), 403, /client shop may not send to country GB/);
    expect((await other.send('+447400123456')).status).toBe(200);
    await limit('shop', { countries: null });
  });

  it('a client rate is 429 with Retry-After, and a refused send takes no number window', async () => {
    await limit('shop', { rate: '3/1h' });
    const phones = [next(), next(), next(), next()];
    for (const phone of phones.slice(0, 3)) expect((await shop.send(phone)).status).toBe(200);
    const refused = await shop.send(phones[3]!);
    expectError(refused, 429, /client shop is at its rate of 3\/1h/);
    expect(retryAfter(refused)).toBeGreaterThan(3500);
    // The number the rate refused was not counted: another client reaches it at once.
    expect((await other.send(phones[3]!)).status).toBe(200);
    await limit('shop', { rate: null });
  });

  it('a daily quota is 429 until 00:00 UTC', async () => {
    await limit('other', { dailyQuota: 1 });
    // `other` sent before in this file: the quota counts today's sends.
    const refused = await other.send(next());
    expectError(refused, 429, /daily quota of 1 \(resets at 00:00 UTC\)/);
    const untilMidnight = Math.ceil((Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000 - Date.now()) / 1000);
    expect(Math.abs(retryAfter(refused) - untilMidnight)).toBeLessThanOrEqual(2);
    await limit('other', { dailyQuota: null });
  });

  it('a country cap is 429 per client and country, and counted per client and country in /metrics', async () => {
    const admin = `http://127.0.0.1:${gw.gateway.adminPort}`;
    const before = (await scrape(admin)).samples;
    await limit('shop', { countryCap: '1/1h' });
    expect((await shop.send('+6581234567')).status).toBe(200);
    const capped = await shop.send('+6581234568');
    expectError(capped, 429, /cap of 1\/1h for country SG/);
    expectError(await shop.send('+6581234569'), 429, /country SG/);
    const after = (await scrape(admin)).samples;
    expect(moved(before, after, 'smsgate_country_cap_refusals_total', { client_id: 'shop', country: 'SG' })).toBe(2);
    expect(moved(before, after, 'smsgate_sends_rejected_total', { reason: 'COUNTRY_CAP_REACHED' })).toBe(2);
    const otherClient = await other.send('+6581234568');
    expect(otherClient.status, JSON.stringify(otherClient.json)).toBe(200);
    expect((await shop.send('+85251234999')).status).toBe(200);
    await limit('shop', { countryCap: null });
  });
});
