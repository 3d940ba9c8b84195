import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { CLI, ROOT, childEnv, freePort, postJson, requireBuild, runCli, startServe, tempDir, type CliResult } from '../support/cli.js';
import { QUERY, SEND } from '../support/api.js';
import { notFinal } from '../support/steady-load.js';

/**
 * Secrets never leave in a log line (at `trace`), an error body or CLI output, except in the one
 * answer that creates them (`client add`, `client rotate`, `client callback`). A run that touches
 * each: a carriers file with a password, the simulator's password, a database URL with a
 * password, passcodes right and wrong, a callback secret in use, the admin token and a console
 * session cookie (logged in, used, refused, logged out). Needs `npm run build`.
 */
const CARRIER_PASSWORD = 'Cw7Kq2Zx';
const SIM_PASSWORD = 'Sp4Rt9Ym';
const DB_PASSWORD = 'DbPw-31f4e9a2';
const ADMIN_TOKEN = 'AdmTok-7c41e0b95d';
const TRACE = { SMSGATE_LOG_LEVEL: 'trace', SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true' };

const temp = tempDir('smsgate-secrets-');
const db = join(temp.dir, 'smsgate.db');

/** Every piece of output of the run, each labelled with where it came from. */
const outputs: { source: string; text: string }[] = [];
function record(source: string, result: CliResult): CliResult {
  outputs.push({ source: `${source} stdout`, text: result.stdout }, { source: `${source} stderr`, text: result.stderr });
  return result;
}

/** `smsgate simulator` alone, until it said it listens; then SIGTERM. */
async function simulatorCommandOutput(): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'simulator', '--json'], {
    env: childEnv({ ...TRACE, SMSGATE_SIM_PORT: '0', SMSGATE_SIM_PASSWORD: SIM_PASSWORD }),
    cwd: ROOT,
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const until = Date.now() + 10_000;
  while (!text.includes('"status"') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGTERM');
  await exited;
  return text;
}

/**
 * The console's login right and wrong, its cookie used, forged, refused for a change without the
 * header, and after a logout; every answer but the login's Set-Cookie (the one that gives it) is
 * recorded. Answers the cookie's value.
 */
async function consoleSession(admin: string): Promise<string> {
  const session = `${admin}/console/session`;
  const login = await fetch(session, { method: 'POST', body: JSON.stringify({ token: ADMIN_TOKEN }) });
  expect(login.status).toBe(204);
  const cookie = /^smsgate_console=([^;]+);/.exec(login.headers.get('set-cookie') ?? '')![1]!;
  const asked: [string, RequestInit][] = [
    [session, { method: 'POST', body: JSON.stringify({ token: `${ADMIN_TOKEN}x` }) }],
    [session, { method: 'POST', body: `{"token":"${ADMIN_TOKEN}"` }], // not JSON
    [session, { method: 'POST', body: JSON.stringify({ token: { nested: ADMIN_TOKEN } }) }],
    [`${admin}/admin/v1/clients`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } }],
    [`${admin}/admin/v1/clients`, { headers: { cookie: `smsgate_console=${cookie}` } }],
    [`${admin}/admin/v1/clients`, { headers: { cookie: `smsgate_console=${cookie}x` } }],
    [`${admin}/admin/v1/clients`, { method: 'POST', body: '{"client_id":"c9"}', headers: { cookie: `smsgate_console=${cookie}` } }],
    [session, { method: 'DELETE', headers: { cookie: `smsgate_console=${cookie}` } }],
    [`${admin}/admin/v1/clients`, { headers: { cookie: `smsgate_console=${cookie}` } }],
  ];
  const statuses: number[] = [];
  for (const [url, init] of asked) {
    const answer = await fetch(url, init);
    statuses.push(answer.status);
    outputs.push({ source: `admin answer ${statuses.length}`, text: (await answer.text()) + JSON.stringify([...answer.headers]) });
  }
  expect(statuses).toEqual([401, 400, 400, 401, 200, 401, 403, 204, 401]);
  return cookie;
}

