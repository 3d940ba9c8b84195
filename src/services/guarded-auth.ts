import { isGatewayError } from '../domain/errors.js';
import type { Limiter } from '../domain/limits.js';
import type { ClientRecord } from '../store/catalog-store.js';
import type { CatalogCache } from './catalog-cache.js';
import { rejectIfLimited } from './sms-status.js';

export type GuessingLimiter = Pick<Limiter, 'checkPasscodeAttempt' | 'recordPasscodeFailure'>;

/**
 * The authentication step of both endpoints. An address blocked for guessing is refused before
 * its passcode is checked, whether right or wrong, so a block tells a guesser nothing; every
 * wrong passcode is counted (src/domain/passcode-guessing.ts).
 */
export async function authenticateGuarded(
  catalog: Pick<CatalogCache, 'authenticate'>,
  limiter: GuessingLimiter,
  credentials: { readonly client_id: string; readonly passcode: string },
  address: string,
): Promise<ClientRecord> {
  rejectIfLimited(await limiter.checkPasscodeAttempt(address, credentials.client_id), 'AUTH_RATE_LIMITED', 'too many wrong passcodes from this address');
  try {
    return catalog.authenticate(credentials.client_id, credentials.passcode);
  } catch (error) {
    if (isGatewayError(error) && error.code === 'AUTH_FAILED') await limiter.recordPasscodeFailure(address, credentials.client_id);
    throw error;
  }
}
