import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a callback request is signed in. */
export const SIGNATURE_HEADER = 'Smsgate-Signature';

/** `v1`: the hex HMAC-SHA256 of `<t>.<raw body>` under the client's callback secret. */
function v1(secret: string, timestampS: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${rawBody}`).digest('hex');
}

/**
 * `t=<unix seconds>,v1=<hex HMAC>`. The time is signed with the body, so a receiver that rejects
 * an old `t` cannot be fed a captured request again later.
 */
export function signCallback(secret: string, rawBody: string, nowMs: number): string {
  const timestampS = Math.floor(nowMs / 1000);
  return `t=${timestampS},v1=${v1(secret, timestampS, rawBody)}`;
}

/**
 * What a receiver does (docs/callbacks.md shows it standalone): true when `header` signs
 * `rawBody` under `secret` with a `t` at most `toleranceS` from now.
 */
export function verifyCallbackSignature(secret: string, rawBody: string, header: string, nowMs: number, toleranceS = 300): boolean {
  const fields = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestampS = Number(fields.get('t'));
  const given = Buffer.from(fields.get('v1') ?? '', 'hex');
  if (!Number.isInteger(timestampS) || Math.abs(nowMs / 1000 - timestampS) > toleranceS) return false;
  const expected = Buffer.from(v1(secret, timestampS, rawBody), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
