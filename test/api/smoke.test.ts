import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

test('a send is accepted, queried and delivered', async () => {
  const passcode = await gw.addClient('c1');
  await gw.addTemplate('t1', 'code ${code}');
  const send = await gw.post('/api/sms/v1/sendsms', { client_id: 'c1', passcode, phone_number: '13800138000', templet_id: 't1', contents: [{ p1: '8888' }] });
  expect(send.status).toBe(200);
  expect(send.json).toMatchObject({ status: 'queuing', error_code: '0' });
  await expect.poll(async () => (await gw.post('/api/sms/v1/querysms', { client_id: 'c1', passcode, sms_uid: send.json.sms_uid })).json.status, { timeout: 5000 }).toBe('delivered');
});
