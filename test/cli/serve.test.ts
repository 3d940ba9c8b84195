import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PASSCODE_SHAPE, postJson, runCli, runJson, startServe, tempDir, within, type ServeProcess } from '../support/cli.js';
import { describeIfPostgres } from '../support/services.js';
import { withSchema } from '../store/postgres-schema.js';

const SEND = '/api/sms/v1/sendsms';
const QUERY = '/api/sms/v1/querysms';
const T1_BODY = 'Dear Member , your auth code is ${code}. The code will expire in 60 seconds. Have a good time! [Cookpad]';

const tmp = tempDir('smsgate-serve-');
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});
afterAll(() => tmp.cleanup());

async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const server = await startServe(env);
  running.push(server);
  return server;
}

describe('smsgate serve: first start', () => {
  const DB = join(tmp.dir, 'first', 'data', 'smsgate.db');

  it('creates the sample client and template and prints a curl that works as printed', async () => {
    const server = await serve({ SMSGATE_DB: DB, SMSGATE_LOG_LEVEL: 'debug' });
    const [, url, body] = await server.waitForStdout(/curl -s (\S+\/api\/sms\/v1\/sendsms) -d '([^']+)'/);
    const [, queryUrl, queryBody] = await server.waitForStdout(/curl -s (\S+\/api\/sms\/v1\/querysms) -d '([^']+)'/);
    expect(url).toBe(`${server.url}${SEND}`);
    expect(queryUrl).toBe(`${server.url}${QUERY}`);
    const sample = JSON.parse(body!);
    expect(sample).toMatchObject({ client_id: 'cookpad_Server_001', phone_number: '13800138000', templet_id: 't1', contents: [{ p1: '8888' }] });
    expect(sample.passcode).toMatch(PASSCODE_SHAPE);
    expect(server.stdout()).toContain(`cookpad_Server_001`);

    // curl -d sends a form content type; the body is read as JSON anyway.
    const sent = await postJson(url!, body!, 'application/x-www-form-urlencoded');
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ status: 'queuing', error_code: '0' });
    const query = queryBody!.replace('<sms_uid>', sent.json.sms_uid);
    await within(5000, async () => (await postJson(queryUrl!, query, 'application/x-www-form-urlencoded')).json.status === 'delivered', 'delivered');

    // message show: the rendered text of the sample, its number, client, status and times
    const shown = await runJson(['message', 'show', sent.json.sms_uid], { SMSGATE_DB: DB });
    expect(shown).toMatchObject({
      sms_uid: sent.json.sms_uid,
      client_id: 'cookpad_Server_001',
      templet_id: 't1',
      phone_number: '+8613800138000',
      text: 'Dear Member , your auth code is 8888. The code will expire in 60 seconds. Have a good time! [Cookpad]',
      status: 'delivered',
      error_code: '0',
    });
    for (const key of ['queued_at', 'sent_at', 'done_at']) expect(shown[key]).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The passcode is on stdout once, for the operator, and never in the logs.
    expect(server.stderr()).toMatch(/listening/);
    expect(server.stderr()).not.toContain(sample.passcode);
    const templates = await runJson(['template', 'list'], { SMSGATE_DB: DB });
    expect(templates.templates).toEqual([{ templet_id: 't1', text: T1_BODY, client_id: null }]);

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.stderr()).not.toContain(sample.passcode);
  });

  it('a second start on the same database prints no banner and keeps the sample passcode', async () => {
    const server = await serve({ SMSGATE_DB: DB });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.stdout()).not.toMatch(/first start|passcode|curl/);
    const clients = await runJson(['client', 'list'], { SMSGATE_DB: DB });
    expect(clients.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['cookpad_Server_001']);
  });

  it('no sample banner when the database already has a client (the admin token is still made once)', async () => {
    const db = join(tmp.dir, 'preset.db');
    await runJson(['client', 'add', 'own-client'], { SMSGATE_DB: db });
    const server = await serve({ SMSGATE_DB: db });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.stdout()).not.toMatch(/sendsms|passcode/);
    expect(server.stdout()).toMatch(/admin token: sgadm_/);
    const clients = await runJson(['client', 'list'], { SMSGATE_DB: db });
    expect(clients.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['own-client']);
  });
});

