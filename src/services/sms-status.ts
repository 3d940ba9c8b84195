import { GatewayError } from '../domain/errors.js';
import type { MessageStatus } from '../domain/message-status.js';

/** What sendsms and querysms answer: already the contract's shape, so the edge adds no copy. */
export interface SmsStatus {
  sms_uid: string;
  status: MessageStatus;
  error_code: string;
}

export type RateLimitCode = 'QUERY_RATE_LIMITED' | 'AUTH_RATE_LIMITED';

/** A limiter's refusal as the error a caller sees, with when to try again. */
export function rejectIfLimited(decision: { allowed: boolean; retryAfterS: number }, code: RateLimitCode, message: string): void {
  if (!decision.allowed) throw new GatewayError(code, message, { retryAfterS: decision.retryAfterS });
}
