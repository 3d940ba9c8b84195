import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProcessSummary } from '../../src/compose/process-summary.js';

describe('process summary', () => {
  afterEach(() => vi.useRealTimers());

  it('logs memory, event-loop delay and handles once per interval, and stops when closed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const lines: { details: Record<string, unknown>; message: string }[] = [];
    const summary = startProcessSummary({ info: (details, message) => lines.push({ details: details as Record<string, unknown>, message }) }, 1000);
    vi.advanceTimersByTime(2500);
    expect(lines.map((l) => l.message)).toEqual(['process summary', 'process summary']);
    for (const key of ['rssBytes', 'heapUsedBytes', 'eventLoopDelayP99Ms', 'eventLoopDelayMaxMs', 'activeHandles']) {
      expect(typeof lines[0]!.details[key], key).toBe('number');
    }
    expect(lines[0]!.details.rssBytes as number).toBeGreaterThan(0);
    await summary.close();
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(2);
  });

  it('adds the traffic of each interval (accepted, delivered, errors) and the queue now', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const lines: Record<string, unknown>[] = [];
    let totals = { accepted: 10, delivered: 7, errors: 1, queuing: 2, sentAwaitingReceipt: 1 };
    const summary = startProcessSummary({ info: (details) => lines.push(details as Record<string, unknown>) }, 1000, async () => totals);
    vi.advanceTimersByTime(1000);
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    totals = { accepted: 25, delivered: 20, errors: 1, queuing: 0, sentAwaitingReceipt: 5 };
    vi.advanceTimersByTime(1000);
    await vi.waitFor(() => expect(lines).toHaveLength(2));
    expect(lines[0]).toMatchObject({ accepted: 10, delivered: 7, errors: 1, queuing: 2, sentAwaitingReceipt: 1 });
    expect(lines[1]).toMatchObject({ accepted: 15, delivered: 13, errors: 0, queuing: 0, sentAwaitingReceipt: 5 });
    expect(typeof lines[1]!.rssBytes).toBe('number');
    await summary.close();
  });
});