describe('CLI changes reach the running server within 1 second', () => {
  it('client add, template add --client, disable, enable, rotate, template remove', async () => {
    const DB = join(tmp.dir, 'live.db');
    const env = { SMSGATE_DB: DB };
    const server = await serve({ ...env, SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    const sample = JSON.parse((await server.waitForStdout(/sendsms -d '([^']+)'/))[1]!);
    let n = 0;
    const send = (clientId: string, passcode: string, templetId = 't1') =>
      postJson(`${server.url}${SEND}`, {
        client_id: clientId,
        passcode,
        phone_number: `1380013${String(n++).padStart(4, '0')}`,
        templet_id: templetId,
        contents: [{ p1: '1' }],
      });
    const statusIs = (expected: number, clientId: string, passcode: string, templetId?: string) => async () =>
      (await send(clientId, passcode, templetId)).status === expected;

    const added = await runJson(['client', 'add', 'live'], env);
    expect(await within(1000, statusIs(200, 'live', added.passcode), 'client add')).toBeLessThanOrEqual(1000);

    await runJson(['template', 'add', 'private', '--text', 'Private ${code}', '--client', 'live'], env);
    await within(1000, statusIs(200, 'live', added.passcode, 'private'), 'template add --client (owner)');
    expect((await send(sample.client_id, sample.passcode, 'private')).status).toBe(403);

    await runJson(['client', 'disable', 'live'], env);
    await within(1000, statusIs(403, 'live', added.passcode), 'client disable');

    await runJson(['client', 'enable', 'live'], env);
    await within(1000, statusIs(200, 'live', added.passcode), 'client enable');

    const rotated = await runJson(['client', 'rotate', 'live'], env);
    await within(1000, statusIs(401, 'live', added.passcode), 'client rotate: old passcode refused');
    expect((await send('live', rotated.passcode)).status).toBe(200);

    await runJson(['template', 'remove', 'private'], env);
    await within(1000, statusIs(404, 'live', rotated.passcode, 'private'), 'template remove');

    // The sample client was never disturbed.
    expect((await send(sample.client_id, sample.passcode)).status).toBe(200);
    expect(server.stderr()).not.toContain(rotated.passcode);
    expect(server.stderr()).not.toContain(added.passcode);
  });
});

describe('settings', () => {
  it('SMSGATE_DB defaults to ./data/smsgate.db, its folder created', async () => {
    const cwd = join(tmp.dir, 'default-db');
    mkdirSync(cwd);
    const server = await startServe({}, { cwd });
    running.push(server);
    await server.waitForStdout(/curl/);
    expect(existsSync(join(cwd, 'data', 'smsgate.db'))).toBe(true);
  });

  it('SMSGATE_PORT is where it listens; an invalid setting stops serve with exit 2', async () => {
    const bad = await runCli(['serve'], { SMSGATE_DB: join(tmp.dir, 'bad.db'), SMSGATE_PORT: 'eighty' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SMSGATE_PORT/);
  });
});

await describeIfPostgres('smsgate serve on PostgreSQL: the sample client only when asked (--sample)', (postgresUrl) => {
  const schemas: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin.end();
    }
  });
  const freshDatabase = async () => {
    const schema = `smsgate_serve_${randomUUID().replaceAll('-', '')}`;
    schemas.push(schema);
    return withSchema(postgresUrl, schema);
  };
  const clientIds = async (url: string) =>
    (await runJson(['client', 'list'], { SMSGATE_DATABASE_URL: url })).clients.map((c: { client_id: string }) => c.client_id);
  // SMSGATE_DB still places the embedded simulator's journal: keep it out of the checkout.
  const startOn = async (url: string, args: string[]) => {
    const server = await startServe({ SMSGATE_DATABASE_URL: url, SMSGATE_DB: join(tmp.dir, `${randomUUID()}.db`) }, { args: ['--json', ...args] });
    running.push(server);
    return JSON.parse((await server.waitForStdout(/^\{.*\}$/m))[0]);
  };

  it('creates no sample client on an empty database by default', async () => {
    const url = await freshDatabase();
    expect(await startOn(url, [])).toMatchObject({ status: 'running', sample: null });
    expect(await clientIds(url)).toEqual([]);
  });

  it('creates it with --sample, and the printed passcode works', async () => {
    const url = await freshDatabase();
    const started = await startOn(url, ['--sample']);
    expect(started.sample).toMatchObject({ client_id: 'cookpad_Server_001', templet_id: 't1' });
    expect(started.sample.passcode).toMatch(PASSCODE_SHAPE);
    expect(await clientIds(url)).toEqual(['cookpad_Server_001']);
    const sent = await postJson(`http://127.0.0.1:${started.port}${SEND}`, {
      client_id: 'cookpad_Server_001',
      passcode: started.sample.passcode,
      phone_number: '13800138000',
      templet_id: 't1',
      contents: [{ p1: '1' }],
    });
    expect(sent.status).toBe(200);
  });
});
