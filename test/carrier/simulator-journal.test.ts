import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { startSimulator } from '../../src/carrier/simulator/simulator.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsgate-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A simulator on the journal and a bound carrier recording the receipts it gets. */
async function simulatorAndCarrier(journalPath: string, dlrDelayMs: number) {
  const sim = await startSimulator({ dlrDelayMs, journalPath });
  const carrier = createSmppCarrier(testConfig(sim.port), silentLogger);
  const recorder = new ReceiptRecorder();
  await carrier.start(recorder.listener);
  await bound(carrier);
  return {
    carrier,
    receipts: recorder.receipts,
    stop: async () => {
      await carrier.stop();
      await sim.close();
    },
  };
}

it('delivers a receipt owed before a restart once the ESME binds to the new simulator', async () => {
  const journalPath = join(dir, 'owed.db');
  // The first simulator accepts the submit but is gone before its receipt delay runs out.
  const first = await simulatorAndCarrier(journalPath, 1_500);
  const { carrierMessageIds } = await first.carrier.submit(message('+12025550100'));
  await new Promise((resolve) => setImmediate(resolve)); // the journal writes once per turn
  await first.stop();
  expect(first.receipts).toHaveLength(0);

  // Without the journal the second simulator would know nothing of that message.
  const second = await simulatorAndCarrier(journalPath, 60_000);
  try {
    const receipt = await waitFor(() => second.receipts[0], 5000, 'the owed receipt');
    expect(receipt.state).toBe('DELIVRD');
    expect(receipt.carrierMessageId.toLowerCase()).toBe(carrierMessageIds[0]!.toLowerCase());
  } finally {
    await second.stop();
  }
});

it('forgets a receipt once it was acknowledged', async () => {
  const journalPath = join(dir, 'acked.db');
  const first = await simulatorAndCarrier(journalPath, 10);
  await first.carrier.submit(message('+12025550100'));
  await waitFor(() => first.receipts[0], 5000, 'the receipt');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await first.stop();

  const again = await simulatorAndCarrier(journalPath, 10);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(again.receipts).toHaveLength(0);
  await again.stop();
});
