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
  return passcodeDigest(clientId, passcode).toString('hex');
}

function passcodeDigest(clientId: string, passcode: string): Buffer {
  return createHmac('sha256', clientId).update(passcode).digest();
}

/** `storedHash`: the hex of hashPasscode, or those bytes already decoded (caches keep them so). */
export function passcodeMatches(clientId: string, passcode: string, storedHash: string | Buffer): boolean {
  const given = passcodeDigest(clientId, passcode);
  const stored = typeof storedHash === 'string' ? Buffer.from(storedHash, 'hex') : storedHash;
  return given.length === stored.length && timingSafeEqual(given, stored);
}
