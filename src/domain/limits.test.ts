import { describe, expect, it } from 'vitest';
import { ALLOWED, TokenBucket } from './limits.js';

describe('TokenBucket', () => {
  it('allows `rate` takes at once, then refuses', () => {
    const bucket = new TokenBucket(5, 0);
    for (let i = 0; i < 5; i += 1) expect(bucket.take(0)).toEqual(ALLOWED);
    const refused = bucket.take(0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterS).toBe(1);
  });

  it('refills at `rate` tokens a second', () => {
    const bucket = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i += 1) bucket.take(0);
    expect(bucket.take(50).allowed).toBe(false); // half a token
    expect(bucket.take(100).allowed).toBe(true); // 0.5 + 0.5
    expect(bucket.take(100).allowed).toBe(false);
  });

  it('holds at most one second of tokens', () => {
    const bucket = new TokenBucket(3, 0);
    let allowed = 0;
    for (let i = 0; i < 10; i += 1) if (bucket.take(60_000).allowed) allowed += 1;
    expect(allowed).toBe(3);
  });

  it('allows `rate` per second over a long run', () => {
    const bucket = new TokenBucket(100, 0);
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 1) if (bucket.take(ms).allowed) allowed += 1;
    // the initial second's worth plus 100/s for 10 s
    expect(allowed).toBeGreaterThanOrEqual(1090);
    expect(allowed).toBeLessThanOrEqual(1100);
  });

  it('gives a Retry-After of whole seconds, at least 1, long enough for a slow rate', () => {
    const bucket = new TokenBucket(1, 0);
    expect(bucket.take(0).allowed).toBe(true);
    const refused = bucket.take(0);
    expect(refused).toEqual({ allowed: false, retryAfterS: 1 });
    const fast = new TokenBucket(1000, 0);
    for (let i = 0; i < 1000; i += 1) fast.take(0);
    expect(fast.take(0).retryAfterS).toBe(1);
  });

  it('does not mint tokens when the clock goes backwards', () => {
    const bucket = new TokenBucket(2, 1000);
    bucket.take(1000);
    bucket.take(1000);
    expect(bucket.take(500).allowed).toBe(false);
  });
});
