import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { QUERY, SEND, callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

/** A raw HTTP request: any method, any (or no) Content-Type. */
function raw(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any; text: string }>((resolve, reject) => {
    const all = body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers };
    const req = request({ host: '127.0.0.1', port, method, path, headers: all, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let failInserts = false;
let failReads = false;
function failingStore(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'insertMessages' && failInserts) return async () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
      if (key === 'getMessage' && failReads) return async () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

let gw: TestGateway;
let c: Caller;
let n = 0;
const next = () => cnMobile(n++, '1310013');
const validBody = () => JSON.stringify({ client_id: 'c', passcode: c.passcode, phone_number: next(), templet_id: 't1', contents: [{ p1: '8888' }] });

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60' }, { wrapStore: failingStore });
  [c] = await callersWithT1(gw, 'c');
});
afterAll(() => gw.close());

describe('body size', () => {
  it('a body over 16 KiB is 413 as JSON', async () => {
    const big = JSON.stringify({ ...JSON.parse(validBody()), padding: 'x'.repeat(17 * 1024) });
    expectError(await gw.post(SEND, big), 413);
    expectError(await gw.post(QUERY, big), 413);
  });
  it('a body just under 16 KiB is read', async () => {
    const body = JSON.parse(validBody());
    const padded = JSON.stringify({ ...body, padding: 'x'.repeat(16 * 1024 - JSON.stringify(body).length - 20) });
    expect(Buffer.byteLength(padded)).toBeLessThan(16 * 1024);
    expect((await gw.post(SEND, padded)).status).toBe(200);
  });
  it('413 also when the length is not announced (chunked)', async () => {
    const res = await fetch(`${gw.url}${SEND}`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error_code).toBe('413');
  });
});

describe('the body is JSON whatever the Content-Type says', () => {
  it.each([
    ['application/x-www-form-urlencoded (curl -d)', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain; charset=utf-8'],
    ['application/json', 'application/json'],
    ['something odd', 'application/octet-stream'],
  ])('%s', async (_name, type) => {
    const answer = await raw(gw.port, 'POST', SEND, validBody(), { 'content-type': type });
    expect(answer.status, answer.text).toBe(200);
  });
  it('no Content-Type at all', async () => {
    const answer = await raw(gw.port, 'POST', SEND, validBody());
    expect(answer.headers['content-type']).toMatch(/json/);
    expect(answer.status, answer.text).toBe(200);
  });
  it('querysms too', async () => {
    const sent = await c.send(next());
    const answer = await raw(gw.port, 'POST', QUERY, JSON.stringify({ client_id: 'c', passcode: c.passcode, sms_uid: sent.json.sms_uid }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(200);
    expect(answer.json.sms_uid).toBe(sent.json.sms_uid);
  });
});

describe('malformed requests are 400 as JSON', () => {
  it.each([
    ['truncated JSON', '{"client_id":"c",'],
    ['a form body', 'client_id=c&passcode=x'],
    ['an empty body', ''],
    ['single quotes', "{'client_id':'c'}"],
  ])('%s', async (_name, body) => {
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      const answer = await raw(gw.port, 'POST', SEND, body, { 'content-type': type });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error_code: '400' });
      expect(answer.json.error_message).toEqual(expect.any(String));
    }
  });
  it('no body and no Content-Type', async () => {
    const answer = await raw(gw.port, 'POST', SEND);
    expect(answer.status).toBe(400);
    expect(answer.json.error_code).toBe('400');
  });
});

describe('other methods are 405, unknown paths 404, both as JSON', () => {
  for (const path of [SEND, QUERY]) {
    it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(`%s ${path} with a JSON body is 405`, async (method) => {
      const answer = await raw(gw.port, method, path, validBody(), { 'content-type': 'application/json' });
      expect(answer.status).toBe(405);
      expect(answer.json).toEqual({ error_code: '405', error_message: expect.any(String) });
      expect(answer.headers.allow).toBe('POST');
    });
  }
  it.each(['GET', 'DELETE', 'TRACE'])('%s without a body is 405', async (method) => {
    const answer = await raw(gw.port, method, SEND);
    expect(answer.status).toBe(405);
    expect(answer.json.error_code).toBe('405');
  });
  it.each(['PUT', 'DELETE', 'PATCH'])('%s with a malformed body is still 405, not 400', async (method) => {
    const answer = await raw(gw.port, method, SEND, '{not json', { 'content-type': 'application/json' });
    expect(answer.status).toBe(405);
    expect(answer.json.error_code).toBe('405');
  });
  it.each(['SEARCH', 'PROPFIND'])('a method the router does not know (%s) on an API path is 405', async (method) => {
    const answer = await raw(gw.port, method, QUERY, validBody());
    expect(answer.status).toBe(405);
    expect(answer.json.error_code).toBe('405');
  });
  it('HEAD is 405 (no body)', async () => {
    const answer = await raw(gw.port, 'HEAD', SEND);
    expect(answer.status).toBe(405);
  });
  it('a query string does not change the route', async () => {
    expect((await raw(gw.port, 'POST', `${SEND}?x=1`, validBody())).status).toBe(200);
    expect((await raw(gw.port, 'GET', `${SEND}?x=1`)).status).toBe(405);
  });
  it.each([
    ['GET', '/'],
    ['GET', '/api/sms/v1'],
    ['POST', '/api/sms/v1/sendSms'],
    ['POST', '/api/sms/v2/sendsms'],
    ['POST', `${SEND}/`],
    ['POST', `${SEND}/extra`],
    ['DELETE', '/nope'],
  ])('%s %s is 404', async (method, path) => {
    const answer = await raw(gw.port, method, path, method === 'POST' ? validBody() : undefined);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error_code: '404', error_message: expect.any(String) });
  });
  it('an unknown path is 404 even when its body is malformed', async () => {
    const answer = await raw(gw.port, 'POST', '/api/sms/v1/nothing', '{not json', { 'content-type': 'application/json' });
    expect(answer.status).toBe(404);
    expect(answer.json.error_code).toBe('404');
  });
});

describe('500: the store fails', () => {
  it('a failing commit is a JSON 500, does not hold the number, and the server keeps serving', async () => {
    const phone = next();
    const earlier = await c.send(next());
    expect(earlier.status).toBe(200);
    failInserts = true;
    let failed;
    try {
      failed = await c.send(phone);
    } finally {
      failInserts = false;
    }
    expectError(failed, 500);
    expect(failed.json.error_message).not.toMatch(/SQLITE|disk/);
    // nothing of it was stored: the query API knows only the earlier message
    expect((await c.query(earlier.json.sms_uid)).status).toBe(200);
    const retry = await c.send(phone);
    expect(retry.status).toBe(200);
    await c.waitFor(retry.json.sms_uid, 'delivered');
  });

  it('a failing read is a JSON 500 on querysms, and the next query works', async () => {
    const sent = await c.send(next());
    failReads = true;
    let failed;
    try {
      failed = await c.query(sent.json.sms_uid);
    } finally {
      failReads = false;
    }
    expectError(failed, 500);
    expect((await c.query(sent.json.sms_uid)).status).toBe(200);
  });

  it('a closed database is a JSON 500 on every send and query, and the process keeps answering', async () => {
    const other = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    try {
      const [d] = await callersWithT1(other, 'd');
      const sent = await d.send('13100131000');
      expect(sent.status).toBe(200);
      await other.store.close();
      for (let i = 0; i < 3; i += 1) {
        expectError(await d.send('13100131000'), 500);
        expectError(await d.query(sent.json.sms_uid), 500);
      }
    } finally {
      await other.close().catch(() => {});
    }
  });
});
