import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePasscode } from '../../src/domain/passcode.js';
import { QUERY, SEND, caller, callersWithT1, cnMobile, expectError, newCaller, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let n = 0;
const next = () => cnMobile(n++, '1370013');

describe('authentication', () => {
  let gw: TestGateway;
  let c: Caller;
  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    [c] = await callersWithT1(gw, 'client-a', 'client-b');
  });
  afterAll(() => gw.close());

  it('the right passcode is accepted', async () => {
    expect((await c.send(next())).status).toBe(200);
  });

  it('unknown client_id and wrong passcode are both 401 with the same answer', async () => {
    const unknown = await caller(gw, 'no-such-client', c.passcode).send(next());
    const wrong = await caller(gw, 'client-a', generatePasscode()).send(next());
    expectError(unknown, 401);
    expectError(wrong, 401);
    expect(unknown.json).toEqual(wrong.json);
    expect(unknown.json.error_message).not.toMatch(/no-such-client/);
  });

  it.each([
    ['lower case', (p: string) => p.toLowerCase()],
    ['without dashes', (p: string) => p.replaceAll('-', '')],
    ['with a trailing space', (p: string) => `${p} `],
    ['one symbol changed', (p: string) => (p.startsWith('A') ? `B${p.slice(1)}` : `A${p.slice(1)}`)],
    ['empty', () => ''],
    ['garbage', () => 'x'],
  ])('a passcode %s is 401', async (_name, change) => {
    expectError(await caller(gw, 'client-a', change(c.passcode)).send(next()), 401);
  });

  it("another client's passcode is 401", async () => {
    expectError(await caller(gw, 'client-b', c.passcode).send(next()), 401);
  });

  it('client_id is exact: another case is an unknown client', async () => {
    expectError(await caller(gw, 'CLIENT-A', c.passcode).send(next()), 401);
  });

  it('a disabled client is 403 on send and query; 401 still wins for a wrong passcode; enabling restores it', async () => {
    const d = await newCaller(gw, 'client-d');
    const sent = await d.send(next());
    expect(sent.status).toBe(200);
    await gw.store.setClientEnabled('client-d', false);
    await gw.gateway.refreshCatalog();
    expectError(await d.send(next()), 403);
    expectError(await d.query(sent.json.sms_uid), 403);
    expectError(await caller(gw, 'client-d', generatePasscode()).send(next()), 401);
    await gw.store.setClientEnabled('client-d', true);
    await gw.gateway.refreshCatalog();
    expect((await d.send(next())).status).toBe(200);
    expect((await d.query(sent.json.sms_uid)).status).toBe(200);
  });

  it('query has the same 401 answers', async () => {
    const sent = await c.send(next());
    const a = await gw.post(QUERY, { client_id: 'client-a', passcode: generatePasscode(), sms_uid: sent.json.sms_uid });
    const b = await gw.post(QUERY, { client_id: 'ghost', passcode: generatePasscode(), sms_uid: sent.json.sms_uid });
    expectError(a, 401);
    expect(a.json).toEqual(b.json);
  });
});

describe('passcodes never reach the logs', () => {
  it('after failed and successful sends and queries, failures and a 500, at log level trace', async () => {
    const log = new PassThrough();
    const lines: string[] = [];
    log.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    let failInserts = false;
    const gw = await startTestGateway(
      { SMSGATE_LOG_LEVEL: 'trace', SMSGATE_PER_NUMBER_INTERVAL_S: '0' },
      {
        logDestination: log,
        wrapStore: (store) =>
          new Proxy(store, {
            get(target, key, receiver) {
              if (key === 'insertMessages' && failInserts) return async () => Promise.reject(new Error('insert failed on purpose'));
              const value = Reflect.get(target, key, receiver);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          }),
      },
    );
    try {
      const [c] = await callersWithT1(gw, 'logged-client');
      const wrongPasscode = generatePasscode();
      expectError(await caller(gw, 'logged-client', wrongPasscode).send(next()), 401);
      expectError(await caller(gw, 'nobody', wrongPasscode).send(next()), 401);
      const ok = await c.send(next());
      expect(ok.status).toBe(200);
      expect((await c.query(ok.json.sms_uid)).status).toBe(200);
      expectError(await gw.post(SEND, `{"client_id":"logged-client","passcode":"${c.passcode}",`), 400);
      expectError(await c.send('not a number'), 400);
      failInserts = true;
      expectError(await c.send(next()), 500);
      failInserts = false;
      await c.waitFor(ok.json.sms_uid, 'delivered');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = lines.join('');
      // The capture works: the 500 was logged, with its cause.
      expect(text).toMatch(/insert failed on purpose/);
      for (const secret of [c.passcode, wrongPasscode]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.replaceAll('-', ''));
      }
    } finally {
      await gw.close();
    }
  });
});
