import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Upper-case letters and digits without the look-alikes 0/O, 1/I/L. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The document's shape: ARDOR-7JF3-8F2E-QUWZ-CAN7F. 22 symbols of 31: about 109 bits. */
const GROUPS = [5, 4, 4, 4, 5];

export function generatePasscode(): string {
  return GROUPS.map((length) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-');
}

/**
 * Passcodes carry over 100 bits of randomness, so a fast keyed hash is enough: no dictionary to
 * slow down. The client id keys it, so equal passcodes of two clients never hash alike.
 */
export function hashPasscode(clientId: string, passcode: string): string {
  return createHmac('sha256', clientId).update(passcode).digest('hex');
}

export function passcodeMatches(clientId: string, passcode: string, storedHash: string): boolean {
  const given = Buffer.from(hashPasscode(clientId, passcode), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
