import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { StatusTransition } from '../domain/status-transition.js';
import { liveCounters } from './live-counters.js';
import { Metrics } from './metrics.js';

function transition(to: StatusTransition['to']): StatusTransition {
  return { smsUid: uuidv7({ msecs: 1_000 }), clientId: 'c1', from: 'queuing', to, errorCode: '0', at: 1_100 };
}

describe('live counters', () => {
  it("adds up the main thread's and the dispatch thread's registries, as /metrics does", async () => {
    const main = new Metrics({ processMetrics: false });
    const thread = new Metrics({ processMetrics: false });
    main.sendAccepted(0.0004);
    main.sendAccepted(0.003);
    main.sendAccepted(7);
    main.sendRejected('INVALID_PHONE_NUMBER');
    main.sendRejected('AUTH_FAILED');
    thread.recordTransitions([transition('sent'), transition('sent'), transition('delivered'), transition('error_undeliverable')]);
    const counters = liveCounters([await main.json(), await thread.json()]);
    expect(counters.accepted).toBe(3);
    expect(counters.rejected).toBe(2);
    expect(counters.statuses).toEqual({ queuing: 0, sent: 2, delivered: 1, error_rejected: 0, error_undeliverable: 1, error_expired: 0, error_unknown: 0 });
    const { buckets, count, sum } = counters.acceptLatency;
    expect(count).toBe(3);
    expect(sum).toBeCloseTo(7.0034, 6);
    // Cumulative, ascending, one per bound of the histogram plus +Inf: both registries' buckets added once each.
    expect(buckets[0]).toEqual({ le: 0.0005, count: 1 });
    expect(buckets.find((b) => b.le === 0.005)).toEqual({ le: 0.005, count: 2 });
    expect(buckets.find((b) => b.le === 2.5)).toEqual({ le: 2.5, count: 2 });
    expect(buckets.at(-1)).toEqual({ le: '+Inf', count: 3 });
    expect(buckets).toHaveLength(13);
    const bounds = buckets.slice(0, -1).map((b) => b.le as number);
    expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
  });

  it('is all zeros with nothing counted, every status present', () => {
    const counters = liveCounters([]);
    expect(counters).toEqual({
      accepted: 0,
      rejected: 0,
      statuses: { queuing: 0, sent: 0, delivered: 0, error_rejected: 0, error_undeliverable: 0, error_expired: 0, error_unknown: 0 },
      acceptLatency: { buckets: [], count: 0, sum: 0 },
    });
  });
});
