import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND, callersWithT1, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

/** What the fuzzer (fuzz.test.ts) found, each pinned by the request that showed it. */
describe('fuzz findings', () => {
  let gw: TestGateway;
  let acme: Caller;
  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' });
    [acme] = await callersWithT1(gw, 'acme');
  });
  afterAll(() => gw.close());

  const sendText = (code: string) =>
    JSON.stringify({ client_id: 'acme', passcode: acme.passcode, phone_number: '13800138000', templet_id: 't1', contents: [{ p1: code }] });

  it('a body that is not UTF-8 is 400, not a 200 with U+FFFD in the message (was: 200)', async () => {
    const [before, after] = sendText('12@34').split('@') as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    const answer = await gw.post(SEND, '', { body });
    expectError(answer, 400, /not valid UTF-8/);
  });

  it('a code with a lone surrogate is 400, not a 200 with a broken message (was: 200)', async () => {
    expectError(await gw.post(SEND, sendText('12\ud800')), 400, /lone surrogate/);
  });

  it('a UTF-8 body with characters beyond the BMP is still accepted', async () => {
    expect((await gw.post(SEND, sendText('12😀'))).status).toBe(200);
  });
});
