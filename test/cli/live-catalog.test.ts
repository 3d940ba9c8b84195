import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { postJson, runCli, runJson, startServe, tempDir, within, type ServeProcess } from '../support/cli.js';

const tmp = tempDir('smsgate-live-');
let server: ServeProcess | undefined;
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

it('a client and a template added with the CLI while the gateway runs work for sendsms within 1 s, as the CLI says', async () => {
  const env = { SMSGATE_DB: join(tmp.dir, 'smsgate.db') };
  server = await startServe(env);
  // Both at once, so that the second does not give the gateway extra time to see the first.
  const [client, template] = await Promise.all([
    runJson(['client', 'add', 'live'], env),
    runCli(['template', 'add', 'live_t', '--text', 'Your code is ${code}.'], env),
  ]);
  expect(template.code, template.stderr).toBe(0);
  expect(template.stdout).toMatch(/running gateway applies this within 1 s/);

  const send = () =>
    postJson(`${server!.url}/api/sms/v1/sendsms`, {
      client_id: 'live',
      passcode: client.passcode,
      phone_number: '13800138000',
      templet_id: 'live_t',
      contents: [{ code: '4321' }],
    });
  await within(1000, async () => (await send()).status === 200, 'sendsms with the client and template the CLI added');
});
