import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('phone_number in the default region CN', () => {
  let gw: TestGateway;
  let c: Caller;
  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60' });
    [c] = await callersWithT1(gw, 'c');
  });
  afterAll(() => gw.close());

  it('13800138000 and +8613800138000 are the same number, stored as E.164', async () => {
    const first = await c.send('13800138000');
    expect(first.status).toBe(200);
    expect((await gw.store.getMessage(first.json.sms_uid))?.phoneNumber).toBe('+8613800138000');
    expectError(await c.send('+8613800138000'), 429);
    expectError(await c.send('+86 138 0013 8000'), 429);
    expectError(await c.send('0086-138-0013-8000'), 429);
  });

  it.each([
    ['+86 139-0013-9000', '+8613900139000'],
    [' 13700137000 ', '+8613700137000'],
    ['+1 201 555 0123', '+12015550123'],
    ['+44 7400 123456', '+447400123456'],
  ])('%j is stored as %s', async (input, e164) => {
    const answer = await c.send(input);
    expect(answer.status).toBe(200);
    expect((await gw.store.getMessage(answer.json.sms_uid))?.phoneNumber).toBe(e164);
  });

  it.each([
    ['empty', ''],
    ['letters', 'phone'],
    ['too short', '1380013'],
    ['too long', '1380013800013800'],
    ['a wrong CN mobile prefix', '12800138000'],
    ['a US national number (not valid in CN)', '2015550123x'],
    ['an invalid country code', '+999123456789'],
    ['a number inside text', 'call 13800138001 now'],
    ['an extension', '13800138002 ext. 5'],
    ['40 digits', '1'.repeat(40)],
  ])('%s is 400', async (_name, input) => {
    expectError(await c.send(input), 400, /phone_number/);
  });
});

describe('SMSGATE_DEFAULT_REGION=US', () => {
  let gw: TestGateway;
  let c: Caller;
  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '60', SMSGATE_DEFAULT_REGION: 'US' });
    [c] = await callersWithT1(gw, 'c');
  });
  afterAll(() => gw.close());

  it('reads national numbers as US numbers', async () => {
    const answer = await c.send('(201) 555-0123');
    expect(answer.status).toBe(200);
    expect((await gw.store.getMessage(answer.json.sms_uid))?.phoneNumber).toBe('+12015550123');
    expectError(await c.send('+12015550123'), 429);
  });

  it('a CN national number is not valid there, the international form is', async () => {
    expectError(await c.send('13800138000'), 400);
    expect((await c.send('+8613800138000')).status).toBe(200);
  });
});
