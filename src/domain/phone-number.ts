import { isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { GatewayError } from './errors.js';

/**
 * Normalises a phone number to E.164. National numbers are read in the default region, so
 * `13800138000` and `+8613800138000` are the same number.
 */
export function normalisePhoneNumber(input: string, defaultRegion: string): string {
  return parseValid(input, defaultRegion).number;
}

function parseValid(input: string, defaultRegion: string): PhoneNumber {
  const trimmed = input.trim();
  // extract: false — the whole input must be the number ("abc 13800138000 xyz" is not one);
  // an extension cannot receive a short message.
  const parsed =
    trimmed.length <= 32 ? parsePhoneNumberFromString(trimmed, { defaultCountry: defaultRegion as CountryCode, extract: false }) : undefined;
  if (!parsed || !isValidParsedNumber(parsed) || parsed.ext !== undefined) {
    throw new GatewayError('INVALID_PHONE_NUMBER', `phone_number "${input.slice(0, 32)}" is not a valid phone number`);
  }
  return parsed;
}

/** The phone number and its country (ISO region; `001` for non-geographic numbers like +882). */
export interface ParsedPhoneNumber {
  readonly e164: string;
  readonly country: string;
}

/** normalisePhoneNumber and the number's country, from one parse. */
export function parsePhoneNumber(input: string, defaultRegion: string): ParsedPhoneNumber {
  const parsed = parseValid(input, defaultRegion);
  return { e164: parsed.number, country: parsed.country ?? NON_GEOGRAPHIC };
}

/** The country of an E.164 number the gateway accepted before. */
export function countryOfNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.country ?? NON_GEOGRAPHIC;
}

const NON_GEOGRAPHIC = '001';

export function isSupportedRegion(region: string): boolean {
  return isSupportedCountry(region);
}

/**
 * Exactly `parsed.isValid()`, with each pattern compiled once. libphonenumber-js builds a new
 * RegExp from the pattern's text for every test (isValid.js, getNumberType.js,
 * matchesEntirely.js), which was half the cost of a send's number check. The rules below are
 * those of that code; phone-number.test.ts compares the two on generated numbers.
 */
export function isValidParsedNumber(parsed: PhoneNumber): boolean {
  const plan = parsed.country ?? parsed.countryCallingCode;
  let rule = VALIDITY_BY_PLAN.get(plan);
  if (rule === undefined) {
    rule = validityRule(plan);
    VALIDITY_BY_PLAN.set(plan, rule);
  }
  return rule(parsed.nationalNumber);
}

/** One rule per numbering plan (a country, or a non-geographic calling code): a few hundred at most. */
const VALIDITY_BY_PLAN = new Map<string, (nationalNumber: string) => boolean>();

/** What getNumberType.js tries, in its order: any match makes the number valid. */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/** The parts of libphonenumber-js's metadata classes (metadata.js) that the rule reads; untyped there. */
interface NumberingPlanView {
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

function entirely(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function validityRule(plan: string): (nationalNumber: string) => boolean {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(plan as CountryCode);
  const numbering = metadata.numberingPlan as unknown as NumberingPlanView;
  const national = entirely(numbering.nationalNumberPattern());
  // Without type patterns, the national pattern decides alone (isValid.js).
  if (!numbering.hasTypes()) return (nationalNumber) => national.test(nationalNumber);
  const types = NUMBER_TYPES.flatMap((name) => {
    const type = numbering.type(name);
    // A type without a pattern never matches (isNumberTypeEqualTo).
    if (!type?.pattern()) return [];
    return [{ lengths: type.possibleLengths(), pattern: entirely(type.pattern()) }];
  });
  return (nationalNumber) =>
    national.test(nationalNumber) &&
    types.some(({ lengths, pattern }) => (!lengths || lengths.includes(nationalNumber.length)) && pattern.test(nationalNumber));
}
