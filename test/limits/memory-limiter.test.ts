import { describe, expect, it } from 'vitest';
import { parseSendWindow, parseSendWindows } from '../../src/domain/send-windows.js';
import { MemoryLimiter } from '../../src/limits/memory-limiter.js';
import { countryOfNumber } from '../../src/domain/phone-number.js';
import { admissionContract, sendTo } from './admission-contract.js';

function limiter(windows = '1/60s', sendRatePerS = 1000, queryRatePerS = 1000) {
  const clock = { now: 1_000_000 };
  const l = new MemoryLimiter({ numberWindows: parseSendWindows(windows), sendRatePerS, queryRatePerS, now: () => clock.now });
  return { l, clock };
}

describe('MemoryLimiter: admission', () => {
  admissionContract(async ({ numberWindows, sendRatePerS }) => [new MemoryLimiter({ numberWindows, sendRatePerS: sendRatePerS ?? 1000, queryRatePerS: 1000 })]);
});

describe('MemoryLimiter: per-number windows, on an injected clock', () => {
  it('is exact at the edges of each window: held until, not at, a send leaves it', async () => {
    const { l, clock } = limiter('1/60s,3/1h');
    const start = clock.now;
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
    clock.now = start + 59_999;
    expect(await l.admitSend(sendTo('+8613800138000'))).toEqual({ allowed: false, step: 'number-window', waitMs: 1, window: parseSendWindow('1/60s') });
    clock.now = start + 60_000;
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
    clock.now = start + 120_000;
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
    // Three in the hour: held by 3/1h until the first leaves it, though 1/60s allows.
    clock.now = start + 180_000;
    expect(await l.admitSend(sendTo('+8613800138000'))).toMatchObject({ allowed: false, waitMs: 3_600_000 - 180_000, window: { label: '3/1h' } });
    clock.now = start + 3_599_999;
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(false);
    clock.now = start + 3_600_000;
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
  });

  it('no window: never limits a number', async () => {
    const { l } = limiter('none');
    for (let i = 0; i < 5; i += 1) expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
  });

  it('forgets numbers whose sends left the longest window, keeping live ones', async () => {
    const { l, clock } = limiter('1/10s');
    await l.admitSend(sendTo('+8613800000001'));
    clock.now += 5_000;
    await l.admitSend(sendTo('+8613800000002'));
    clock.now += 5_000; // the first left its window, the second has 5 s left
    expect((await l.admitSend(sendTo('+8613800000003'))).allowed).toBe(true);
    expect((await l.admitSend(sendTo('+8613800000002'))).allowed).toBe(false);
    expect((await l.admitSend(sendTo('+8613800000001'))).allowed).toBe(true);
  });
});

describe('MemoryLimiter: client limits, on an injected clock', () => {
  it('a client rate of 100/s admits at most 100 in any second', async () => {
    const { l, clock } = limiter('none', 100_000);
    const rate = parseSendWindow('100/s');
    let admitted = 0;
    // 5 s of 1,000 attempts a second, spread evenly.
    for (let i = 0; i < 5_000; i += 1) {
      clock.now = 1_000_000 + i;
      if ((await l.admitSend(sendTo(`+86138${String(i).padStart(8, '0')}`, { rate }))).allowed) admitted += 1;
    }
    expect(admitted).toBe(500);
  });

  it('a daily quota resets at 00:00 UTC and says so', async () => {
    const { l, clock } = limiter('none');
    clock.now = Date.UTC(2026, 11, 3, 23, 59, 0);
    expect((await l.admitSend(sendTo('+8613800138000', { dailyQuota: 1 }))).allowed).toBe(true);
    expect(await l.admitSend(sendTo('+8613800138001', { dailyQuota: 1 }))).toMatchObject({ allowed: false, step: 'daily-quota', waitMs: 60_000 });
    clock.now = Date.UTC(2026, 11, 4, 0, 0, 0);
    expect((await l.admitSend(sendTo('+8613800138001', { dailyQuota: 1 }))).allowed).toBe(true);
  });
});

describe('MemoryLimiter: global rates', () => {
  it('limits queries separately from sends', async () => {
    const { l } = limiter('none', 1, 2);
    expect((await l.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
    expect((await l.admitSend(sendTo('+8613800138001'))).allowed).toBe(false);
    expect((await l.takeQuery()).allowed).toBe(true);
    expect((await l.takeQuery()).allowed).toBe(true);
    expect((await l.takeQuery()).allowed).toBe(false);
  });
});

describe('restore after a restart', () => {
  it('holds a number, a daily quota and a country cap as the sends before the restart left them', async () => {
    let now = Date.UTC(2026, 11, 3, 12, 0, 0);
    const limiter = new MemoryLimiter({ numberWindows: parseSendWindows('1/60s,2/1h'), sendRatePerS: 100, queryRatePerS: 100, now: () => now });
    limiter.restore(
      [
        { clientId: 'shop', phoneNumber: '+8613800138000', createdAt: now - 30 * 60_000 },
        { clientId: 'shop', phoneNumber: '+8613800138000', createdAt: now - 10_000 },
        { clientId: 'shop', phoneNumber: '+447400123456', createdAt: now - 1_000 },
      ],
      countryOfNumber,
      (clientId) => (clientId === 'shop' ? 1 : 0),
    );
    expect(await limiter.admitSend(sendTo('+8613800138000'))).toMatchObject({ allowed: false, waitMs: 30 * 60_000, window: { label: '2/1h' } });
    expect(await limiter.admitSend(sendTo('+8613800138001', { dailyQuota: 3 }))).toMatchObject({ allowed: false, step: 'daily-quota' });
    expect(await limiter.admitSend(sendTo('+447400123457', { country: 'GB', countryCap: parseSendWindow('1/1h') }))).toMatchObject({ allowed: false, step: 'country-cap' });
    expect((await limiter.admitSend(sendTo('+8613800138001'))).allowed).toBe(true);
    now += 30 * 60_000;
    expect((await limiter.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
  });
});
