import { expect, it } from 'vitest';
import type { Limiter } from '../../src/domain/limits.js';
import type { SendToAdmit } from '../../src/domain/send-policy.js';
import { parseSendWindow, parseSendWindows, type SendWindow } from '../../src/domain/send-windows.js';

export function sendTo(phoneNumber: string, overrides: Partial<SendToAdmit> = {}): SendToAdmit {
  return { clientId: 'shop', phoneNumber, country: 'CN', rate: undefined, dailyQuota: undefined, countryCap: undefined, ...overrides };
}

export interface LimiterOptionsForTest {
  readonly numberWindows: readonly SendWindow[];
  readonly sendRatePerS?: number;
  /** Several limiters sharing their counts (one for the in-process limiter). */
  readonly instances?: number;
}

/** What every limiter adapter does with admitSend and cancelSend, whatever its clock. */
export function admissionContract(open: (options: LimiterOptionsForTest) => Promise<Limiter[]>): void {
  const allowed = (admissions: { allowed: boolean }[]) => admissions.filter((a) => a.allowed).length;

  it('holds a number to every window: the first refusing one is named, with the wait until all allow', async () => {
    const [l] = await open({ numberWindows: parseSendWindows('1/60s,2/1h') });
    expect((await l!.admitSend(sendTo('+8613800138000'))).allowed).toBe(true);
    const refused = await l!.admitSend(sendTo('+8613800138000'));
    expect(refused).toMatchObject({ allowed: false, step: 'number-window', window: { label: '1/60s' } });
    expect(refused.allowed ? 0 : refused.waitMs).toBeGreaterThan(58_000);
    expect((await l!.admitSend(sendTo('+8613800138001'))).allowed).toBe(true);
  });

  it('of 50 concurrent sends to one number, across instances, exactly one is admitted', async () => {
    const limiters = await open({ numberWindows: parseSendWindows('1/60s'), instances: 2 });
    const admissions = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % limiters.length]!.admitSend(sendTo('+8613800138002'))));
    expect(allowed(admissions)).toBe(1);
  });

  it('holds a client to its rate across instances and names the step', async () => {
    const limiters = await open({ numberWindows: [], instances: 2 });
    const rate = parseSendWindow('10/s');
    const admissions = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % limiters.length]!.admitSend(sendTo(`+86138001380${10 + i}`, { rate }))));
    expect(allowed(admissions)).toBe(10);
    expect(admissions.find((a) => !a.allowed)).toMatchObject({ step: 'client-rate' });
    // Another client is not held by it.
    expect((await limiters[0]!.admitSend(sendTo('+8613800138099', { clientId: 'other', rate }))).allowed).toBe(true);
  });

  it('counts a daily quota and says to wait until 00:00 UTC', async () => {
    const [l] = await open({ numberWindows: [] });
    for (let i = 0; i < 3; i += 1) expect((await l!.admitSend(sendTo(`+861380013810${i}`, { dailyQuota: 3 }))).allowed).toBe(true);
    const refused = await l!.admitSend(sendTo('+8613800138109', { dailyQuota: 3 }));
    expect(refused).toMatchObject({ allowed: false, step: 'daily-quota' });
    expect(refused.allowed ? 0 : refused.waitMs).toBeLessThanOrEqual(86_400_000);
  });

  it('caps a client per country, each country apart', async () => {
    const [l] = await open({ numberWindows: [] });
    const countryCap = parseSendWindow('2/1h');
    const to = (n: number, country: string) => sendTo(`+8823${n}`, { countryCap, country });
    expect(allowed([await l!.admitSend(to(1, 'GB')), await l!.admitSend(to(2, 'GB'))])).toBe(2);
    expect(await l!.admitSend(to(3, 'GB'))).toMatchObject({ allowed: false, step: 'country-cap' });
    expect((await l!.admitSend(to(4, 'FR'))).allowed).toBe(true);
  });

  it('a refused send takes nothing from any limit, later or earlier', async () => {
    const [l] = await open({ numberWindows: parseSendWindows('1/60s'), sendRatePerS: 1_000 });
    const limits = { rate: parseSendWindow('2/s'), dailyQuota: 2, countryCap: parseSendWindow('2/1h') };
    expect((await l!.admitSend(sendTo('+8613800138200', limits))).allowed).toBe(true);
    // Refused by the number's window: counts in no rate, quota or cap.
    for (let i = 0; i < 5; i += 1) expect(await l!.admitSend(sendTo('+8613800138200', limits))).toMatchObject({ step: 'number-window' });
    expect((await l!.admitSend(sendTo('+8613800138201', limits))).allowed).toBe(true);
    // Now the rate (2/s) refuses first, and the number it was for is not taken.
    expect(await l!.admitSend(sendTo('+8613800138202', limits))).toMatchObject({ step: 'client-rate' });
    expect((await l!.admitSend(sendTo('+8613800138202', { ...limits, rate: undefined, dailyQuota: undefined, countryCap: undefined }))).allowed).toBe(true);
  });

  it('a cancelled send counts in nothing', async () => {
    const [l] = await open({ numberWindows: parseSendWindows('1/60s') });
    const limits = { rate: parseSendWindow('1/s'), dailyQuota: 1, countryCap: parseSendWindow('1/1h') };
    const first = await l!.admitSend(sendTo('+8613800138300', limits));
    if (!first.allowed) throw new Error('refused');
    await l!.cancelSend(sendTo('+8613800138300', limits), first.at);
    expect((await l!.admitSend(sendTo('+8613800138300', limits))).allowed).toBe(true);
  });

  it('holds the global send rate after every other step', async () => {
    const [l] = await open({ numberWindows: [], sendRatePerS: 3 });
    const admissions = await Promise.all(Array.from({ length: 5 }, (_, i) => l!.admitSend(sendTo(`+861380013840${i}`))));
    expect(allowed(admissions)).toBeGreaterThanOrEqual(3);
    expect(allowed(admissions)).toBeLessThanOrEqual(4);
    expect(admissions.find((a) => !a.allowed)).toMatchObject({ step: 'global-rate' });
  });
}
