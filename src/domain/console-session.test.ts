import { describe, expect, it } from 'vitest';
import { hashAdminToken } from './admin-token.js';
import { consoleSessionKey, readConsoleSession, signConsoleSession } from './console-session.js';

const key = consoleSessionKey(hashAdminToken('the-token'));
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';
const NOW = 1_796_000_000_000;

describe('console session cookie values', () => {
  it('reads back what it signed, until it expires', () => {
    const value = signConsoleSession(key, NOW + 1000, NONCE);
    expect(value).toMatch(/^v1\.\d+\.[\w-]{22}\.[\w-]{43}$/);
    expect(readConsoleSession(key, value, NOW)).toEqual({ expiresAt: NOW + 1000, nonce: NONCE });
    expect(readConsoleSession(key, value, NOW + 999)).toBeDefined();
    expect(readConsoleSession(key, value, NOW + 1000)).toBeUndefined();
  });

  it('refuses a value signed with the key of another token (a rotated one)', () => {
    const other = consoleSessionKey(hashAdminToken('the-next-token'));
    expect(readConsoleSession(other, signConsoleSession(key, NOW + 1000, NONCE), NOW)).toBeUndefined();
  });

  it('refuses a changed expiry, nonce or signature, and anything malformed', () => {
    const value = signConsoleSession(key, NOW + 1000, NONCE);
    const [version, expiry, nonce, mac] = value.split('.') as [string, string, string, string];
    const forged = [
      [version, String(Number(expiry) + 3_600_000), nonce, mac],
      [version, expiry, `B${nonce.slice(1)}`, mac],
      [version, expiry, nonce, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`],
      ['v2', expiry, nonce, mac],
    ].map((parts) => parts.join('.'));
    for (const bad of [...forged, '', 'v1', `${value}.x`, value.slice(0, -1), `${value} `]) {
      expect(readConsoleSession(key, bad, NOW), bad).toBeUndefined();
    }
  });
});
