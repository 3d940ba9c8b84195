import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StatusTransition } from '../../src/domain/status-transition.js';
import { callersWithT1, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let c: Caller;

beforeAll(async () => {
  gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '50' });
  [c] = await callersWithT1(gw, 'c');
});
afterAll(() => gw.close());

it('the composed gateway publishes every status change of a sent message to its listeners', async () => {
  const heard: StatusTransition[] = [];
  const unsubscribe = gw.gateway.statusEvents!.subscribe((transitions) => void heard.push(...transitions));
  const delivered = (await c.send('13800138000')).json.sms_uid as string;
  const rejected = (await c.send('+12025550103')).json.sms_uid as string; // the simulator's reject number
  await expect.poll(() => heard.filter((t) => t.to === 'delivered' || t.to === 'error_rejected').length, { timeout: 5000 }).toBe(2);
  unsubscribe();

  const of = (smsUid: string) => heard.filter((t) => t.smsUid === smsUid).map((t) => [t.from, t.to, t.clientId]);
  expect(of(delivered)).toEqual([
    ['queuing', 'sent', 'c'],
    ['sent', 'delivered', 'c'],
  ]);
  expect(of(rejected)).toEqual([['queuing', 'error_rejected', 'c']]);
});
