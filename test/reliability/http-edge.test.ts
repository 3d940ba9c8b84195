import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY, SEND, callersWithT1, cnMobile, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { rawExchange, requestText, type RawAnswer } from './http-raw.js';

/**
 * Every answer at the HTTP edge, including those Node or Fastify would give in their own shape,
 * carries the gateway's JSON error body; each case over a raw TCP socket, as an attacker sends it.
 */
let gw: TestGateway;
let c: Caller;
let n = 0;
let logs = '';
const sendBody = () => JSON.stringify({ client_id: 'c', passcode: c.passcode, phone_number: cnMobile(n++, '1360013'), templet_id: 't1', contents: [{ p1: '8888' }] });

beforeAll(async () => {
  gw = await startTestGateway({
    SMSGATE_PER_NUMBER_INTERVAL_S: '0',
    SMSGATE_HTTP_HEADERS_TIMEOUT_MS: '300',
    SMSGATE_HTTP_REQUEST_TIMEOUT_MS: '600',
    SMSGATE_HTTP_MAX_HEADERS: '50',
    SMSGATE_HTTP_MAX_HEADER_BYTES: '8192',
    SMSGATE_HTTP_MAX_BODY_BYTES: '2048',
    SMSGATE_LOG_LEVEL: 'info',
  }, { logDestination: { write: (line: string) => void (logs += line) } });
  [c] = await callersWithT1(gw, 'c');
});
afterAll(() => gw.close());

function expectOurError(answer: RawAnswer, status: number): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.json).toEqual({ error_code: String(status), error_message: expect.any(String) });
  expect(answer.json.error_message.length).toBeGreaterThan(0);
}

describe('what Node or Fastify used to answer in their own shape', () => {
  it('a path the router cannot decode (POST /%) is 400', async () => {
    const answer = await rawExchange(gw.port, [requestText('POST', '/%', sendBody())], { responses: 1 });
    expectOurError(answer, 400);
  });

  it.each([
    ['a bad request line', 'HELLO\r\n\r\n'],
    ['a request line without a version', 'POST /api/sms/v1/sendsms\r\n\r\n'],
    ['a header without a colon', 'POST /api/sms/v1/sendsms HTTP/1.1\r\nHost x\r\n\r\n'],
    ['binary noise', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'],
    ['a negative Content-Length', 'POST /api/sms/v1/sendsms HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
  ])('%s is 400 and the connection closes', async (_name, bytes) => {
    const answer = await rawExchange(gw.port, [bytes]);
    expectOurError(answer, 400);
    expect(answer.closed).toBe(true);
  });

  it('CONNECT is answered (405), not dropped', async () => {
    const answer = await rawExchange(gw.port, ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
    expectOurError(answer, 405);
    expect(answer.closed).toBe(true);
  });

  it('headers larger than SMSGATE_HTTP_MAX_HEADER_BYTES are 431', async () => {
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, sendBody(), [`X-Big: ${'a'.repeat(9000)}`])]);
    expectOurError(answer, 431);
  });

  it('1,000 header lines before Content-Length are 431, not a body that vanished (400)', async () => {
    // 5 bytes each: within SMSGATE_HTTP_MAX_HEADER_BYTES, so only their number is wrong.
    const many = Array.from({ length: 1000 }, () => 'h:1');
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, sendBody(), many)]);
    expectOurError(answer, 431);
    // Node 20 reads the lines and we count them; Node 24's parser stops first on their size.
    expect(answer.json.error_message).toMatch(/50 header lines|headers are too large/);
  });

  it('exactly SMSGATE_HTTP_MAX_HEADERS header lines are still served', async () => {
    // Host and Content-Length are two of them.
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, sendBody(), Array.from({ length: 48 }, (_, i) => `X-H${i}: 1`))], { responses: 1 });
    expect(answer.status, answer.text).toBe(200);
  });

  it('a body over SMSGATE_HTTP_MAX_BODY_BYTES is 413 and says the limit', async () => {
    const big = JSON.stringify({ ...JSON.parse(sendBody()), padding: 'x'.repeat(3000) });
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, big)]);
    expectOurError(answer, 413);
    expect(answer.json.error_message).toMatch(/2 KiB/);
  });
});

