import { TokenBucket, type LimitDecision, type Limiter } from '../domain/limits.js';
import { ADMISSION_ORDER, type Admission, type AdmissionStep, type SendToAdmit } from '../domain/send-policy.js';
import { longestLog, msUntilUtcMidnight, utcDay, windowsWait, type SendWindow } from '../domain/send-windows.js';
import { TimeLog } from '../domain/time-log.js';
import { GuessingCounters } from './guessing-counters.js';
import type { GuessingPolicy } from '../domain/passcode-guessing.js';
import type { PasscodeFailureLog } from './passcode-failure-log.js';

export interface MemoryLimiterOptions {
  /** SMSGATE_PER_NUMBER_LIMITS: every number's windows. */
  readonly numberWindows: readonly SendWindow[];
  readonly sendRatePerS: number;
  readonly queryRatePerS: number;
  /** Default: guessingPolicy(20, 100). */
  readonly guessing?: GuessingPolicy;
  /** Flushed on close, so that the last second's count is not lost. */
  readonly failureLog?: Pick<PasscodeFailureLog, 'failed' | 'blocked' | 'flush'>;
  readonly now?: () => number;
}

/** A send accepted before a restart, as the store gives it back. */
export interface PastSend {
  readonly clientId: string;
  readonly phoneNumber: string;
  readonly createdAt: number;
}

/**
 * Limits held in this process: right for the embedded default (one process). Scale-out uses
 * the Redis limiter so that every instance shares them.
 */
export class MemoryLimiter implements Limiter {
  /** number -> its sends. Insertion order is last-send order, so expiry order: see forgetExpired. */
  private readonly numbers = new Map<string, TimeLog>();
  private readonly numberKeep: number;
  private readonly numberForgetMs: number;
  private readonly clientRates = new Map<string, TimeLog>();
  private readonly countryCaps = new Map<string, TimeLog>();
  /** client -> sends on `day` (UTC). */
  private readonly daily = new Map<string, { day: number; count: number }>();
  private readonly sendBucket: TokenBucket;
  private readonly queryBucket: TokenBucket;
  private readonly now: () => number;
  private readonly guessing: GuessingCounters;

  constructor(private readonly options: MemoryLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.guessing = new GuessingCounters(options.guessing, options.failureLog);
    this.sendBucket = new TokenBucket(options.sendRatePerS, this.now());
    this.queryBucket = new TokenBucket(options.queryRatePerS, this.now());
    this.numberKeep = longestLog(options.numberWindows);
    this.numberForgetMs = options.numberWindows.reduce((longest, w) => Math.max(longest, w.ms), 0);
  }

  async admitSend(send: SendToAdmit): Promise<Admission> {
    const now = this.now();
    this.forgetExpired(now);
    // Only a client with a country cap has a count per country: no key built for the others.
    const countryKey = send.countryCap ? `${send.clientId} ${send.country}` : '';
    const dailyCount = this.dailyCount(send.clientId, now);
    for (const step of ADMISSION_ORDER) {
      const refused = this.refusal(step, send, countryKey, dailyCount, now);
      if (refused) return refused;
    }
    this.count(send, countryKey, now);
    return { allowed: true, at: now };
  }

  async cancelSend(send: SendToAdmit, at: number): Promise<void> {
    this.numbers.get(send.phoneNumber)?.remove(at);
    if (send.rate) this.clientRates.get(send.clientId)?.remove(at);
    if (send.countryCap) this.countryCaps.get(`${send.clientId} ${send.country}`)?.remove(at);
    const daily = this.daily.get(send.clientId);
    if (daily && daily.day === utcDay(at)) daily.count = Math.max(0, daily.count - 1);
  }

