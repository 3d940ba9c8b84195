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
   * Reserves the phone number for the per-number interval. Atomic: of two concurrent
   * reservations for one number, exactly one is allowed.
   */
  reserveNumber(e164: string): Promise<LimitDecision>;
  /** Gives a reservation back: the send it was for was not accepted after all. */
  releaseNumber(e164: string): Promise<void>;
  /** Takes one token of the global send rate. */
  takeSend(): Promise<LimitDecision>;
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
    const waitMs = ((1 - this.tokens) * 1000) / this.ratePerS;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
