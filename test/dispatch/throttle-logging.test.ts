import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { startSimulator } from '../../src/carrier/simulator/simulator.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { testConfig } from '../carrier/helpers.js';
import { capturingLogger } from '../carrier/log-capture.js';

/** Issue 12 item 6, through the dispatcher: 100 throttled submits are retried without a warning each. */
it('retries 100 ESME_RTHROTTLED answers with no warning per message: one summary line from the carrier', { timeout: 20_000 }, async () => {
  // +1 NPA 555 0101 is throttled on its 1st submit and accepted on the 2nd (docs/simulator.md).
  const numbers = Array.from({ length: 100 }, (_, i) => `+1${201 + i}5550101`);
  const sim = await startSimulator({ dlrDelayMs: 10 });
  const store = SqliteStore.open(':memory:');
  const { logger, lines } = capturingLogger('debug');
  const carrier = createSmppCarrier(testConfig(sim.port, { window: 100, throttled_pause_ms: 0 }), logger.child({ component: 'smpp' }));
  const dispatcher = new Dispatcher({
    store,
    carrier,
    logger: logger.child({ component: 'dispatch' }),
    owner: 'd1',
    leaseMs: 60_000,
    pollMs: 20,
    validityMs: 3_600_000,
  });
  const uids = numbers.map(() => randomUUID());
  await store.insertMessages(uids.map((smsUid, i) => ({ smsUid, clientId: 'c1', templetId: 't', phoneNumber: numbers[i]!, text: 'x', createdAt: Date.now() })));
  try {
    await dispatcher.start();
    await expect
      .poll(async () => (await Promise.all(uids.map((u) => store.getMessage(u)))).filter((m) => m?.status === 'delivered').length, { timeout: 15_000 })
      .toBe(100);
    expect([...sim.stats.submitsByDestination.values()].every((submits) => submits === 2)).toBe(true);
  } finally {
    await dispatcher.stop();
    await store.close();
    await sim.close();
  }
  const throttled = lines.filter((l) => l.component === 'dispatch' && l.carrierCode === '88');
  expect(throttled.length).toBe(100); // each retry is still traceable, at debug
  expect(throttled.every((l) => l.level === 20)).toBe(true);
  const warnings = lines.filter((l) => (l.level as number) >= 40);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ component: 'smpp', retriedSubmits: 100, byStatus: { ESME_RTHROTTLED: 100 } });
  expect(JSON.stringify(lines)).not.toContain('"stack"');
});
