import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { GatewayError } from './errors.js';

/**
 * Normalises a phone number to E.164. National numbers are read in the default region, so
 * `13800138000` and `+8613800138000` are the same number.
 */
export function normalisePhoneNumber(input: string, defaultRegion: string): string {
  const trimmed = input.trim();
  const parsed = trimmed.length <= 32 ? parsePhoneNumberFromString(trimmed, defaultRegion as CountryCode) : undefined;
  if (!parsed || !parsed.isValid()) {
    throw new GatewayError('INVALID_PHONE_NUMBER', `phone_number "${input.slice(0, 32)}" is not a valid phone number`);
  }
  return parsed.number;
}

export function isSupportedRegion(region: string): boolean {
  return isSupportedCountry(region);
}
