import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCallback, verifyCallbackSignature } from './signature.js';

const secret = 'whsec_test';
const body = '{"events":[{"event_id":"a.1"}]}';
const now = 1_790_000_000_123;

describe('callback signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    const t = Math.floor(now / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signCallback(secret, body, now)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies with the same secret and body', () => {
    expect(verifyCallbackSignature(secret, body, signCallback(secret, body, now), now)).toBe(true);
  });

  it('fails for another secret, a changed body, or a mangled header', () => {
    const header = signCallback(secret, body, now);
    expect(verifyCallbackSignature('other', body, header, now)).toBe(false);
    expect(verifyCallbackSignature(secret, body.replace('a.1', 'a.2'), header, now)).toBe(false);
    expect(verifyCallbackSignature(secret, body, header.replace('t=', 't=1'), now)).toBe(false);
    expect(verifyCallbackSignature(secret, body, 'v1=00', now)).toBe(false);
  });

  it('fails when t is more than 5 minutes off', () => {
    const header = signCallback(secret, body, now);
    expect(verifyCallbackSignature(secret, body, header, now + 299_000)).toBe(true);
    expect(verifyCallbackSignature(secret, body, header, now + 301_000)).toBe(false);
    expect(verifyCallbackSignature(secret, body, header, now - 301_000)).toBe(false);
  });
});
