import { ALLOWED, TokenBucket, type LimitDecision, type Limiter } from '../domain/limits.js';
import { GuessingCounters } from './guessing-counters.js';
import type { GuessingPolicy } from '../domain/passcode-guessing.js';
import type { PasscodeFailureLog } from './passcode-failure-log.js';

export interface MemoryLimiterOptions {
  readonly perNumberIntervalMs: number;
  readonly sendRatePerS: number;
  readonly queryRatePerS: number;
  /** Default: guessingPolicy(20, 100). */
  readonly guessing?: GuessingPolicy;
  /** Flushed on close, so that the last second's count is not lost. */
  readonly failureLog?: Pick<PasscodeFailureLog, 'failed' | 'blocked' | 'flush'>;
  readonly now?: () => number;
}

/**
 * Limits held in this process: right for the embedded default (one process). Scale-out uses
 * the Redis limiter so that every instance shares them.
 */
export class MemoryLimiter implements Limiter {
  /** number -> end of its interval. Insertion order is expiry order: the interval is fixed. */
  private readonly reservedUntil = new Map<string, number>();
  private readonly sendBucket: TokenBucket;
  private readonly queryBucket: TokenBucket;
  private readonly now: () => number;
  private readonly guessing: GuessingCounters;

  constructor(private readonly options: MemoryLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.guessing = new GuessingCounters(options.guessing, options.failureLog);
    this.sendBucket = new TokenBucket(options.sendRatePerS, this.now());
    this.queryBucket = new TokenBucket(options.queryRatePerS, this.now());
  }

  async reserveNumber(e164: string): Promise<LimitDecision> {
    const now = this.now();
    this.forgetExpired(now);
    const until = this.reservedUntil.get(e164);
    if (until !== undefined && until > now) {
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)) };
    }
    this.reservedUntil.delete(e164);
    this.reservedUntil.set(e164, now + this.options.perNumberIntervalMs);
    return ALLOWED;
  }

  /** Restores the reservations of sends accepted before a restart (oldest first). */
  restore(sends: readonly { phoneNumber: string; createdAt: number }[]): void {
    for (const send of sends) {
      this.reservedUntil.delete(send.phoneNumber);
      this.reservedUntil.set(send.phoneNumber, send.createdAt + this.options.perNumberIntervalMs);
    }
  }

  async releaseNumber(e164: string): Promise<void> {
    this.reservedUntil.delete(e164);
  }

  async takeSend(): Promise<LimitDecision> {
    return this.sendBucket.take(this.now());
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
    this.reservedUntil.clear();
    this.guessing.clear();
    this.options.failureLog?.flush();
  }

  private forgetExpired(now: number): void {
    for (const [number, until] of this.reservedUntil) {
      if (until > now) break;
      this.reservedUntil.delete(number);
    }
  }
}
