import { describe, expect, it } from 'vitest';
import { isGatewayError } from './errors.js';
import { parseIdempotencyKey, sendFingerprint } from './idempotency.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isGatewayError(error) ? error.code : 'not a GatewayError';
  }
}

describe('parseIdempotencyKey', () => {
  it('takes 1 to 255 printable ASCII characters, spaces inside included', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('order 42/retry:1~!')).toBe('order 42/retry:1~!');
    expect(parseIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\tb'],
    ['DEL', 'a\x7fb'],
  ])('refuses a key that is %s with INVALID_REQUEST', (_what, key) => {
    expect(codeOf(() => parseIdempotencyKey(key))).toBe('INVALID_REQUEST');
  });

  it('reads a header sent twice as the one value Node joins them into', () => {
    expect(parseIdempotencyKey(['a', 'b'])).toBe('a, b');
  });
});

describe('sendFingerprint', () => {
  const base = { clientId: 'c1', phoneNumber: '+8613800138000', templetId: 't1', contents: [{ p1: '8888' }] as unknown };

  it('is the same for the same send however contents are written', () => {
    const one = sendFingerprint(base);
    expect(sendFingerprint({ ...base, contents: { p1: '8888' } })).toBe(one);
    expect(sendFingerprint({ ...base, contents: '[ {"p1" : "8888"} ]' })).toBe(one);
  });

  it('ignores the order of keys, at every depth', () => {
    const a = sendFingerprint({ ...base, contents: [{ p1: '1', p2: { x: 1, y: 2 } }] });
    const b = sendFingerprint({ ...base, contents: [{ p2: { y: 2, x: 1 } }, { p1: '1' }] });
    expect(b).toBe(a);
  });

  it.each([
    ['client', { clientId: 'c2' }],
    ['phone number', { phoneNumber: '+8613800138001' }],
    ['template', { templetId: 't2' }],
    ['value', { contents: [{ p1: '8889' }] }],
    ['value type', { contents: [{ p1: 8888 }] }],
    ['extra key', { contents: [{ p1: '8888', p2: '' }] }],
  ])('differs when the %s differs', (_what, change) => {
    expect(sendFingerprint({ ...base, ...change })).not.toBe(sendFingerprint(base));
  });

  it('cannot be made equal by moving text between fields', () => {
    expect(sendFingerprint({ ...base, clientId: 'c1","+86' })).not.toBe(sendFingerprint({ ...base, clientId: 'c1' }));
  });
});
