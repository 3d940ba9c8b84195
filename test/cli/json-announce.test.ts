import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { CLI, childEnv, freePort, startServe, tempDir } from '../support/cli.js';

const tmp = tempDir('smsgate-json-');
afterAll(() => tmp.cleanup());

it('serve --json prints one JSON object once running: the sample on a first start, none after', async () => {
  const env = { SMSGATE_DB: `${tmp.dir}/smsgate.db` };
  const first = await startServe(env, { args: ['--json'] });
  const line = (await first.waitForStdout(/^\{.*\}\n/m, 5_000))[0];
  const announced = JSON.parse(line);
  expect(announced).toMatchObject({ status: 'running', role: 'all', port: first.port, sample: { client_id: 'cookpad_Server_001', templet_id: 't1' } });
  expect(announced.sample.curl).toContain(announced.sample.passcode);
  expect(first.stdout().trim().split('\n')).toHaveLength(1);
  expect(await first.stop()).toBe(0);

  const second = await startServe(env, { args: ['--json'] });
  const again = JSON.parse((await second.waitForStdout(/^\{.*\}\n/m, 5_000))[0]);
  expect(again).toEqual({ status: 'running', role: 'all', port: second.port, admin_port: expect.any(Number), sample: null, admin_token: null });
  expect(await second.stop()).toBe(0);
});

it('simulator --json prints one JSON object once listening', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'simulator', '--json'], { env: childEnv({ SMSGATE_SIM_PORT: String(port), SMSGATE_LOG_LEVEL: 'silent' }) });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await expect.poll(() => out, { timeout: 5_000 }).toMatch(/\n$/);
  expect(JSON.parse(out)).toEqual({ status: 'running', host: '127.0.0.1', port, system_id: 'smsgate' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
