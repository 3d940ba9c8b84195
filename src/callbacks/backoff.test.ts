import { describe, expect, it } from 'vitest';
import { afterFailure, callbackBackoffMs, CALLBACK_BACKOFF_MAX_MS, CALLBACK_BACKOFF_MIN_MS } from './backoff.js';

const lowest = () => 0;
const highest = () => 0.999_999_999;

describe('callback backoff', () => {
  it('waits at least 1 s, whatever the draw', () => {
    for (let failures = 1; failures < 40; failures++) expect(callbackBackoffMs(failures, lowest)).toBe(CALLBACK_BACKOFF_MIN_MS);
  });

  it('doubles its ceiling with every failure: 2 s, 4 s, 8 s, ...', () => {
    expect(callbackBackoffMs(1, highest)).toBe(1_999);
    expect(callbackBackoffMs(2, highest)).toBe(3_999);
    expect(callbackBackoffMs(3, highest)).toBe(7_999);
  });

  it('never waits more than 10 min, even after many failures', () => {
    expect(callbackBackoffMs(9, highest)).toBe(511_999);
    expect(callbackBackoffMs(10, highest)).toBe(CALLBACK_BACKOFF_MAX_MS - 1);
    expect(callbackBackoffMs(1_000, highest)).toBe(CALLBACK_BACKOFF_MAX_MS - 1);
  });

  it('draws uniformly between the floor and the ceiling (full jitter)', () => {
    expect(callbackBackoffMs(3, () => 0.5)).toBe(CALLBACK_BACKOFF_MIN_MS + 3_500);
  });
});

describe('after a failed try', () => {
  const owedSince = 1_000_000;
  const maxAgeMs = 60_000;

  it('retries after the backoff of the failure it counts', () => {
    expect(afterFailure({ attempts: 0, owedSince }, owedSince + 10, maxAgeMs, () => 0.5)).toEqual({ kind: 'retry', at: owedSince + 10 + 1_500 });
    expect(afterFailure({ attempts: 2, owedSince }, owedSince + 10, maxAgeMs, () => 0.5)).toEqual({ kind: 'retry', at: owedSince + 10 + 4_500 });
  });

  it('makes its last try at the end of the event\'s life, not after it', () => {
    expect(afterFailure({ attempts: 5, owedSince }, owedSince + 59_000, maxAgeMs, highest)).toEqual({ kind: 'retry', at: owedSince + maxAgeMs });
  });

  it('buries an event whose life is over', () => {
    expect(afterFailure({ attempts: 5, owedSince }, owedSince + maxAgeMs, maxAgeMs, lowest)).toEqual({ kind: 'bury' });
  });
});
