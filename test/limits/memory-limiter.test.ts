import { describe, expect, it } from 'vitest';
import { MemoryLimiter } from '../../src/limits/memory-limiter.js';

function limiter(perNumberIntervalMs = 60_000, sendRatePerS = 1000, queryRatePerS = 1000) {
  const clock = { now: 1_000_000 };
  const l = new MemoryLimiter({ perNumberIntervalMs, sendRatePerS, queryRatePerS, now: () => clock.now });
  return { l, clock };
}

describe('MemoryLimiter: per number', () => {
  it('allows one reservation per number per interval, with a Retry-After of the time left', async () => {
    const { l, clock } = limiter(60_000);
    expect((await l.reserveNumber('+8613800138000')).allowed).toBe(true);
    expect(await l.reserveNumber('+8613800138000')).toEqual({ allowed: false, retryAfterS: 60 });
    clock.now += 59_001;
    expect(await l.reserveNumber('+8613800138000')).toEqual({ allowed: false, retryAfterS: 1 });
    clock.now += 999;
    expect((await l.reserveNumber('+8613800138000')).allowed).toBe(true);
  });

  it('keeps numbers apart', async () => {
    const { l } = limiter();
    expect((await l.reserveNumber('+8613800138000')).allowed).toBe(true);
    expect((await l.reserveNumber('+8613800138001')).allowed).toBe(true);
  });

  it('of many concurrent reservations for one number, exactly one is allowed', async () => {
    const { l } = limiter();
    const decisions = await Promise.all(Array.from({ length: 50 }, () => l.reserveNumber('+8613800138000')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1);
  });

  it('a released reservation does not count', async () => {
    const { l } = limiter();
    await l.reserveNumber('+8613800138000');
    await l.releaseNumber('+8613800138000');
    expect((await l.reserveNumber('+8613800138000')).allowed).toBe(true);
  });

  it('an interval of 0 never limits', async () => {
    const { l } = limiter(0);
    for (let i = 0; i < 5; i += 1) expect((await l.reserveNumber('+8613800138000')).allowed).toBe(true);
  });

  it('forgets expired reservations without forgetting live ones', async () => {
    const { l, clock } = limiter(10_000);
    await l.reserveNumber('+1');
    clock.now += 5_000;
    await l.reserveNumber('+2');
    clock.now += 5_000; // +1 expired, +2 has 5 s left
    expect((await l.reserveNumber('+3')).allowed).toBe(true);
    expect((await l.reserveNumber('+2')).allowed).toBe(false);
    expect((await l.reserveNumber('+1')).allowed).toBe(true);
  });

  it('re-reserving after expiry keeps the expiry order right', async () => {
    const { l, clock } = limiter(10_000);
    await l.reserveNumber('+1');
    clock.now += 1_000;
    await l.reserveNumber('+2');
    clock.now += 9_500; // +1 expired at 10_000; +2 expires at 11_000
    expect((await l.reserveNumber('+1')).allowed).toBe(true); // now until 20_500
    clock.now += 1_000; // +2 expired; +1 still held
    expect((await l.reserveNumber('+2')).allowed).toBe(true);
    expect((await l.reserveNumber('+1')).allowed).toBe(false);
  });
});

describe('MemoryLimiter: global rates', () => {
  it('limits sends per second and refills', async () => {
    const { l, clock } = limiter(60_000, 3, 1000);
    const first = await Promise.all([l.takeSend(), l.takeSend(), l.takeSend(), l.takeSend()]);
    expect(first.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(first[3]!.retryAfterS).toBeGreaterThanOrEqual(1);
    clock.now += 1000;
    expect((await l.takeSend()).allowed).toBe(true);
  });

  it('limits queries separately from sends', async () => {
    const { l } = limiter(60_000, 1, 2);
    expect((await l.takeSend()).allowed).toBe(true);
    expect((await l.takeSend()).allowed).toBe(false);
    expect((await l.takeQuery()).allowed).toBe(true);
    expect((await l.takeQuery()).allowed).toBe(true);
    expect((await l.takeQuery()).allowed).toBe(false);
  });
});

describe('restore after a restart', () => {
  it('holds a number that got a message before the restart until its interval ends', async () => {
    let now = 100_000;
    const limiter = new MemoryLimiter({ perNumberIntervalMs: 60_000, sendRatePerS: 100, queryRatePerS: 100, now: () => now });
    limiter.restore([{ phoneNumber: '+8613800138000', createdAt: 90_000 }]);
    expect(await limiter.reserveNumber('+8613800138000')).toEqual({ allowed: false, retryAfterS: 50 });
    expect((await limiter.reserveNumber('+8613800138001')).allowed).toBe(true);
    now = 150_000;
    expect((await limiter.reserveNumber('+8613800138000')).allowed).toBe(true);
  });
});
