import smpp from 'smpp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { RetryTally } from '../../src/carrier/smpp/retry-tally.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, message, testConfig } from './helpers.js';
import { capturingLogger } from './log-capture.js';

/** Issue 12 item 6: a throttle is normal flow, summarised per connection, never a stack trace. */
let smsc: MinimalSmsc | undefined;
let carrier: Carrier | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await carrier?.stop();
  await smsc?.close();
  carrier = undefined;
  smsc = undefined;
});

describe('throttle logging', () => {
  it('logs 100 throttled submits as one summary line with the count and no stack', async () => {
    smsc = await MinimalSmsc.start();
    smsc.onSubmit = (ctx) => ctx.respond({ command_status: smpp.errors.ESME_RTHROTTLED });
    const { logger, lines } = capturingLogger();
    carrier = createSmppCarrier(testConfig(smsc.port, { throttled_pause_ms: 0, window: 100 }), logger);
    await carrier.start(new ReceiptRecorder().listener);
    await bound(carrier);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => carrier!.submit(message('+442079460001'))));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { kind: string }).kind === 'retry')).toBe(true);
    expect(smsc.submits).toHaveLength(100);
    expect(lines.filter((l) => l.level === 40 && 'retriedSubmits' in l)).toHaveLength(0); // within the 10 s window
    await carrier.stop();

    const warnings = lines.filter((l) => (l.level as number) >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ smsc: 'test', retriedSubmits: 100, byStatus: { ESME_RTHROTTLED: 100 } });
    expect(JSON.stringify(lines)).not.toContain('stack');
  });
});

describe('RetryTally', () => {
  it('writes at most one line per interval, each with the count since the last', () => {
    vi.useFakeTimers();
    const { logger, lines } = capturingLogger();
    const tally = new RetryTally(logger, 10_000);
    for (let i = 0; i < 60; i++) tally.record('ESME_RTHROTTLED');
    tally.record('ESME_RMSGQFUL');
    vi.advanceTimersByTime(9_999);
    expect(lines).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ retriedSubmits: 61, byStatus: { ESME_RTHROTTLED: 60, ESME_RMSGQFUL: 1 } });

    tally.record('ESME_RTHROTTLED');
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ retriedSubmits: 1 });
    vi.advanceTimersByTime(60_000);
    tally.stop();
    expect(lines).toHaveLength(2); // nothing to report: no empty lines
  });
});
