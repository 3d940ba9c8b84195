import type { Admission, SendToAdmit } from './send-policy.js';

/**
 * The limits policy, as ports: the API asks these before it commits a send or answers a query.
 * In-process and Redis implementations live in src/limits.
 */
export interface LimitDecision {
  readonly allowed: boolean;
  /** When not allowed: whole seconds until a retry can succeed (at least 1). */
  readonly retryAfterS: number;
}

export const ALLOWED: LimitDecision = Object.freeze({ allowed: true, retryAfterS: 0 });

export interface Limiter {
  /**
   * Counts a send against the client's rate, daily quota and country cap, the number's windows
   * and the global send rate, in ADMISSION_ORDER (src/domain/send-policy.ts). Atomic: either
   * every limit allows and the send is counted in all, or it is counted in none and the first
   * refusing step is answered.
   */
  admitSend(send: SendToAdmit): Promise<Admission>;
  /** Gives back what admitSend counted at `at`: the send was not accepted after all. */
  cancelSend(send: SendToAdmit, at: number): Promise<void>;
  /** Takes one token of the global query rate. */
  takeQuery(): Promise<LimitDecision>;
  /**
   * Whether `address` may try a passcode for `clientId` now: refused while the pair or the
   * address is blocked for guessing (src/domain/passcode-guessing.ts).
   */
  checkPasscodeAttempt(address: string, clientId: string): Promise<LimitDecision>;
  /** Counts one wrong passcode that `address` gave for `clientId`. */
  recordPasscodeFailure(address: string, clientId: string): Promise<void>;
  /** Resolves when the service holding the limits (Redis) answers; absent where they live in this process. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A token bucket: `ratePerS` tokens a second, holding at most one second's worth.
 * Pure: the caller passes the time.
 */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly ratePerS: number,
    nowMs: number,
  ) {
    this.tokens = ratePerS;
    this.updatedMs = nowMs;
  }

  take(nowMs: number): LimitDecision {
    const elapsedMs = Math.max(0, nowMs - this.updatedMs);
    this.tokens = Math.min(this.ratePerS, this.tokens + (elapsedMs * this.ratePerS) / 1000);
    this.updatedMs = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return ALLOWED;
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(this.waitMs(nowMs) / 1000)) };
  }

  /** Ms until a token is there (0: now), taking nothing. */
  waitMs(nowMs: number): number {
    const tokens = Math.min(this.ratePerS, this.tokens + (Math.max(0, nowMs - this.updatedMs) * this.ratePerS) / 1000);
    return tokens >= 1 ? 0 : ((1 - tokens) * 1000) / this.ratePerS;
  }
}
