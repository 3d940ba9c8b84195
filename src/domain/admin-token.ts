import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How a stored hash says what it is; also keeps it from reading as a number in SQLite's meta. */
const HASH_PREFIX = 'sha256:';

/** 256 random bits, URL-safe, so it pastes into a header and a shell as it is. */
export function generateAdminToken(): string {
  return `sgadm_${randomBytes(32).toString('base64url')}`;
}

/** A token has 256 random bits: a plain SHA-256 is enough, there is no dictionary to slow down. */
export function hashAdminToken(token: string): string {
  return `${HASH_PREFIX}${digest(token).toString('hex')}`;
}

/**
 * Whether `presented` is the token `storedHash` was made from. Both sides are hashed to the same
 * length and compared in constant time, so neither the length nor the first wrong byte shows.
 */
export function adminTokenMatches(presented: string, storedHash: string): boolean {
  if (!storedHash.startsWith(HASH_PREFIX)) return false;
  const stored = Buffer.from(storedHash.slice(HASH_PREFIX.length), 'hex');
  const given = digest(presented);
  return stored.length === given.length && timingSafeEqual(given, stored);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
