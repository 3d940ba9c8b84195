import { describe, expect, it } from 'vitest';
import { isGatewayError, type GatewayError } from './errors.js';
import { ADMISSION_ORDER, admissionRefusal, checkDestination, type SendToAdmit } from './send-policy.js';
import { parseSendWindow } from './send-windows.js';

const send: SendToAdmit = { clientId: 'shop', phoneNumber: '+8613800138000', country: 'CN', rate: parseSendWindow('200/s'), dailyQuota: 100, countryCap: parseSendWindow('500/1h') };

function caught(work: () => void): GatewayError {
  try {
    work();
  } catch (error) {
    if (isGatewayError(error)) return error;
  }
  throw new Error('no GatewayError');
}

describe('the order of checks', () => {
  it('counts quotas and caps before the number, and the global rate last', () => {
    expect(ADMISSION_ORDER).toEqual(['client-rate', 'daily-quota', 'country-cap', 'number-window', 'global-rate']);
  });

  it('refuses a blocked number before looking at its country', () => {
    const error = caught(() => checkDestination({ clientId: 'shop', limits: { countries: new Set(['HK']) } }, '+8613800138000', 'CN', { entry: '+86138', clientId: null }));
    expect(error.code).toBe('NUMBER_BLOCKED');
    expect(error.message).toBe('phone_number +8613800138000 starts with +86138, which is on the blocklist: no message is sent to it');
  });

  it('names the country a client may not send to', () => {
    const error = caught(() => checkDestination({ clientId: 'shop', limits: { countries: new Set(['HK', 'SG']) } }, '+8613800138000', 'CN', undefined));
    expect(error.code).toBe('COUNTRY_NOT_ALLOWED');
    expect(error.message).toMatch(/may not send to country CN .*allowed: HK,SG/);
    expect(() => checkDestination({ clientId: 'shop', limits: { countries: undefined } }, '+8613800138000', 'CN', undefined)).not.toThrow();
  });
});

describe('admissionRefusal: the answer for each step', () => {
  it.each([
    ['client-rate', 'CLIENT_RATE_LIMITED', /rate of 200\/s/],
    ['daily-quota', 'DAILY_QUOTA_EXCEEDED', /daily quota of 100 \(resets at 00:00 UTC\)/],
    ['country-cap', 'COUNTRY_CAP_REACHED', /cap of 500\/1h for country CN/],
    ['number-window', 'NUMBER_RATE_LIMITED', /\+8613800138000 is at its limit of 5\/1h/],
    ['global-rate', 'SEND_RATE_LIMITED', /global send rate/],
  ] as const)('%s: %s', (step, code, message) => {
    const error = admissionRefusal(send, { allowed: false, step, waitMs: 1_500, window: parseSendWindow('5/1h') });
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.retryAfterS).toBe(2);
  });
});
