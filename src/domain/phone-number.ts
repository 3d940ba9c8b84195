import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { GatewayError } from './errors.js';

/**
 * Normalises a phone number to E.164. National numbers are read in the default region, so
 * `13800138000` and `+8613800138000` are the same number.
 */
export function normalisePhoneNumber(input: string, defaultRegion: string): string {
  const trimmed = input.trim();
  // extract: false — the whole input must be the number ("abc 13800138000 xyz" is not one);
  // an extension cannot receive a short message.
  const parsed =
    trimmed.length <= 32 ? parsePhoneNumberFromString(trimmed, { defaultCountry: defaultRegion as CountryCode, extract: false }) : undefined;
  if (!parsed || !parsed.isValid() || parsed.ext !== undefined) {
    throw new GatewayError('INVALID_PHONE_NUMBER', `phone_number "${input.slice(0, 32)}" is not a valid phone number`);
  }
  return parsed.number;
}

export function isSupportedRegion(region: string): boolean {
  return isSupportedCountry(region);
}
