import { afterEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';

/** Sessions against the simulator: drops, bind modes, credentials. */
let sim: RunningSimulator;
let carrier: Carrier;

afterEach(async () => {
  await carrier?.stop();
  await sim?.close();
});

async function setUp(extra: Record<string, unknown> = {}, wait = true): Promise<ReceiptRecorder> {
  sim = await startSimulator({ dlrDelayMs: 20 });
  const recorder = new ReceiptRecorder();
  carrier = createSmppCarrier(testConfig(sim.port, extra), silentLogger);
  await carrier.start(recorder.listener);
  if (wait) await bound(carrier);
  return recorder;
}

describe('simulator sessions', () => {
  it('loses nothing when the connection drops with submits in flight', async () => {
    const recorder = await setUp({ window: 10 });
    const numbers = ['+12025550107', ...Array.from({ length: 9 }, (_, i) => `+4420794600${i}1`)];
    const results = await Promise.all(numbers.map((n) => carrier.submit(message(n))));
    const ids = results.map((r) => r.carrierMessageIds[0]!);
    expect(new Set(ids).size).toBe(10);
    expect(sim.stats.submitsByDestination.get('12025550107')).toBe(2); // dropped once, resent once
    await waitFor(() => ids.every((id) => recorder.receipts.some((r) => r.carrierMessageId === id)) || undefined);
    for (const n of numbers) expect(sim.stats.messages.some((m) => m.destination === n.slice(1))).toBe(true);
  });

  it('delivers receipts over the receiver when bound as transmitter + receiver', async () => {
    const recorder = await setUp({ bind_mode: 'transmitter_receiver', binds: 2 });
    const { carrierMessageIds } = await carrier.submit(message('+12025550100'));
    await waitFor(() => recorder.receipts.find((r) => r.carrierMessageId === carrierMessageIds[0]));
  });

  it('stays unbound with a wrong password, and the API side sees no capacity', async () => {
    await setUp({ password: 'wrong' }, false);
    await new Promise((r) => setTimeout(r, 300));
    expect(carrier.capacity()).toBe(0);
    await expect(carrier.submit(message('+12025550100'))).rejects.toMatchObject({ kind: 'retry', carrierCode: 'NO_BIND' });
  });

  it('keeps the window when the simulator answers slowly', async () => {
    await sim?.close();
    sim = await startSimulator({ dlrDelayMs: 20, respondDelayMs: 10 });
    carrier = createSmppCarrier(testConfig(sim.port, { window: 4 }), silentLogger);
    await carrier.start(async () => undefined);
    await bound(carrier);
    await Promise.all(Array.from({ length: 40 }, (_, i) => carrier.submit(message(`+442079460${String(i).padStart(3, '0')}`))));
    expect(sim.stats.maxOutstandingPerSession).toBe(4);
  });
});
