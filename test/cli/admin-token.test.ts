import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli, runJson, startServe, tempDir } from '../support/cli.js';

const tmp = tempDir('smsgate-admin-token-');
afterAll(() => tmp.cleanup());

const clients = (adminPort: number, token: string) =>
  fetch(`http://127.0.0.1:${adminPort}/admin/v1/clients`, { headers: { authorization: `Bearer ${token}` } });

it('the first start prints a generated admin token once, stored as a hash; rotate replaces it at once', async () => {
  const env = { SMSGATE_DB: join(tmp.dir, 'smsgate.db') };
  const server = await startServe(env, { args: ['--json'] });
  try {
    const announced = JSON.parse((await server.waitForStdout(/^\{.*\}\n/m, 5_000))[0]);
    expect(announced.admin_port).toEqual(expect.any(Number));
    expect(announced.admin_token).toMatch(/^sgadm_[\w-]{43}$/);
    const first = announced.admin_token as string;
    expect(server.stderr()).not.toContain(first);

    const listed = await clients(announced.admin_port, first);
    expect(listed.status).toBe(200);
    expect((await listed.json()).clients.map((c: { client_id: string }) => c.client_id)).toEqual(['cookpad_Server_001']);
    expect((await clients(announced.admin_port, 'sgadm_guess')).status).toBe(401);

    const rotated = await runJson(['admin', 'token', 'rotate'], env);
    expect(rotated.admin_token).toMatch(/^sgadm_/);
    expect(rotated.admin_token).not.toBe(first);
    // The running gateway takes the new one at once, and the old one no longer works.
    expect((await clients(announced.admin_port, rotated.admin_token)).status).toBe(200);
    expect((await clients(announced.admin_port, first)).status).toBe(401);
  } finally {
    await server.stop();
  }
  // A second start makes no new token and prints none.
  const again = await startServe(env, { args: ['--json'] });
  try {
    expect(JSON.parse((await again.waitForStdout(/^\{.*\}\n/m, 5_000))[0]).admin_token).toBeNull();
  } finally {
    await again.stop();
  }
});

it('SMSGATE_ADMIN_TOKEN is the token: nothing generated, and rotate says to change it there', async () => {
  const env = { SMSGATE_DB: join(tmp.dir, 'own.db'), SMSGATE_ADMIN_TOKEN: 'my-own-admin-token' };
  const server = await startServe(env, { args: ['--json'] });
  try {
    const announced = JSON.parse((await server.waitForStdout(/^\{.*\}\n/m, 5_000))[0]);
    expect(announced.admin_token).toBeNull();
    expect((await clients(announced.admin_port, 'my-own-admin-token')).status).toBe(200);
  } finally {
    await server.stop();
  }
  const refused = await runCli(['admin', 'token', 'rotate'], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('SMSGATE_ADMIN_TOKEN is set');
});

it('the banner shows the admin token beside the sample passcode, with a curl that uses it', async () => {
  const server = await startServe({ SMSGATE_DB: join(tmp.dir, 'banner.db') });
  try {
    const [, token] = (await server.waitForStdout(/admin token: (sgadm_\S+)/, 5_000)) as RegExpMatchArray;
    expect(server.stdout()).toMatch(/passcode: /);
    expect(server.stdout()).toContain(`curl -s -H 'Authorization: Bearer ${token}' http://127.0.0.1:`);
  } finally {
    await server.stop();
  }
});
