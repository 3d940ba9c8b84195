import { describe, expect, it } from 'vitest';
import { Backoff, SendRate } from '../../src/carrier/smpp/send-rate.js';
import { formatAbsoluteTime, parseAbsoluteTime } from '../../src/carrier/smpp/submit-pdu.js';

describe('SendRate', () => {
  it('allows `perSecond` sends in any one-second window, never more', () => {
    const rate = new SendRate(3);
    const sent: number[] = [];
    for (let now = 0; now < 5000; now += 7) {
      if (rate.waitMs(now) === 0) {
        rate.record(now);
        sent.push(now);
      }
    }
    for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(3);
    expect(sent.length).toBeGreaterThanOrEqual(15);
  });

  it('says how long to wait', () => {
    const rate = new SendRate(2);
    rate.record(100);
    rate.record(200);
    expect(rate.waitMs(300)).toBe(800);
    expect(rate.waitMs(1100)).toBe(0);
  });

  it('has no cap at 0', () => {
    const rate = new SendRate(0);
    for (let i = 0; i < 1000; i += 1) rate.record(0);
    expect(rate.waitMs(0)).toBe(0);
  });
});

describe('Backoff', () => {
  it('doubles up to the maximum and starts over after a reset', () => {
    const backoff = new Backoff(100, 1000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});

describe('validity_period', () => {
  it('is absolute UTC time with tenths of a second', () => {
    const at = Date.UTC(2025, 0, 31, 23, 59, 58, 750);
    expect(formatAbsoluteTime(at)).toBe('250131235958700+');
    expect(parseAbsoluteTime(formatAbsoluteTime(at))).toBe(at - 50);
    expect(parseAbsoluteTime('250131235958704-')).toBe(at - 50 + 3600_000);
  });
});
