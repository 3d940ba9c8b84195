import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND, UUID, callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let c: Caller;
let n = 0;
const next = () => cnMobile(n++);

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60' });
  [c] = await callersWithT1(gw, 'cookpad_Server_001');
});
afterAll(() => gw.close());

function body(overrides: Record<string, unknown> = {}) {
  return { client_id: c.clientId, passcode: c.passcode, phone_number: next(), templet_id: 't1', contents: [{ p1: '8888' }], ...overrides };
}

describe('POST /api/sms/v1/sendsms: success', () => {
  it('answers 200 with exactly sms_uid (a UUID), status queuing and error_code "0"', async () => {
    const answer = await gw.post(SEND, body());
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(answer.json).sort()).toEqual(['error_code', 'sms_uid', 'status']);
    expect(answer.json.sms_uid).toMatch(UUID);
    expect(answer.json.status).toBe('queuing');
    expect(answer.json.error_code).toBe('0');
  });

  it("accepts the document's sample byte for byte (with its surrounding spaces)", async () => {
    const sample = ` {"client_id":"cookpad_Server_001","passcode":"${c.passcode}","phone_number":"13800138000","templet_id":"t1","contents":[{"p1":"8888"}] }`;
    const answer = await gw.post(SEND, sample);
    expect(answer.status).toBe(200);
    const stored = await gw.store.getMessage(answer.json.sms_uid);
    expect(stored?.text).toBe('Dear Member , your auth code is 8888. The code will expire in 60 seconds. Have a good time! [Cookpad]');
    expect(stored?.phoneNumber).toBe('+8613800138000');
    expect(stored?.clientId).toBe('cookpad_Server_001');
    expect(stored?.templetId).toBe('t1');
  });

  it('has committed the message when it answers 200', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => gw.post(SEND, body())));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      // Read straight from the store, synchronously after the answer: no waiting allowed.
      expect(await gw.store.getMessage(answer.json.sms_uid)).toBeDefined();
    }
  });

  it('gives every send its own sms_uid', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => gw.post(SEND, body())));
    const uids = answers.map((a) => a.json.sms_uid);
    expect(new Set(uids).size).toBe(30);
  });

  it('ignores unknown fields', async () => {
    const answer = await gw.post(SEND, body({ extra: 1, sign: 'x', nested: { a: [1] } }));
    expect(answer.status).toBe(200);
  });
});

describe('POST /api/sms/v1/sendsms: missing or wrongly typed fields are 400 naming the field', () => {
  const fields = ['client_id', 'passcode', 'phone_number', 'templet_id', 'contents'];
  it.each(fields)('missing %s', async (field) => {
    const b: Record<string, unknown> = body();
    delete b[field];
    expectError(await gw.post(SEND, b), 400, new RegExp(field));
  });

  it.each([
    ['client_id', 5],
    ['client_id', null],
    ['passcode', 12345],
    ['passcode', ['x']],
    ['phone_number', 13800138000],
    ['phone_number', { n: '13800138000' }],
    ['templet_id', 1],
    ['templet_id', true],
    ['contents', 8888],
    ['contents', true],
    ['contents', null],
    ['contents', ['8888']],
    ['contents', [[{ p1: '8888' }]]],
  ])('%s = %j', async (field, value) => {
    expectError(await gw.post(SEND, body({ [field]: value })), 400, new RegExp(field));
  });

  it('a body that is not an object', async () => {
    for (const raw of ['[]', '"x"', '5', 'null', 'true']) expectError(await gw.post(SEND, raw), 400);
  });

  it('a rejected send stores nothing and does not hold the number', async () => {
    const phone = next();
    expectError(await gw.post(SEND, body({ phone_number: phone, contents: 5 })), 400);
    expect((await gw.post(SEND, body({ phone_number: phone }))).status).toBe(200);
  });
});
