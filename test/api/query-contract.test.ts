import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY, callersWithT1, cnMobile, expectError, statusRank, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let a: Caller;
let b: Caller;
let n = 0;
const next = () => cnMobile(n++, '1390013');

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60', SMSGATE_SIM_DLR_MS: '50' });
  [a, b] = await callersWithT1(gw, 'client-a', 'client-b');
});
afterAll(() => gw.close());

describe('POST /api/sms/v1/querysms', () => {
  it('answers exactly sms_uid, status and error_code for the message as it is now', async () => {
    const sent = await a.send(next());
    const answer = await a.query(sent.json.sms_uid);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(['error_code', 'sms_uid', 'status']);
    expect(answer.json.sms_uid).toBe(sent.json.sms_uid);
    expect(['queuing', 'sent', 'delivered']).toContain(answer.json.status);
    expect(answer.json.error_code).toBe('0');
    await a.waitFor(sent.json.sms_uid, 'delivered');
    const later = await a.query(sent.json.sms_uid);
    expect(later.json).toEqual({ sms_uid: sent.json.sms_uid, status: 'delivered', error_code: '0' });
    // The answer is the stored status, not something the API made up.
    expect((await gw.store.getMessage(sent.json.sms_uid))?.status).toBe('delivered');
  });

  it('an unknown sms_uid is 404', async () => {
    expectError(await a.query(randomUUID()), 404);
    expectError(await a.query('not-a-uuid'), 404);
    expectError(await a.query(''), 404);
  });

  it("another client's message is 404, answered exactly like a missing one", async () => {
    const sent = await a.send(next());
    expect(sent.status).toBe(200);
    const theirs = await b.query(sent.json.sms_uid);
    expectError(theirs, 404);
    const unknownUid = randomUUID();
    const missing = await b.query(unknownUid);
    expect(theirs.json.error_message.replace(sent.json.sms_uid, '<uid>')).toBe(missing.json.error_message.replace(unknownUid, '<uid>'));
    expect(theirs.headers.get('content-length')).toBe(missing.headers.get('content-length'));
    // while its owner sees it
    expect((await a.query(sent.json.sms_uid)).status).toBe(200);
  });

  it('needs valid credentials: 401 for a wrong passcode, even for an existing message', async () => {
    const sent = await a.send(next());
    expectError(await gw.post(QUERY, { client_id: 'client-a', passcode: b.passcode, sms_uid: sent.json.sms_uid }), 401);
    expectError(await gw.post(QUERY, { client_id: 'nobody', passcode: a.passcode, sms_uid: sent.json.sms_uid }), 401);
  });

  it.each(['client_id', 'passcode', 'sms_uid'])('a missing %s is 400 naming it', async (field) => {
    const body: Record<string, unknown> = { client_id: a.clientId, passcode: a.passcode, sms_uid: randomUUID() };
    delete body[field];
    expectError(await gw.post(QUERY, body), 400, new RegExp(field));
  });

  it.each([
    ['sms_uid', 5],
    ['sms_uid', null],
    ['client_id', ['a']],
    ['passcode', false],
  ])('%s = %j is 400 naming it', async (field, value) => {
    const body = { client_id: a.clientId, passcode: a.passcode, sms_uid: randomUUID(), [field]: value };
    expectError(await gw.post(QUERY, body), 400, new RegExp(field));
  });

  it('ignores unknown fields', async () => {
    const sent = await a.send(next());
    const answer = await gw.post(QUERY, { client_id: a.clientId, passcode: a.passcode, sms_uid: sent.json.sms_uid, extra: [1, 2] });
    expect(answer.status).toBe(200);
  });

  it("a message in error carries the carrier's code in error_code", async () => {
    // The carrier cannot be told to fail from HTTP, so the outcome is written to the store as the
    // dispatcher would record it; the API must report it as stored. Insert and outcome run in
    // the same turn, before the dispatcher can claim the message.
    const rejectedUid = randomUUID();
    const undeliveredUid = randomUUID();
    const base = { clientId: 'client-a', templetId: 't1', text: 'x', createdAt: Date.now() };
    await Promise.all([
      gw.store.insertMessages([
        { ...base, smsUid: rejectedUid, phoneNumber: '+8613900130900' },
        { ...base, smsUid: undeliveredUid, phoneNumber: '+8613900130901' },
      ]),
      gw.store.markFailed(rejectedUid, 'error_rejected', '11', Date.now()),
      gw.store.markSent(undeliveredUid, [{ partNo: 1, carrierMessageId: '0A1B' }], Date.now()),
      gw.store.applyReceipt({ carrierMessageIds: ['a1b'], status: 'error_undeliverable', errorCode: '001', at: Date.now() }),
    ]);
    expect((await a.query(rejectedUid)).json).toEqual({ sms_uid: rejectedUid, status: 'error_rejected', error_code: '11' });
    expect((await a.query(undeliveredUid)).json).toEqual({ sms_uid: undeliveredUid, status: 'error_undeliverable', error_code: '001' });
    expect(statusRank('error_rejected')).toBe(2);
  });
});
