import type { BlockedEntry } from './blocklist.js';
import type { ClientLimits } from './client-limits.js';
import { GatewayError } from './errors.js';
import { retryAfterSeconds, type SendWindow } from './send-windows.js';

/**
 * The order in which a send is checked, written once. Each step answers as shown; a send
 * refused at one step takes nothing from any later one (nor from an earlier one: the counted
 * steps 6 to 10 are checked together and counted only when all allow):
 *  1. auth                 401 AUTH_FAILED, 403 CLIENT_DISABLED, 429 AUTH_RATE_LIMITED
 *  2. template             404 TEMPLATE_NOT_FOUND, 403 TEMPLATE_FORBIDDEN, 400 INVALID_CONTENTS
 *  3. number               400 INVALID_PHONE_NUMBER
 *  4. blocklist            403 NUMBER_BLOCKED
 *  5. country              403 COUNTRY_NOT_ALLOWED
 *  6. client rate          429 CLIENT_RATE_LIMITED + Retry-After
 *  7. client daily quota   429 DAILY_QUOTA_EXCEEDED + Retry-After (00:00 UTC)
 *  8. client country cap   429 COUNTRY_CAP_REACHED + Retry-After
 *  9. per-number windows   429 NUMBER_RATE_LIMITED + Retry-After (until every window allows)
 * 10. global send rate     429 SEND_RATE_LIMITED + Retry-After
 * Steps 6 to 10 are the ADMISSION_ORDER below, which every limiter adapter follows.
 */
export const ADMISSION_ORDER = ['client-rate', 'daily-quota', 'country-cap', 'number-window', 'global-rate'] as const;
export type AdmissionStep = (typeof ADMISSION_ORDER)[number];

/** What the limiter counts a send against (steps 6 to 10). */
export interface SendToAdmit {
  readonly clientId: string;
  /** E.164 */
  readonly phoneNumber: string;
  /** ISO region of the number, or `001` for non-geographic numbers. */
  readonly country: string;
  readonly rate: SendWindow | undefined;
  readonly dailyQuota: number | undefined;
  readonly countryCap: SendWindow | undefined;
}

/** A limiter's answer: `at` is when the send was counted (to give it back), or the refusal. */
export type Admission =
  | { readonly allowed: true; readonly at: number }
  | { readonly allowed: false; readonly step: AdmissionStep; readonly waitMs: number; readonly window?: SendWindow };

/** Steps 4 and 5: refuses a send the blocklist or the client's country list forbids. */
export function checkDestination(client: { clientId: string; limits: Pick<ClientLimits, 'countries'> }, phoneNumber: string, country: string, blocked: BlockedEntry | undefined): void {
  if (blocked) {
    const scope = blocked.clientId === null ? 'the blocklist' : `client ${blocked.clientId}'s blocklist`;
    const what = blocked.entry === phoneNumber ? `phone_number ${phoneNumber} is on ${scope}` : `phone_number ${phoneNumber} starts with ${blocked.entry}, which is on ${scope}`;
    throw new GatewayError('NUMBER_BLOCKED', `${what}: no message is sent to it`);
  }
  const { countries } = client.limits;
  if (countries && !countries.has(country)) {
    const named = country === '001' ? 'a non-geographic number' : `country ${country}`;
    throw new GatewayError('COUNTRY_NOT_ALLOWED', `client ${client.clientId} may not send to ${named} (phone_number ${phoneNumber}); allowed: ${[...countries].join(',')}`);
  }
}

/** A refused admission as the error a caller sees, with when to try again. */
export function admissionRefusal(send: SendToAdmit, refused: Extract<Admission, { allowed: false }>): GatewayError {
  const options = { retryAfterS: retryAfterSeconds(refused.waitMs) };
  switch (refused.step) {
    case 'client-rate':
      return new GatewayError('CLIENT_RATE_LIMITED', `client ${send.clientId} is at its rate of ${send.rate?.label}`, options);
    case 'daily-quota':
      return new GatewayError('DAILY_QUOTA_EXCEEDED', `client ${send.clientId} has used its daily quota of ${send.dailyQuota} (resets at 00:00 UTC)`, options);
    case 'country-cap':
      return new GatewayError('COUNTRY_CAP_REACHED', `client ${send.clientId} is at its cap of ${send.countryCap?.label} for country ${send.country}`, {
        ...options,
        refused: { clientId: send.clientId, country: send.country },
      });
    case 'number-window':
      return new GatewayError('NUMBER_RATE_LIMITED', `phone_number ${send.phoneNumber} is at its limit of ${refused.window?.label ?? 'sends'}`, options);
    case 'global-rate':
      return new GatewayError('SEND_RATE_LIMITED', 'the gateway is at its global send rate', options);
  }
}
