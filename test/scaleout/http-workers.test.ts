import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { postJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { describeIfRedis } from '../support/services.js';

const tmp = tempDir('smsgate-workers-');
let server: ServeProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp.cleanup();
});

await describeIfRedis('SMSGATE_HTTP_WORKERS=2: two API processes on one port', (redisUrl) => {
  it('serves from both workers, shares the per-number limit through Redis, and stops cleanly', async () => {
    server = await startServe({
      SMSGATE_DB: `${tmp.dir}/smsgate.db`,
      SMSGATE_HTTP_WORKERS: '2',
      SMSGATE_REDIS_URL: redisUrl,
      SMSGATE_REDIS_PREFIX: `test-workers-${randomUUID()}:`,
    });
    const passcode = (await server.waitForStdout(/passcode:\s+(\S+)/, 10_000))[1]!;
    // Each worker says it runs; the primary keeps the dispatcher.
    const workers = async () => new Set([...server!.stderr().matchAll(/"worker":(\d+)[^\n]*smsgate is running/g)].map((m) => m[1])).size;
    await expect.poll(workers, { timeout: 10_000 }).toBe(2);

    // Fresh connections are spread over the workers; the number may still get only one message.
    const send = () =>
      postJson(`${server!.url}/api/sms/v1/sendsms`, {
        client_id: 'cookpad_Server_001',
        passcode,
        phone_number: '13800138000',
        templet_id: 't1',
        contents: [{ p1: '1' }],
      });
    const statuses = (await Promise.all(Array.from({ length: 12 }, send))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(11);

    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
