import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { createSmppCarrier, type SmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { parseCarrierConfig } from '../../src/carrier/smpp/smpp-config.js';

let simulator: RunningSimulator | undefined;
let carrier: SmppCarrier | undefined;
afterEach(async () => {
  await carrier?.stop();
  await simulator?.close();
});

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('a coordinated SMPP carrier opens only the binds of the slots it is given, and closes those taken away', async () => {
  simulator = await startSimulator({ dlrDelayMs: 10 });
  const config = parseCarrierConfig({
    connections: [{ name: 'sim', host: '127.0.0.1', port: simulator.port, system_id: 'smsgate', password: 'smsgate', binds: 3, window: 5 }],
  });
  carrier = createSmppCarrier(config, pino({ level: 'silent' }), { coordinated: true });
  await carrier.setActiveSlots('sim', new Set([2])); // before start: remembered, opened on start
  await carrier.start(async () => {});
  await until(() => carrier!.capacity() === 5, 'one bind up');
  await carrier.setActiveSlots('sim', new Set([0, 1, 2]));
  await until(() => carrier!.capacity() === 15, 'three binds up');

  const submitted = carrier.submit({ smsUid: 'u1', phoneNumber: '+8613800138000', text: 'hi', expiresAt: Date.now() + 60_000 });
  // Taking slots away waits for their submits to be answered, then unbinds.
  await carrier.setActiveSlots('sim', new Set([1]));
  await expect(submitted).resolves.toMatchObject({ carrierMessageIds: [expect.any(String)] });
  expect(carrier.capacity()).toBe(5);
  await carrier.setActiveSlots('sim', new Set());
  expect(carrier.capacity()).toBe(0);
  expect(simulator.stats.submitsByDestination.get('8613800138000')).toBe(1);
});