describe('secrets stay out of logs, error bodies and CLI output', () => {
  let simulator: RunningSimulator;
  let firstPasscode = '';
  let passcode = '';
  let callbackSecret = '';

  beforeAll(async () => {
    requireBuild();
    const added = record('client add', await runCli(['client', 'add', 'c1', '--json'], { ...TRACE, SMSGATE_DB: db }));
    firstPasscode = (JSON.parse(added.stdout) as { passcode: string }).passcode;
    const rotated = record('client rotate', await runCli(['client', 'rotate', 'c1', '--json'], { ...TRACE, SMSGATE_DB: db }));
    passcode = (JSON.parse(rotated.stdout) as { passcode: string }).passcode;
    // Nothing listens there: the gateway's callback tries fail, and are logged, at trace level.
    const callback = record('client callback', await runCli(['client', 'callback', 'c1', '--url', 'http://127.0.0.1:9/cb', '--json'], { ...TRACE, SMSGATE_DB: db }));
    callbackSecret = (JSON.parse(callback.stdout) as { callback_secret: string }).callback_secret;
    record('template add', await runCli(['template', 'add', 't1', '--text', 'code ${code}'], { ...TRACE, SMSGATE_DB: db }));
    simulator = await startSimulator({ port: 0, dlrDelayMs: 20, systemId: 'acct', password: CARRIER_PASSWORD });
  });
  afterAll(async () => {
    await simulator?.close();
    temp.cleanup();
  });

  it('holds over a run at trace level', async () => {
    const carriers = join(temp.dir, 'carriers.json');
    const connection = { name: 'main', host: '127.0.0.1', port: simulator.port, system_id: 'acct', password: CARRIER_PASSWORD };
    writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
    const adminPort = await freePort();
    const server = await startServe({
      ...TRACE,
      SMSGATE_DB: db,
      SMSGATE_CARRIERS: carriers,
      SMSGATE_SIM_PASSWORD: SIM_PASSWORD,
      SMSGATE_ADMIN_TOKEN: ADMIN_TOKEN,
      SMSGATE_ADMIN_PORT: String(adminPort),
    });
    let cookie = '';
    try {
      const send = { client_id: 'c1', templet_id: 't1', contents: [{ code: '1' }] };
      const bodies = [
        { ...send, passcode, phone_number: '13800138000' }, // accepted
        { ...send, passcode: firstPasscode, phone_number: '13800138001' }, // the old passcode: 401
        { ...send, passcode: `${passcode}x`, phone_number: '13800138002' },
        { ...send, passcode, phone_number: 13800138003 }, // wrong type: 400
        { ...send, passcode, templet_id: 'missing', phone_number: '13800138004' },
        { ...send, passcode: { nested: passcode }, phone_number: '13800138005' },
      ];
      const answers = await Promise.all(bodies.map((body) => postJson(`${server.url}${SEND}`, body)));
      answers.push(await postJson(`${server.url}${SEND}`, `{"passcode":"${passcode}", "client_id":`)); // not JSON
      const uid = (answers[0]!.json as { sms_uid: string }).sms_uid;
      answers.push(await postJson(`${server.url}${QUERY}`, { client_id: 'c1', passcode, sms_uid: uid }));
      answers.push(await postJson(`${server.url}${QUERY}`, { client_id: 'c1', passcode: firstPasscode, sms_uid: uid }));
      expect(answers.map((a) => a.status)).toEqual([200, 401, 401, 400, 404, 400, 400, 200, 401]);
      answers.forEach((a, i) => outputs.push({ source: `HTTP answer ${i}`, text: JSON.stringify(a.json) + JSON.stringify([...a.headers]) }));
      expect((await notFinal(server.url, 'c1', passcode, [uid], 10_000)).size).toBe(0); // receipts at trace too
      cookie = await consoleSession(`http://127.0.0.1:${adminPort}`);
      record('client list', await runCli(['client', 'list'], { ...TRACE, SMSGATE_DB: db }));
      record('message show', await runCli(['message', 'show', uid], { ...TRACE, SMSGATE_DB: db }));
    } finally {
      await server.stop('SIGTERM');
      outputs.push({ source: 'serve stdout', text: server.stdout() }, { source: 'serve stderr', text: server.stderr() });
    }
    const pgUrl = `postgres://postgres:${DB_PASSWORD}@127.0.0.1:1/test`; // nothing listens: the error path
    record('client list (PostgreSQL down)', await runCli(['client', 'list'], { ...TRACE, SMSGATE_DATABASE_URL: pgUrl }));
    record('serve (PostgreSQL down)', await runCli(['serve'], { ...TRACE, SMSGATE_DATABASE_URL: pgUrl, SMSGATE_PORT: '0' }));
    outputs.push({ source: 'smsgate simulator', text: await simulatorCommandOutput() });

    expect(outputs.find((o) => o.source === 'serve stderr')!.text.split('\n').length, 'trace logging ran').toBeGreaterThan(5);
    const leaks = (secret: string, allowedIn: readonly string[]): string[] =>
      outputs.filter((o) => o.text.includes(secret) && !allowedIn.includes(o.source)).map((o) => o.source);
    expect({
      firstPasscode: leaks(firstPasscode, ['client add stdout']),
      passcode: leaks(passcode, ['client rotate stdout']),
      carrierPassword: leaks(CARRIER_PASSWORD, []),
      simulatorPassword: leaks(SIM_PASSWORD, []),
      databasePassword: leaks(DB_PASSWORD, []),
      callbackSecret: leaks(callbackSecret, ['client callback stdout']),
      adminToken: leaks(ADMIN_TOKEN, []),
      consoleCookie: leaks(cookie, []),
    }).toEqual({ firstPasscode: [], passcode: [], carrierPassword: [], simulatorPassword: [], databasePassword: [], callbackSecret: [], adminToken: [], consoleCookie: [] });
    expect(cookie).toMatch(/^v1\./);
    expect(callbackSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }, 60_000);
});
