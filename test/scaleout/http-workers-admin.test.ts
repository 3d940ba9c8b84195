import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { cnMobile } from '../support/api.js';
import { freePort, postJson, startServe, tempDir, within, type ServeProcess } from '../support/cli.js';
import { moved, scrape, scrapeUntilMoved, valueOf } from '../support/metrics.js';
import { describeIfRedis } from '../support/services.js';

const tmp = tempDir('smsgate-workers-admin-');
let server: ServeProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp.cleanup();
});

await describeIfRedis('SMSGATE_HTTP_WORKERS=2: one admin listener for the whole gateway', (redisUrl) => {
  it('serves /metrics, /readyz and the admin API of every worker and the dispatcher from one port', async () => {
    const adminPort = await freePort();
    server = await startServe(
      {
        SMSGATE_DB: `${tmp.dir}/smsgate.db`,
        SMSGATE_HTTP_WORKERS: '2',
        SMSGATE_ADMIN_PORT: String(adminPort),
        SMSGATE_REDIS_URL: redisUrl,
        SMSGATE_REDIS_PREFIX: `test-workers-admin-${randomUUID()}:`,
        SMSGATE_PER_NUMBER_INTERVAL_S: '0',
      },
      // Three processes start (the primary, then two workers): slow on a loaded machine.
      { args: ['--json'], readyMs: 30_000 },
    );
    const started = JSON.parse((await server.waitForStdout(/^\{.*\}$/m, 10_000))[0]);
    expect(started.admin_port).toBe(adminPort);
    const admin = `http://127.0.0.1:${adminPort}`;
    const auth = { authorization: `Bearer ${started.admin_token}` };
    const { passcode } = started.sample;

    let ready: any;
    await within(15_000, async () => (ready = await (await fetch(`${admin}/readyz`)).json()).workers.ready === 2, 'both workers ready');
    expect(ready).toMatchObject({ store: { ok: true }, redis: { ok: true }, binds: { ok: true, up: 1 }, workers: { ok: true, ready: 2, of: 2 } });

    // A template made through the admin API reaches every worker's catalog at once, not at its next poll.
    const created = await fetch(`${admin}/admin/v1/templates`, { method: 'POST', headers: auth, body: JSON.stringify({ templet_id: 'fleet', text: 'code ${code}' }) });
    expect(created.status).toBe(201);
    const before = (await scrape(admin)).samples;
    // Concurrent requests open several connections, which the primary spreads over the workers.
    const sends = await Promise.all(
      Array.from({ length: 12 }, (_, i) => postJson(`${server!.url}/api/sms/v1/sendsms`, { client_id: 'cookpad_Server_001', passcode, phone_number: cnMobile(i), templet_id: 'fleet', contents: [{ code: '1' }] })),
    );
    expect(sends.map((s) => s.status)).toEqual(Array(12).fill(200));

    // Every scrape counts both workers' sends, and the primary's dispatcher delivering them.
    const after = await scrapeUntilMoved(admin, before, 'smsgate_message_statuses_total', { status: 'delivered' }, 12, 20_000);
    expect(moved(before, after, 'smsgate_sends_accepted_total')).toBe(12);
    for (let i = 0; i < 3; i++) expect(moved(before, (await scrape(admin)).samples, 'smsgate_sends_accepted_total')).toBe(12);
    expect(moved(before, after, 'smsgate_smpp_submits_total', { outcome: 'ok' })).toBe(12);
    // Three processes read the same queue: it shows once, not three times.
    expect(valueOf(after, 'smsgate_queue_depth', { status: 'queuing' })).toBe(0);

    const stats = await (await fetch(`${admin}/admin/v1/stats?window=1h`, { headers: auth })).json();
    expect(stats.delivered).toBeGreaterThanOrEqual(12);
    expect(await server.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
