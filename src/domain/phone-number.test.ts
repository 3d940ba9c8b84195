import fc from 'fast-check';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
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

describe('the compiled validity check', () => {
  const examples = mobileExamples as Partial<Record<CountryCode, string>>;
  const regions = getCountries();

  /** normalisePhoneNumber as it was, on libphonenumber-js's own isValid(): the verdict to match. */
  function reference(input: string, region: string): string {
    const trimmed = input.trim();
    const parsed = trimmed.length <= 32 ? parsePhoneNumberFromString(trimmed, { defaultCountry: region as CountryCode, extract: false }) : undefined;
    if (!parsed || !parsed.isValid() || parsed.ext !== undefined) return 'INVALID_PHONE_NUMBER';
    return parsed.number;
  }

  function verdict(input: string, region: string): string {
    try {
      return normalisePhoneNumber(input, region);
    } catch (error) {
      return (error as GatewayError).code;
    }
  }

  it('agrees with isValid() on every region example with each digit changed', () => {
    let compared = 0;
    let valid = 0;
    for (const region of regions) {
      const example = examples[region];
      if (!example) continue;
      const international = `+${getCountryCallingCode(region)}${example}`;
      for (const base of [example, international]) {
        for (let at = 0; at < base.length; at++) {
          if (base[at] === '+') continue;
          for (let digit = 0; digit <= 9; digit++) {
            const input = base.slice(0, at) + String(digit) + base.slice(at + 1);
            const expected = reference(input, region);
            expect(verdict(input, region), `${input} in ${region}`).toBe(expected);
            compared += 1;
            if (expected.startsWith('+')) valid += 1;
          }
        }
      }
    }
    // Both verdicts occur plentifully, so the comparison tests something.
    expect(compared).toBeGreaterThan(20_000);
    expect(valid).toBeGreaterThan(compared / 10);
    expect(valid).toBeLessThan(compared);
  });

  it('agrees with isValid() on generated numbers', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const region = fc.constantFrom(...regions);
    const fromExample = fc
      .tuple(region, fc.nat(), digits(0, 4), fc.boolean())
      .map(([r, cut, tail, plus]) => {
        const example = examples[r] ?? '';
        const national = example.slice(0, cut % (example.length + 1)) + tail;
        return [plus ? `+${getCountryCallingCode(r)}${national}` : national, r] as const;
      });
    const anyCallingCode = fc.tuple(region, region, digits(2, 14)).map(([code, r, national]) => [`+${getCountryCallingCode(code)}${national}`, r] as const);
    const phoneish = fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789+ -().x#'), maxLength: 24 }), region);
    fc.assert(
      fc.property(fc.oneof(fromExample, anyCallingCode, phoneish), ([input, r]) => {
        expect(verdict(input, r)).toBe(reference(input, r));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with isValid() for numbers outside any country (non-geographic codes)', () => {
    for (const input of ['+80012345678', '+80012345', '+870772000000', '+8816123456789', '+979123456789']) {
      expect(verdict(input, 'CN'), input).toBe(reference(input, 'CN'));
    }
    expect(verdict('+80012345678', 'CN')).toBe('+80012345678');
  });
});
