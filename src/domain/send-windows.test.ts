import { describe, expect, it } from 'vitest';
import { isGatewayError } from './errors.js';
import { msUntilUtcMidnight, parseSendWindow, parseSendWindows, retryAfterSeconds, utcDay, windowsWait } from './send-windows.js';
import { TimeLog } from './time-log.js';

function log(...times: number[]): TimeLog {
  const l = new TimeLog(16);
  for (const t of times) l.push(t, 16);
  return l;
}

describe('parseSendWindows', () => {
  it('reads counts over lengths in s, m, h and d', () => {
    expect(parseSendWindows('1/60s,5/1h,10/24h')).toEqual([
      { limit: 1, ms: 60_000, label: '1/60s' },
      { limit: 5, ms: 3_600_000, label: '5/1h' },
      { limit: 10, ms: 86_400_000, label: '10/24h' },
    ]);
    expect(parseSendWindow('200/s')).toEqual({ limit: 200, ms: 1_000, label: '200/s' });
    expect(parseSendWindow(' 3/2MIN ')).toEqual({ limit: 3, ms: 120_000, label: '3/2m' });
    expect(parseSendWindows('none')).toEqual([]);
    expect(parseSendWindows('')).toEqual([]);
  });

  it.each(['0/1h', '1/0s', '5/2d', '5/25h', '5h', '-1/1h', '1.5/1h', '1/1w', '1/60s,', 'x/1h'])('refuses %s with the expected form', (text) => {
    let caught: unknown;
    try {
      parseSendWindows(text);
    } catch (error) {
      caught = error;
    }
    expect(isGatewayError(caught) && caught.code).toBe('INVALID_REQUEST');
    expect((caught as Error).message).toMatch(/like 5\/1h or 200\/s/);
  });
});

describe('windowsWait: a sliding log, exact at the edges', () => {
  const windows = parseSendWindows('1/60s,2/1h');

  it('allows while fewer sends than the limit are in each window', () => {
    expect(windowsWait(undefined, windows, 0).waitMs).toBe(0);
    expect(windowsWait(log(0), windows, 60_000).waitMs).toBe(0);
  });

  it('holds until, not at, the n-th newest send leaves the window', () => {
    expect(windowsWait(log(0), windows, 59_999)).toEqual({ waitMs: 1, window: windows[0] });
    expect(windowsWait(log(0), windows, 60_000).waitMs).toBe(0);
  });

  it('answers the longest wait over all windows, naming that window', () => {
    const sent = log(0, 60_000);
    expect(windowsWait(sent, windows, 60_001)).toEqual({ waitMs: 3_600_000 - 60_001, window: windows[1] });
    expect(windowsWait(sent, windows, 3_599_999)).toEqual({ waitMs: 1, window: windows[1] });
    expect(windowsWait(sent, windows, 3_600_000).waitMs).toBe(0);
  });
});

describe('Retry-After and the UTC day', () => {
  it('rounds a wait up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_000)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });

  it('counts a day from 00:00 UTC', () => {
    const midnight = Date.UTC(2026, 11, 4);
    expect(utcDay(midnight - 1)).toBe(utcDay(midnight) - 1);
    expect(msUntilUtcMidnight(midnight - 1)).toBe(1);
    expect(msUntilUtcMidnight(midnight)).toBe(86_400_000);
  });
});

describe('TimeLog', () => {
  it('keeps the last `keep` times, newest first, and grows and shrinks with keep', () => {
    const l = new TimeLog(2);
    for (const t of [1, 2, 3]) l.push(t, 2);
    expect(l.toArray()).toEqual([2, 3]);
    l.push(4, 4);
    l.push(5, 4);
    expect(l.toArray()).toEqual([2, 3, 4, 5]);
    expect(l.newest(1)).toBe(5);
    l.push(6, 2);
    expect(l.toArray()).toEqual([5, 6]);
    l.remove(5);
    expect(l.toArray()).toEqual([6]);
  });
});
