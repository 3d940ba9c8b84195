import { afterAll, beforeAll, expect, it } from 'vitest';
import { cnMobile } from '../support/api.js';
import { freePort, within } from '../support/cli.js';
import { moved, scrape, scrapeUntilMoved, valueOf } from '../support/metrics.js';
import { describeIfPostgres } from '../support/services.js';
import { Fleet, post } from '../scaleout/fleet.js';
import { openSharedServices, type SharedServices } from '../scaleout/shared-services.js';

await describeIfPostgres('metrics and health over PostgreSQL and Redis: an API process and a dispatcher process', () => {
  let services: SharedServices;
  let fleet: Fleet;
  let api = '';
  let apiAdmin = '';
  let dispatcherAdmin = '';

  beforeAll(async () => {
    services = await openSharedServices('metrics', 'pgm');
    fleet = new Fleet({ ...services.env, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '50', SMSGATE_LOG_LEVEL: 'warn' });
    const [apiAdminPort, dispatcherAdminPort] = [await freePort(), await freePort()];
    api = (await fleet.api({ SMSGATE_ADMIN_PORT: String(apiAdminPort) })).url!;
    fleet.dispatcher({ SMSGATE_ADMIN_PORT: String(dispatcherAdminPort) });
    apiAdmin = `http://127.0.0.1:${apiAdminPort}`;
    dispatcherAdmin = `http://127.0.0.1:${dispatcherAdminPort}`;
    await within(20_000, async () => (await fetch(`${dispatcherAdmin}/readyz`).catch(() => undefined))?.status === 200, 'the dispatcher bound');
  }, 60_000);
  afterAll(async () => {
    await fleet?.killAll();
    await services?.close();
  });

  it('/readyz of the API process checks the store and Redis; of the dispatcher, the store and its binds', async () => {
    expect(await (await fetch(`${apiAdmin}/readyz`)).json()).toEqual({ status: 'ready', store: { ok: true }, redis: { ok: true } });
    expect(await (await fetch(`${dispatcherAdmin}/readyz`)).json()).toMatchObject({ status: 'ready', store: { ok: true }, binds: { ok: true, up: 1 } });
  });

  it('the API process counts the sends, the dispatcher the statuses, submits and commits; both read the queue', async () => {
    const [apiBefore, dispatcherBefore] = [(await scrape(apiAdmin)).samples, (await scrape(dispatcherAdmin)).samples];
    for (let i = 0; i < 6; i++) {
      const answer = await post(`${api}/api/sms/v1/sendsms`, { client_id: 'pgm', passcode: services.passcode, phone_number: cnMobile(i), templet_id: 't1', contents: [{ code: '1' }] });
      expect(answer.status).toBe(200);
    }
    expect((await post(`${api}/api/sms/v1/sendsms`, { client_id: 'pgm', passcode: services.passcode, phone_number: '12', templet_id: 't1', contents: [{ code: '1' }] })).status).toBe(400);
    const dispatcherAfter = await scrapeUntilMoved(dispatcherAdmin, dispatcherBefore, 'smsgate_message_statuses_total', { status: 'delivered' }, 6, 20_000);
    const apiAfter = (await scrape(apiAdmin)).samples;
    expect(moved(apiBefore, apiAfter, 'smsgate_sends_accepted_total')).toBe(6);
    expect(moved(apiBefore, apiAfter, 'smsgate_sends_rejected_total', { reason: 'INVALID_PHONE_NUMBER' })).toBe(1);
    expect(moved(apiBefore, apiAfter, 'smsgate_store_commit_batch_size_sum', { writer: 'sends' })).toBe(6);
    expect(moved(dispatcherBefore, dispatcherAfter, 'smsgate_message_statuses_total', { status: 'sent' })).toBe(6);
    expect(moved(dispatcherBefore, dispatcherAfter, 'smsgate_smpp_submits_total', { outcome: 'ok' })).toBe(6);
    expect(moved(dispatcherBefore, dispatcherAfter, 'smsgate_store_commit_batch_size_count', { writer: 'combined' })).toBeGreaterThan(0);
    expect(valueOf(apiAfter, 'smsgate_queue_depth', { status: 'queuing' })).toBe(0);
    expect(valueOf(dispatcherAfter, 'smsgate_queue_depth', { status: 'sent' })).toBe(0);
  });
});