describe('slow requests are timed out with a 408 (slowloris)', () => {
  it('headers trickled slower than SMSGATE_HTTP_HEADERS_TIMEOUT_MS', async () => {
    const trickle = ['POST /api/sms/v1/sendsms HTTP/1.1\r\n', ...Array.from({ length: 40 }, () => [100, 'X']).flat()];
    const answer = await rawExchange(gw.port, trickle, { waitMs: 3000 });
    expectOurError(answer, 408);
    expect(answer.closed).toBe(true);
    expect(answer.elapsedMs).toBeLessThan(1500);
  });

  it('a connection that sends nothing', async () => {
    const answer = await rawExchange(gw.port, [], { waitMs: 3000 });
    expectOurError(answer, 408);
    expect(answer.elapsedMs).toBeLessThan(1500);
  });

  it('a Content-Length larger than the bytes sent', async () => {
    const body = sendBody();
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, body, [], Buffer.byteLength(body) + 100)], { waitMs: 3000 });
    expectOurError(answer, 408);
    expect(answer.closed).toBe(true);
    expect(answer.elapsedMs).toBeLessThan(2000);
  });

  it('a body trickled one byte at a time past SMSGATE_HTTP_REQUEST_TIMEOUT_MS', async () => {
    const body = sendBody();
    const bytes = [requestText('POST', SEND, '', [], Buffer.byteLength(body)), ...[...body].flatMap((ch) => [100, ch])];
    const answer = await rawExchange(gw.port, bytes, { waitMs: 3000 });
    expectOurError(answer, 408);
    expect(answer.elapsedMs).toBeLessThan(2000);
  });

  it('the operator sees them counted in the log, at most a line a second', async () => {
    await Promise.all(Array.from({ length: 20 }, () => rawExchange(gw.port, [], { waitMs: 3000 })));
    const lines = logs.split('\n').filter((line) => line.includes('did not send their request in time'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThan(10);
  });

  it('a request that takes its time in the handler is not cut off by the request timeout', async () => {
    // Receiving is bounded; the answer to a send that was received is always given.
    const sent = await c.send(cnMobile(n++, '1360013'));
    expect(sent.status).toBe(200);
    await new Promise((r) => setTimeout(r, 700)); // a keep-alive connection idle past the request timeout
    expect((await c.query(sent.json.sms_uid)).status).toBe(200);
  });
});

describe('a client that half-closes after sending its request', () => {
  it('is answered, and the send is stored once', async () => {
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, sendBody(), ['Content-Type: application/json'])], { end: true });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ status: 'queuing', error_code: '0' });
    expect((await c.query(answer.json.sms_uid)).status).toBe(200);
  });

  it('with a body cut short is told so (400), not left waiting', async () => {
    const body = sendBody();
    const answer = await rawExchange(gw.port, [requestText('POST', SEND, body.slice(0, 20), [], Buffer.byteLength(body))], { end: true });
    expectOurError(answer, 400);
  });
});

describe('no framework banner', () => {
  it.each([
    ['a 200', () => requestText('POST', SEND, sendBody())],
    ['a 404', () => requestText('GET', '/nothing')],
    ['a 400 from the parser', () => 'HELLO\r\n\r\n'],
    ['a 408', () => ''],
  ])('%s names no server or framework', async (_name, request) => {
    const answer = await rawExchange(gw.port, [request()].filter(Boolean), { waitMs: 2000, responses: 1 });
    expect(answer.status).toBeDefined();
    for (const header of ['server', 'x-powered-by', 'x-aspnet-version', 'x-runtime']) expect(answer.headers[header]).toBeUndefined();
    expect(answer.text).not.toMatch(/fastify|node\.js|express/i);
  });
});

describe('ordinary clients see no change', () => {
  it('keep-alive still serves several requests on one connection', async () => {
    const first = requestText('POST', SEND, sendBody());
    const second = requestText('POST', QUERY, JSON.stringify({ client_id: 'c', passcode: c.passcode, sms_uid: 'nope' }));
    const answer = await rawExchange(gw.port, [first, 50, second], { responses: 2 });
    expect(answer.text.match(/HTTP\/1\.1 \d{3}/g), answer.text).toEqual(['HTTP/1.1 200', 'HTTP/1.1 404']);
  });
});
