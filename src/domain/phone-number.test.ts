import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors.js';
import { isSupportedRegion, normalisePhoneNumber } from './phone-number.js';

describe('normalisePhoneNumber', () => {
  it.each([
    ['13800138000', 'CN', '+8613800138000'],
    ['+8613800138000', 'CN', '+8613800138000'],
    ['+86 138-0013-8000', 'CN', '+8613800138000'],
    ['  138 0013 8000  ', 'CN', '+8613800138000'],
    ['008613800138000', 'CN', '+8613800138000'],
    ['+8613800138000', 'US', '+8613800138000'],
    ['2015550123', 'US', '+12015550123'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['+1 201 555 0123', 'CN', '+12015550123'],
    ['07400 123456', 'GB', '+447400123456'],
  ])('%s in %s is %s', (input, region, e164) => {
    expect(normalisePhoneNumber(input, region)).toBe(e164);
  });

  it('reads national numbers in the default region', () => {
    expect(normalisePhoneNumber('13800138000', 'CN')).toBe(normalisePhoneNumber('+8613800138000', 'CN'));
    expect(() => normalisePhoneNumber('13800138000', 'US')).toThrow(GatewayError);
  });

  it.each([
    ['empty', ''],
    ['letters', 'not a number'],
    ['too short', '12345'],
    ['too long', '138001380001380013800'],
    ['one digit short', '+861380013800'],
    ['a bad country code', '+999 1234 5678'],
    ['over 32 characters', '1'.repeat(40)],
    ['a number inside other text', 'abc 13800138000 xyz'],
    ['trailing garbage', '13800138000x'],
    ['a tel: URI', 'tel:+8613800138000'],
    ['an extension', '13800138000 ext. 123'],
  ])('rejects %s with INVALID_PHONE_NUMBER', (_name, input) => {
    let error: unknown;
    try {
      normalisePhoneNumber(input, 'CN');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('INVALID_PHONE_NUMBER');
  });

  it('knows the supported regions', () => {
    expect(isSupportedRegion('CN')).toBe(true);
    expect(isSupportedRegion('US')).toBe(true);
    expect(isSupportedRegion('XX')).toBe(false);
  });
});