  /**
   * Restores the counts of sends accepted before a restart (oldest first). `countryCapOf`: the
   * limit of a client's country cap (0: none), so that only capped clients' sends are kept.
   */
  restore(sends: readonly PastSend[], countryOf: (e164: string) => string, countryCapOf: (clientId: string) => number): void {
    const now = this.now();
    for (const send of sends) {
      if (this.numberKeep > 0 && send.createdAt + this.numberForgetMs > now) this.record(this.numbers, send.phoneNumber, send.createdAt, this.numberKeep, true);
      const cap = countryCapOf(send.clientId);
      if (cap > 0) this.record(this.countryCaps, `${send.clientId} ${countryOf(send.phoneNumber)}`, send.createdAt, cap);
      if (utcDay(send.createdAt) === utcDay(now)) this.dailyCount(send.clientId, now).count += 1;
    }
  }

  async takeQuery(): Promise<LimitDecision> {
    return this.queryBucket.take(this.now());
  }
  async checkPasscodeAttempt(address: string, clientId: string): Promise<LimitDecision> {
    return this.guessing.check(address, clientId, this.now());
  }

  async recordPasscodeFailure(address: string, clientId: string): Promise<void> {
    this.guessing.fail(address, clientId, this.now());
  }

  async close(): Promise<void> {
    this.numbers.clear();
    this.guessing.clear();
    this.options.failureLog?.flush();
  }

  private refusal(step: AdmissionStep, send: SendToAdmit, countryKey: string, dailyCount: { count: number }, now: number): Admission | undefined {
    switch (step) {
      case 'client-rate':
        return send.rate && windowRefusal(step, this.clientRates.get(send.clientId), [send.rate], now);
      case 'daily-quota':
        return send.dailyQuota !== undefined && dailyCount.count >= send.dailyQuota ? { allowed: false, step, waitMs: msUntilUtcMidnight(now) } : undefined;
      case 'country-cap':
        return send.countryCap && windowRefusal(step, this.countryCaps.get(countryKey), [send.countryCap], now);
      case 'number-window':
        return windowRefusal(step, this.numbers.get(send.phoneNumber), this.options.numberWindows, now);
      case 'global-rate': {
        const waitMs = this.sendBucket.waitMs(now);
        return waitMs > 0 ? { allowed: false, step, waitMs } : undefined;
      }
    }
  }

  private count(send: SendToAdmit, countryKey: string, now: number): void {
    if (send.rate) this.record(this.clientRates, send.clientId, now, send.rate.limit);
    // Counted with or without a quota, so that one set during the day counts the day's sends.
    this.dailyCount(send.clientId, now).count += 1;
    if (send.countryCap) this.record(this.countryCaps, countryKey, now, send.countryCap.limit);
    if (this.numberKeep > 0) this.record(this.numbers, send.phoneNumber, now, this.numberKeep, true);
    this.sendBucket.take(now);
  }

  /** `moveToEnd`: keeps the map in last-send order, which forgetExpired relies on. */
  private record(logs: Map<string, TimeLog>, key: string, at: number, keep: number, moveToEnd = false): void {
    let log = logs.get(key);
    if (!log) log = new TimeLog(Math.min(keep, 16));
    else if (moveToEnd) logs.delete(key);
    log.push(at, keep);
    logs.set(key, log);
  }

  private dailyCount(clientId: string, now: number): { count: number } {
    const day = utcDay(now);
    let daily = this.daily.get(clientId);
    if (!daily || daily.day !== day) this.daily.set(clientId, (daily = { day, count: 0 }));
    return daily;
  }

  /** Numbers whose newest send left the longest window are forgotten, oldest first. */
  private forgetExpired(now: number): void {
    for (const [number, log] of this.numbers) {
      if (log.length > 0 && log.newest(1) + this.numberForgetMs > now) break;
      this.numbers.delete(number);
    }
  }
}

function windowRefusal(step: AdmissionStep, log: TimeLog | undefined, windows: readonly SendWindow[], now: number): Admission | undefined {
  const { waitMs, window } = windowsWait(log, windows, now);
  return waitMs > 0 ? { allowed: false, step, waitMs, window } : undefined;
}
