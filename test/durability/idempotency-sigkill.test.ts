import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { SEND } from '../support/api.js';
import { requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';

const tmp = tempDir('smsgate-idem-kill-');
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});
afterAll(() => tmp.cleanup());

async function sendWithKey(url: string, passcode: string, key: string, code = '1234') {
  const response = await fetch(`${url}${SEND}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ client_id: 'c1', passcode, phone_number: '13800138000', templet_id: 't1', contents: [{ code }] }),
  });
  return { status: response.status, json: (await response.json()) as { sms_uid?: string; error_message?: string } };
}

it('a key outlives kill -9: after the restart the same send gets the same sms_uid, another send 422', async () => {
  requireBuild();
  const env = { SMSGATE_DB: join(tmp.dir, 'idem.db'), SMSGATE_LOG_LEVEL: 'warn' };
  const { passcode } = await runJson(['client', 'add', 'c1'], env);
  await runJson(['template', 'add', 't1', '--text', 'code ${code}'], env);

  const first = await startServe(env);
  running.push(first);
  const accepted = await sendWithKey(first.url, passcode, 'before-the-crash');
  expect(accepted.status).toBe(200);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  const second = await startServe(env);
  running.push(second);
  const again = await sendWithKey(second.url, passcode, 'before-the-crash');
  expect(again.status, JSON.stringify(again.json)).toBe(200);
  expect(again.json.sms_uid).toBe(accepted.json.sms_uid);
  const other = await sendWithKey(second.url, passcode, 'before-the-crash', '9999');
  expect(other.status).toBe(422);
}, 60_000);
