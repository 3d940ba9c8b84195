import { afterEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';

/** Flow control against an SMSC that is not our simulator. */
let smsc: MinimalSmsc;
let carrier: Carrier;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
});

async function setUp(extra: Record<string, unknown>): Promise<void> {
  smsc = await MinimalSmsc.start();
  carrier = createSmppCarrier(testConfig(smsc.port, extra), silentLogger);
  await carrier.start(new ReceiptRecorder().listener);
  await waitFor(() => smsc.binds === ((extra.binds as number | undefined) ?? 1) || undefined);
  await bound(carrier);
}

const numbers = (n: number): string[] => Array.from({ length: n }, (_, i) => `+4420794600${String(i).padStart(2, '0')}`);

describe('window', () => {
  it('never has more than `window` submits unanswered on a bind', async () => {
    await setUp({ window: 3 });
    smsc.onSubmit = (ctx) => setTimeout(() => ctx.respond({ message_id: `m${ctx.pdu.sequence_number}` }), 20);
    expect(carrier.capacity()).toBe(3);
    const results = await Promise.all(numbers(30).map((n) => carrier.submit(message(n))));
    expect(results.every((r) => r.carrierMessageIds.length === 1)).toBe(true);
    expect(smsc.submits).toHaveLength(30);
    expect(smsc.maxOutstanding).toBe(3);
  });

  it('reports no capacity while the window is full', async () => {
    await setUp({ window: 2 });
    const held: (() => void)[] = [];
    smsc.onSubmit = (ctx) => held.push(() => ctx.respond({ message_id: 'x' }));
    const pending = [carrier.submit(message('+442079460001')), carrier.submit(message('+442079460002'))];
    expect(carrier.capacity()).toBe(0);
    await waitFor(() => held.length === 2 || undefined);
    held.forEach((answer) => answer());
    await Promise.all(pending);
    expect(carrier.capacity()).toBe(2);
  });
});

describe('per-bind submit rate', () => {
  it('offers no more window than the TPS cap can send within half the response timeout', async () => {
    await setUp({ binds: 1, window: 50, max_submits_per_second: 10, response_timeout_ms: 2_000 });
    expect(carrier.capacity()).toBe(10);
  });

  it('never exceeds max_submits_per_second on any bind in any one-second window', async () => {
    const perSecond = 10;
    // A response timeout well past the 2.5 s this backlog needs: queued submits must not time out.
    await setUp({ binds: 2, window: 50, max_submits_per_second: perSecond, response_timeout_ms: 10_000 });
    // Both binds up (50 each), not only the first: on a loaded machine the second bind_resp may
    // arrive after every submit was already queued on the first.
    await waitFor(() => carrier.capacity() === 100 || undefined, 5000, 'both binds');
    const started = Date.now();
    await Promise.all(numbers(50).map((n) => carrier.submit(message(n))));
    const elapsed = Date.now() - started;
    const bySession = new Map<unknown, number[]>();
    for (const s of smsc.submits) bySession.set(s.session, [...(bySession.get(s.session) ?? []), s.at]);
    expect(bySession.size).toBe(2); // both binds carried traffic
    for (const times of bySession.values()) {
      // 950 ms rather than 1000: arrival times at the server jitter by a few ms.
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 950).length));
      expect(busiest).toBeLessThanOrEqual(perSecond);
    }
    // 50 submits at 2 x 10/s: the third second must have started.
    expect(elapsed).toBeGreaterThanOrEqual(2000);
  });
});
