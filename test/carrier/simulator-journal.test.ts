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

it('delivers a receipt owed before a restart once the ESME binds to the new simulator', async () => {
  const journalPath = join(dir, 'owed.db');
  // The first simulator accepts the submit but is gone before its receipt delay runs out.
  const first = await startSimulator({ dlrDelayMs: 1_500, journalPath });
  const sender = createSmppCarrier(testConfig(first.port), silentLogger);
  await sender.start(new ReceiptRecorder().listener);
  await bound(sender);
  const { carrierMessageIds } = await sender.submit(message('+12025550100'));
  await new Promise((resolve) => setImmediate(resolve)); // the journal writes once per turn
  await sender.stop();
  await first.close();

  // Without the journal the second simulator would know nothing of that message.
  const second = await startSimulator({ dlrDelayMs: 60_000, journalPath });
  const receiver = createSmppCarrier(testConfig(second.port), silentLogger);
  const recorder = new ReceiptRecorder();
  await receiver.start(recorder.listener);
  try {
    const receipt = await waitFor(() => recorder.receipts[0], 5000, 'the owed receipt');
    expect(receipt.state).toBe('DELIVRD');
    expect(receipt.carrierMessageId.toLowerCase()).toBe(carrierMessageIds[0]!.toLowerCase());
  } finally {
    await receiver.stop();
    await second.close();
  }
});

it('forgets a receipt once it was acknowledged', async () => {
  const journalPath = join(dir, 'acked.db');
  const sim = await startSimulator({ dlrDelayMs: 10, journalPath });
  const carrier = createSmppCarrier(testConfig(sim.port), silentLogger);
  const recorder = new ReceiptRecorder();
  await carrier.start(recorder.listener);
  await bound(carrier);
  await carrier.submit(message('+12025550100'));
  await waitFor(() => recorder.receipts[0], 5000, 'the receipt');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await carrier.stop();
  await sim.close();

  const again = await startSimulator({ dlrDelayMs: 10, journalPath });
  const listener = createSmppCarrier(testConfig(again.port), silentLogger);
  const later = new ReceiptRecorder();
  await listener.start(later.listener);
  await bound(listener);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(later.receipts).toHaveLength(0);
  await listener.stop();
  await again.close();
});
