import { describe, expect, it } from 'vitest';
import type { Live } from '../../console/src/api.js';
import { quantileBetween, RateHistory, ratesBetween } from '../../console/src/live-rates.js';

const histogram = (counts: number[], sum = 0): Live['accept_latency_seconds'] => {
  const les = [0.001, 0.005, 0.01, 0.05, '+Inf'] as const;
  return { buckets: les.map((le, i) => ({ le, count: counts[i]! })), count: counts[counts.length - 1]!, sum };
};

function snapshot(at: string, totals: Partial<Live> = {}, latency = histogram([0, 0, 0, 0, 0])): Live {
  return {
    at,
    accepted_total: 0,
    rejected_total: 0,
    delivered_total: 0,
    errors_total: 0,
    statuses_total: {},
    accept_latency_seconds: latency,
    queue: { queuing: 0, awaiting_receipt: 0 },
    binds: [],
    recent_errors: [],
    ...totals,
  };
}

describe('the Live page rates', () => {
  it('divides counter differences by the seconds between the snapshots', () => {
    const older = snapshot('2026-12-03T10:00:00.000Z', { accepted_total: 100, delivered_total: 50, errors_total: 1 });
    const newer = snapshot('2026-12-03T10:00:02.000Z', { accepted_total: 700, delivered_total: 450, errors_total: 5 });
    expect(ratesBetween(older, newer)).toMatchObject({ t: Date.parse(newer.at) / 1000, accepted: 300, delivered: 200, errors: 2 });
  });

  it('answers nothing for a counter that went back (a restart) or no time between', () => {
    const older = snapshot('2026-12-03T10:00:00.000Z', { accepted_total: 100 });
    expect(ratesBetween(older, snapshot('2026-12-03T10:00:01.000Z', { accepted_total: 3 }))).toBeNull();
    expect(ratesBetween(older, snapshot('2026-12-03T10:00:00.000Z', { accepted_total: 200 }))).toBeNull();
  });

  it('takes p99 from the bucket differences of the interval only', () => {
    // Before: 1000 fast observations. Between: 100 more, 98 under 1 ms, 2 between 10 and 50 ms.
    const older = histogram([1000, 1000, 1000, 1000, 1000]);
    const newer = histogram([1098, 1098, 1098, 1100, 1100]);
    // rank 99 of 100 falls in (10 ms, 50 ms]: the first of its 2 observations, half way.
    expect(quantileBetween(older, newer, 0.99)).toBeCloseTo(0.03, 6);
    // Over the whole history the slow two would be lost below p99.
    expect(quantileBetween(histogram([0, 0, 0, 0, 0]), newer, 0.99)).toBeLessThanOrEqual(0.001);
  });

  it('has no p99 for an interval without observations, and the highest bound for one in +Inf', () => {
    const same = histogram([5, 5, 5, 5, 5]);
    expect(quantileBetween(same, same, 0.99)).toBeNull();
    expect(quantileBetween(same, histogram([5, 5, 5, 5, 9]), 0.99)).toBe(0.05);
  });

  it('keeps a rolling window of points', () => {
    const history = new RateHistory(300);
    for (let t = 0; t <= 400; t += 1) history.push({ t, accepted: t, delivered: 0, errors: 0, rejected: 0, p99Ms: null });
    expect(history.t[0]).toBe(100);
    expect(history.t).toHaveLength(301);
    expect(history.accepted[history.accepted.length - 1]).toBe(400);
  });
});
