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
});
