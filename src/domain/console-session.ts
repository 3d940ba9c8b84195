import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a console login lasts. */
export const CONSOLE_SESSION_MS = 8 * 60 * 60 * 1000;

const VERSION = 'v1';
const VALUE = /^v1\.(\d{13,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A console session as its cookie carries it. */
export interface ConsoleSession {
  /** Epoch ms after which the cookie is refused. */
  readonly expiresAt: number;
  /** 128 random bits naming this login, so that a logout can refuse this cookie and no other. */
  readonly nonce: string;
}

/**
 * The key console cookies are signed with, derived from the admin token's stored hash: every
 * process sharing the store derives the same key (no secret to distribute), and a new token
 * (`smsgate admin token rotate`) is a new key, which ends every session signed with the old one.
 */
export function consoleSessionKey(adminTokenHash: string): Buffer {
  return createHmac('sha256', adminTokenHash).update('smsgate console session key v1').digest();
}

/** A session's cookie value: `v1.<expiry ms>.<nonce>.<HMAC-SHA256 of the three before>`; nonce: 16 random bytes, base64url. */
export function signConsoleSession(key: Buffer, expiresAt: number, nonce: string): string {
  const payload = `${VERSION}.${expiresAt}.${nonce}`;
  return `${payload}.${mac(key, payload)}`;
}

/**
 * The session a cookie value holds, if `key` signed it and it has not expired at `now`;
 * undefined for anything else (malformed, forged, signed with an older key, expired). The
 * signature is compared in constant time.
 */
export function readConsoleSession(key: Buffer, value: string, now: number): ConsoleSession | undefined {
  const match = VALUE.exec(value);
  if (!match) return undefined;
  const [, expiry, nonce, signature] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(mac(key, `${VERSION}.${expiry}.${nonce}`), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const expiresAt = Number(expiry);
  return expiresAt > now ? { expiresAt, nonce } : undefined;
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64url');
}
