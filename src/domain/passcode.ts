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

/** Stands in for a client with no proven passcode, so that its check costs what the others cost. */
const NOT_PROVEN = Buffer.alloc(26);
/** Stands in for an unknown client's hash, so that its check costs what a known one's costs. */
const NO_CLIENT_HASH = Buffer.alloc(32);

/**
 * Passcode checks for one catalog version: the HMAC is computed until a client's passcode is
 * proven once, then a constant-time comparison of bytes replaces it (the HMAC was a tenth of a
 * send's CPU). Only a passcode that matched its stored hash is kept, one per client, so no caller
 * can fill memory with wrong ones; a new catalog version (a rotated passcode) starts a new
 * instance. Unknown client, wrong passcode, proven or not yet proven client: the same work, so
 * timing does not tell which client ids exist. The proven passcode is held in a Buffer, never
 * logged.
 */
export class PasscodeVerdicts {
  private readonly proven = new Map<string, Buffer>();

  /** `hashes`: each client's stored hash, decoded (hashPasscode's bytes). */
  constructor(private readonly hashes: ReadonlyMap<string, Buffer>) {}

  matches(clientId: string, passcode: string): boolean {
    const given = Buffer.from(passcode, 'utf8');
    const known = this.proven.get(clientId);
    const proven = known ?? NOT_PROVEN;
    const sameLength = given.length === proven.length;
    // Compared whatever the lengths, so that the work does not depend on them.
    const equal = timingSafeEqual(sameLength ? given : proven, proven);
    if (known !== undefined && sameLength && equal) return true;
    const stored = this.hashes.get(clientId);
    const matched = passcodeMatches(clientId, passcode, stored ?? NO_CLIENT_HASH) && stored !== undefined;
    if (matched) this.proven.set(clientId, given);
    return matched;
  }

  /** How many clients have a proven passcode here. */
  provenClients(): number {
    return this.proven.size;
  }
}
