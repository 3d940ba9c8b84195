import { GatewayError } from './errors.js';
import { isSupportedRegion } from './phone-number.js';
import { parseSender, type Sender } from './sender.js';
import { parseSendWindow, type SendWindow } from './send-windows.js';

/** A client's limits as the catalog stores them: what the operator wrote, null where unset. */
export interface ClientLimitSettings {
  /** `200/s`: accepted sends of this client in any such window. */
  readonly rate: string | null;
  /** Accepted sends per UTC day. */
  readonly dailyQuota: number | null;
  /** ISO region codes, comma-separated (`CN,HK,SG`); null: any country. */
  readonly countries: string | null;
  /** `500/1h`: accepted sends of this client to one country in any such window. */
  readonly countryCap: string | null;
  /** The SMPP source_addr of its messages; null: the connection's own. */
  readonly sender: string | null;
}

export const NO_CLIENT_LIMITS: ClientLimitSettings = Object.freeze({ rate: null, dailyQuota: null, countries: null, countryCap: null, sender: null });

/** The same, read for the send path. */
export interface ClientLimits {
  readonly rate: SendWindow | undefined;
  readonly dailyQuota: number | undefined;
  readonly countries: ReadonlySet<string> | undefined;
  readonly countryCap: SendWindow | undefined;
  readonly sender: Sender | undefined;
}

const MAX_DAILY_QUOTA = 1_000_000_000;

/** `CN, hk,SG` -> `CN,HK,SG`; each must be a region libphonenumber-js knows. */
export function normaliseCountries(text: string): string {
  const codes = text.split(',').map((code) => code.trim().toUpperCase());
  for (const code of codes) {
    if (!/^[A-Z]{2}$/.test(code) || !isSupportedRegion(code)) {
      throw new GatewayError('INVALID_REQUEST', `country "${code.slice(0, 8)}" is invalid: expected ISO codes like CN,HK,SG`);
    }
  }
  return [...new Set(codes)].join(',');
}

export function validateDailyQuota(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_DAILY_QUOTA) {
    throw new GatewayError('INVALID_REQUEST', `daily quota "${value}" is invalid: expected a whole number from 1 to ${MAX_DAILY_QUOTA}`);
  }
  return value;
}

/** Validates every setting and returns it in its stored form (normalised). */
export function normaliseClientLimits(settings: ClientLimitSettings): ClientLimitSettings {
  return {
    rate: settings.rate === null ? null : parseSendWindow(settings.rate, 'rate').label,
    dailyQuota: settings.dailyQuota === null ? null : validateDailyQuota(settings.dailyQuota),
    countries: settings.countries === null ? null : normaliseCountries(settings.countries),
    countryCap: settings.countryCap === null ? null : parseSendWindow(settings.countryCap, 'country cap').label,
    sender: settings.sender === null ? null : (parseSender(settings.sender), settings.sender.trim()),
  };
}

/** Reads stored settings (validated when they were set) for the send path. */
export function readClientLimits(settings: ClientLimitSettings): ClientLimits {
  return {
    rate: settings.rate === null ? undefined : parseSendWindow(settings.rate, 'rate'),
    dailyQuota: settings.dailyQuota ?? undefined,
    countries: settings.countries === null ? undefined : new Set(settings.countries.split(',')),
    countryCap: settings.countryCap === null ? undefined : parseSendWindow(settings.countryCap, 'country cap'),
    sender: settings.sender === null ? undefined : parseSender(settings.sender),
  };
}
