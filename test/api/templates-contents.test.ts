import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND, T1_BODY, callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let a: Caller;
let b: Caller;
let n = 0;
const next = () => cnMobile(n++, '1360013');

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60' });
  [a, b] = await callersWithT1(gw, 'client-a', 'client-b');
  await gw.addTemplate('two', 'Hi ${name}, code ${code}. Bye ${name}.');
  await gw.addTemplate('plain', 'No placeholders here.');
  await gw.addTemplate('a-only', 'Private to A: ${code}', 'client-a');
});
afterAll(() => gw.close());

async function textOf(answer: { status: number; json: any }): Promise<string | undefined> {
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return (await gw.store.getMessage(answer.json.sms_uid))?.text;
}

describe('contents: accepted forms', () => {
  it("the document's form [{\"p1\":\"8888\"}]", async () => {
    expect(await textOf(await a.send(next(), 't1', [{ p1: '8888' }]))).toBe(T1_BODY.replace('${code}', '8888'));
  });
  it('pN is the N-th distinct placeholder in order of first appearance', async () => {
    expect(await textOf(await a.send(next(), 'two', [{ p1: 'Tom', p2: '1234' }]))).toBe('Hi Tom, code 1234. Bye Tom.');
  });
  it('a placeholder by its own name', async () => {
    expect(await textOf(await a.send(next(), 'two', [{ code: '1234', name: 'Tom' }]))).toBe('Hi Tom, code 1234. Bye Tom.');
  });
  it("the array's objects are merged", async () => {
    expect(await textOf(await a.send(next(), 'two', [{ p1: 'Tom' }, { code: '1234' }]))).toBe('Hi Tom, code 1234. Bye Tom.');
  });
  it('a single object', async () => {
    expect(await textOf(await a.send(next(), 't1', { p1: '8888' }))).toContain('auth code is 8888.');
  });
  it('a string holding the JSON (the table says String)', async () => {
    expect(await textOf(await a.send(next(), 't1', '[{"p1":"8888"}]'))).toContain('auth code is 8888.');
    expect(await textOf(await a.send(next(), 't1', '{"code":"8888"}'))).toContain('auth code is 8888.');
  });
  it('a number value', async () => {
    expect(await textOf(await a.send(next(), 't1', [{ p1: 8888 }]))).toContain('auth code is 8888.');
  });
  it('a value of exactly 64 characters', async () => {
    expect(await textOf(await a.send(next(), 't1', [{ p1: 'x'.repeat(64) }]))).toContain(`is ${'x'.repeat(64)}.`);
  });
  it('values are inserted literally: ${x} in a value is not expanded again', async () => {
    expect(await textOf(await a.send(next(), 'two', [{ p1: '${code}', p2: '$&' }]))).toBe('Hi ${code}, code $&. Bye ${code}.');
  });
  it('a template without placeholders takes empty contents', async () => {
    expect(await textOf(await a.send(next(), 'plain', []))).toBe('No placeholders here.');
  });
});

describe('contents: invalid is 400 (and does not hold the number)', () => {
  it.each([
    ['a missing value', 'two', [{ p1: 'Tom' }]],
    ['no values at all', 't1', []],
    ['an unknown key', 't1', [{ p1: '8888', p2: 'x' }]],
    ['an unknown named key', 't1', [{ code: '8888', extra: 'x' }]],
    ['a boolean value', 't1', [{ p1: true }]],
    ['a null value', 't1', [{ p1: null }]],
    ['an object value', 't1', [{ p1: { v: 1 } }]],
    ['an array value', 't1', [{ p1: ['8888'] }]],
    ['a value of 65 characters', 't1', [{ p1: 'x'.repeat(65) }]],
    ['a newline in a value', 't1', [{ p1: '88\n88' }]],
    ['a tab in a value', 't1', [{ p1: '88\t88' }]],
    ['an escape character in a value', 't1', [{ p1: '\u001b[31m' }]],
    ['a string that is not JSON', 't1', 'p1=8888'],
    ['a string holding a number', 't1', '8888'],
    ['a key given twice', 't1', [{ p1: '1' }, { p1: '2' }]],
  ])('%s', async (_name, templetId, contents) => {
    const phone = next();
    expectError(await a.send(phone, templetId, contents), 400, /contents/);
    expect((await a.send(phone, 't1', [{ p1: '8888' }])).status).toBe(200);
  });
});

describe('templates: who may use which', () => {
  it('an unknown templet_id is 404', async () => {
    expectError(await a.send(next(), 'no-such-template'), 404);
  });
  it('a template without a client is usable by every client', async () => {
    expect((await a.send(next(), 't1')).status).toBe(200);
    expect((await b.send(next(), 't1')).status).toBe(200);
  });
  it('a client-only template is usable by its client and 403 for another', async () => {
    expect((await a.send(next(), 'a-only', [{ p1: '1' }])).status).toBe(200);
    expectError(await b.send(next(), 'a-only', [{ p1: '1' }]), 403);
  });
  it('templet_id is checked before contents: 404 for an unknown template even with bad contents', async () => {
    expectError(await a.send(next(), 'no-such-template', [{ zzz: true }]), 404);
  });
  it('a removed template is 404 at once after the catalog reloads', async () => {
    await gw.addTemplate('temp', 'x ${v}');
    expect((await a.send(next(), 'temp', [{ p1: '1' }])).status).toBe(200);
    await gw.store.removeTemplate('temp');
    await gw.gateway.refreshCatalog();
    expectError(await a.send(next(), 'temp', [{ p1: '1' }]), 404);
  });
  it('the 200 answer does not depend on how contents was written', async () => {
    const raw = `{"client_id":"client-a","passcode":"${a.passcode}","phone_number":"${next()}","templet_id":"t1","contents":"[{\\"p1\\":\\"8888\\"}]"}`;
    const answer = await gw.post(SEND, raw);
    expect(answer.status).toBe(200);
  });
});
